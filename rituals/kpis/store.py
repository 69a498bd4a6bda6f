"""Queries about KPIs. None of them commit; every one is scoped to a workspace.

The team's votes on proposals live here too: one changeable vote a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Kpi, KpiStatus, KpiVote, Member, Membership

LIVE = (KpiStatus.PROPOSED, KpiStatus.ACTIVE)


async def live_kpis_of(session: AsyncSession, workspace_id: int, owner_id: int) -> Sequence[Kpi]:
    """A member's proposed and active KPIs, oldest first: the ones that count toward the cap."""
    query = (
        select(Kpi)
        .where(
            Kpi.workspace_id == workspace_id,
            Kpi.owner_id == owner_id,
            Kpi.status.in_(LIVE),
        )
        .order_by(Kpi.id)
    )
    return (await session.scalars(query)).all()


async def team_has_active_kpi(session: AsyncSession, workspace_id: int, team_id: int) -> bool:
    """Whether anyone on the team owns an active KPI: a kudos names one, so without any there
    is nothing yet to recognise help against."""
    found = await session.scalar(
        select(Kpi.id)
        .join(
            Membership,
            (Membership.member_id == Kpi.owner_id) & (Membership.team_id == team_id),
        )
        .where(
            Kpi.workspace_id == workspace_id,
            Membership.workspace_id == workspace_id,
            Kpi.status == KpiStatus.ACTIVE,
        )
        .limit(1)
    )
    return found is not None


# Built once: `kpis` runs them on every call, and building one cost about as much CPU as
# running it.
_OWNED = select(Kpi).where(
    Kpi.workspace_id == bindparam("workspace"), Kpi.owner_id == bindparam("owner")
)
ALL_OWNED = _OWNED.order_by(Kpi.status, Kpi.id)
LIVE_OWNED = _OWNED.where(Kpi.status.in_(LIVE)).order_by(Kpi.status, Kpi.id)


async def kpis_of(
    session: AsyncSession,
    workspace_id: int,
    owner_id: int,
    *,
    include_retired: bool,
    known: ColumnElement[bool] | None = None,
) -> Sequence[Kpi]:
    """A member's KPIs; only those the reader may know of (`known`, from visibility) if given."""
    query = ALL_OWNED if include_retired else LIVE_OWNED
    if known is not None:
        query = query.where(known)
    return (await session.scalars(query, {"workspace": workspace_id, "owner": owner_id})).all()


async def kpi_by_id(
    session: AsyncSession, workspace_id: int, kpi_id: int, known: ColumnElement[bool]
) -> Kpi | None:
    """The KPI with this number, if the reader may know of it (`known`, from visibility)."""
    return await session.scalar(
        select(Kpi).where(Kpi.workspace_id == workspace_id, Kpi.id == kpi_id, known)
    )


async def kpis_named(
    session: AsyncSession, workspace_id: int, name: str, known: ColumnElement[bool]
) -> Sequence[Kpi]:
    """KPIs whose name matches, ignoring case, among those the reader may know of (`known`),
    newest live ones first."""
    query = (
        select(Kpi)
        .where(Kpi.workspace_id == workspace_id, func.lower(Kpi.name) == name.lower(), known)
        .order_by(Kpi.status, Kpi.id.desc())
    )
    return (await session.scalars(query)).all()


@dataclass(frozen=True)
class Tally:
    backs: int
    questions: int
    comments: tuple[tuple[str, bool, str], ...]  # (who, backs it, what they said)

    def __str__(self) -> str:
        return f"{self.backs} back it, {self.questions} question it"


async def vote_of(session: AsyncSession, kpi_id: int, member_id: int) -> KpiVote | None:
    return await session.scalar(
        select(KpiVote).where(KpiVote.kpi_id == kpi_id, KpiVote.member_id == member_id)
    )


async def tally(session: AsyncSession, kpi_id: int) -> Tally:
    rows = (
        await session.execute(
            select(KpiVote, Member.display_name)
            .join(Member, Member.id == KpiVote.member_id)
            .where(KpiVote.kpi_id == kpi_id)
            .order_by(KpiVote.voted_at, KpiVote.id)
        )
    ).all()
    backs = sum(1 for vote, _ in rows if vote.backs)
    comments = tuple((name, vote.backs, vote.comment) for vote, name in rows if vote.comment)
    return Tally(backs, len(rows) - backs, comments)


async def ready_to_activate(
    session: AsyncSession, workspace_id: int, team_ids: Sequence[int]
) -> Sequence[Kpi]:
    """Proposals on these teams (a lead's few) with nothing left but the lead's word: agreed
    by their owner, tied to a growth goal, exciting, with an outcome where they count effort,
    and, once put to the team's vote, backed by more than question them."""
    margin = (
        select(func.coalesce(func.sum(case((KpiVote.backs, 1), else_=-1)), 0))
        .where(KpiVote.kpi_id == Kpi.id)
        .scalar_subquery()
    )
    query = (
        select(Kpi)
        .where(
            Kpi.workspace_id == workspace_id,
            Kpi.team_id.in_(team_ids),
            Kpi.status == KpiStatus.PROPOSED,
            Kpi.agreed_at.is_not(None),
            Kpi.growth_goal.is_not(None),
            Kpi.excites.is_not(None),
            (Kpi.effort_term.is_(None)) | (Kpi.outcome.is_not(None)),
            ~Kpi.shared | (margin > 0),
        )
        .order_by(Kpi.id)
        .limit(20)
    )
    return (await session.scalars(query)).all()


@dataclass(frozen=True)
class OpenVote:
    """A proposal put to a team's vote, how it stands, and this person's say on it if any."""

    kpi: Kpi
    backs: int
    questions: int
    mine: bool | None  # True: backs it; False: questions it; None: has not voted


async def open_votes(
    session: AsyncSession, workspace_id: int, team_ids: Sequence[int], member_id: int
) -> list[OpenVote]:
    """Proposals on these teams (a person's few) still put to the team's vote, oldest first:
    what a home shows as waiting on the person, or, for their lead, on the team. One query."""
    votes = select(func.count(KpiVote.id)).where(KpiVote.kpi_id == Kpi.id)
    backs = votes.where(KpiVote.backs).scalar_subquery().label("backs")
    questions = votes.where(~KpiVote.backs).scalar_subquery().label("questions")
    mine = (
        select(KpiVote.backs)
        .where(KpiVote.kpi_id == Kpi.id, KpiVote.member_id == member_id)
        .scalar_subquery()
        .label("mine")
    )
    rows = await session.execute(
        select(Kpi, backs, questions, mine)
        .where(
            Kpi.workspace_id == workspace_id,
            Kpi.team_id.in_(team_ids),
            Kpi.status == KpiStatus.PROPOSED,
            Kpi.shared,
        )
        .order_by(Kpi.id)
        .limit(20)
    )
    found: list[OpenVote] = []
    for row in rows.all():
        kpi: Kpi = row[0]
        say: bool | None = row[3]
        found.append(OpenVote(kpi, int(row[1] or 0), int(row[2] or 0), say))
    return found
