"""Debates' queries: who may argue which side, a debate's seats, and the decisions the
quarterly review reads. None of these commit; each is scoped to its workspace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Debate,
    DebateSeat,
    DebateVolunteer,
    Kpi,
    KpiVote,
    Member,
    Membership,
    SeatAnswer,
    Side,
    Team,
)


async def candidates(
    session: AsyncSession, workspace_id: int, team_id: int, kpi_id: int, side: Side
) -> list[Member]:
    """The team's people who could argue this side of this KPI, most fitting first: those
    who volunteered for it, then (critics) those who questioned it in the vote, newest first,
    or (advocates) those who backed it. Two statements, whatever the team's size."""
    on_team = select(Membership.member_id).where(
        Membership.workspace_id == workspace_id, Membership.team_id == team_id
    )
    volunteers = (
        await session.scalars(
            select(Member)
            .join(DebateVolunteer, DebateVolunteer.member_id == Member.id)
            .where(
                DebateVolunteer.workspace_id == workspace_id,
                DebateVolunteer.kpi_id == kpi_id,
                DebateVolunteer.side == side,
                Member.id.in_(on_team),
                Member.is_active.is_(True),
            )
            .order_by(DebateVolunteer.created_at, DebateVolunteer.id)
        )
    ).all()
    voters = (
        await session.scalars(
            select(Member)
            .join(KpiVote, KpiVote.member_id == Member.id)
            .where(
                KpiVote.workspace_id == workspace_id,
                KpiVote.kpi_id == kpi_id,
                KpiVote.backs.is_(side is Side.ADVOCATE),
                Member.id.in_(on_team),
                Member.is_active.is_(True),
            )
            .order_by(KpiVote.voted_at.desc(), KpiVote.id.desc())
        )
    ).all()
    return list({m.id: m for m in [*volunteers, *voters]}.values())


async def seats_of(session: AsyncSession, debate_id: int) -> list[tuple[DebateSeat, Member]]:
    """Everyone asked to argue in this debate, with who they are, in the order asked."""
    rows = await session.execute(
        select(DebateSeat, Member)
        .join(Member, Member.id == DebateSeat.member_id)
        .where(DebateSeat.debate_id == debate_id)
        .order_by(DebateSeat.id)
    )
    return [(seat, member) for seat, member in rows.all()]


async def debate_by_id(
    session: AsyncSession, workspace_id: int, debate_id: int
) -> tuple[Debate, Kpi] | None:
    found = (
        await session.execute(
            select(Debate, Kpi)
            .join(Kpi, Kpi.id == Debate.kpi_id)
            .where(Debate.workspace_id == workspace_id, Debate.id == debate_id)
        )
    ).first()
    return (found[0], found[1]) if found else None


async def debates_of_team(session: AsyncSession, team_id: int) -> list[tuple[Debate, str]]:
    """A team's debates with their KPI's name, newest first."""
    rows = await session.execute(
        select(Debate, Kpi.name)
        .join(Kpi, Kpi.id == Debate.kpi_id)
        .where(Debate.team_id == team_id)
        .order_by(Debate.id.desc())
        .limit(20)
    )
    return [(d, name) for d, name in rows.all()]


async def open_debate_on(session: AsyncSession, team_id: int, kpi_id: int) -> Debate | None:
    """The team's undecided debate on this KPI, if one is under way."""
    return await session.scalar(
        select(Debate).where(
            Debate.team_id == team_id, Debate.kpi_id == kpi_id, Debate.decision.is_(None)
        )
    )


@dataclass(frozen=True)
class Held:
    """A debate whose meeting has been, undecided: its team's zone, KPI and who argued."""

    debate: Debate
    kpi: str
    zone: str
    arguers: tuple[tuple[int, Side], ...]


async def held_between(session: AsyncSession, since: datetime, until: datetime) -> list[Held]:
    """Undecided debates whose meeting fell between these moments (every workspace), with
    the two who agreed to argue: two statements."""
    rows = await session.execute(
        select(Debate, Kpi.name, Team.time_zone)
        .join(Kpi, Kpi.id == Debate.kpi_id)
        .join(Team, Team.id == Debate.team_id)
        .where(Debate.slot_at >= since, Debate.slot_at < until, Debate.decision.is_(None))
        .order_by(Debate.id)
    )
    found = [(d, name, zone) for d, name, zone in rows.all()]
    if not found:
        return []
    seats = await session.execute(
        select(DebateSeat.debate_id, DebateSeat.member_id, DebateSeat.side)
        .join(Debate, Debate.id == DebateSeat.debate_id)
        .where(
            Debate.slot_at >= since,
            Debate.slot_at < until,
            Debate.decision.is_(None),
            DebateSeat.answer == SeatAnswer.YES,
        )
        .order_by(DebateSeat.id)
    )
    arguers: dict[int, list[tuple[int, Side]]] = defaultdict(list)
    for debate_id, member_id, side in seats.all():
        arguers[debate_id].append((member_id, side))
    return [Held(d, name, zone, tuple(arguers.get(d.id, ()))) for d, name, zone in found]


async def decisions_for_review(
    session: AsyncSession, kpi_ids: Collection[int], quarters: Collection[str]
) -> dict[int, Debate]:
    """The latest decided debate per KPI among these quarters, for the quarterly review."""
    if not kpi_ids:
        return {}
    rows = await session.scalars(
        select(Debate)
        .where(
            and_(
                Debate.kpi_id.in_(list(kpi_ids)),
                Debate.quarter.in_(list(quarters)),
                Debate.decision.is_not(None),
            )
        )
        .order_by(Debate.decided_at, Debate.id)
    )
    return {d.kpi_id: d for d in rows.all()}


@dataclass(frozen=True)
class Unpaired:
    """A debate started in a window, still without its slot: its team's zone, KPI, and the
    sides nobody has agreed to argue yet (passed, silent or never asked alike)."""

    debate: Debate
    kpi_id: int
    kpi: str
    zone: str
    missing: tuple[Side, ...]


async def unpaired_between(
    session: AsyncSession, since: datetime, until: datetime
) -> list[Unpaired]:
    """Debates started between these moments (every workspace) that are still unpaired and
    undecided, with the sides that lack a yes: two statements."""
    rows = await session.execute(
        select(Debate, Kpi.name, Team.time_zone)
        .join(Kpi, Kpi.id == Debate.kpi_id)
        .join(Team, Team.id == Debate.team_id)
        .where(
            Debate.created_at >= since,
            Debate.created_at < until,
            Debate.slot_at.is_(None),
            Debate.decision.is_(None),
            Debate.started_by_id.is_not(None),
        )
        .order_by(Debate.id)
    )
    found = [(d, name, zone) for d, name, zone in rows.all()]
    if not found:
        return []
    agreed = await session.execute(
        select(DebateSeat.debate_id, DebateSeat.side)
        .join(Debate, Debate.id == DebateSeat.debate_id)
        .where(
            Debate.created_at >= since,
            Debate.created_at < until,
            Debate.slot_at.is_(None),
            DebateSeat.answer == SeatAnswer.YES,
        )
    )
    sides: dict[int, set[Side]] = defaultdict(set)
    for debate_id, side in agreed.all():
        sides[debate_id].add(side)
    return [
        Unpaired(d, d.kpi_id, name, zone, tuple(s for s in Side if s not in sides[d.id]))
        for d, name, zone in found
    ]
