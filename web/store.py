"""The page's own queries, each scoped to the session's workspace, one query per kind of row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rituals.kpis.visibility import TEAM_SEES_NUMBERS
from storage.models import (
    Kpi,
    KpiStatus,
    KpiValue,
    Kudos,
    KudosRecipient,
    Member,
    Membership,
    Role,
    Team,
)


async def with_values(session: AsyncSession, workspace_id: int, kpi_ids: Sequence[int]) -> set[int]:
    """Which of these KPIs have a value logged (so a chart exists to show)."""
    if not kpi_ids:
        return set()
    rows = await session.scalars(
        select(KpiValue.kpi_id)
        .join(Kpi, Kpi.id == KpiValue.kpi_id)
        .where(Kpi.workspace_id == workspace_id, KpiValue.kpi_id.in_(kpi_ids))
        .group_by(KpiValue.kpi_id)
    )
    return set(rows)


async def shared_team_kpis(
    session: AsyncSession, workspace_id: int, team_ids: Sequence[int], but: int
) -> list[tuple[Kpi, Member, Team]]:
    """The active KPIs of these teams whose numbers the team may read, others' only."""
    if not team_ids:
        return []
    rows = await session.execute(
        select(Kpi, Member, Team)
        .join(Member, (Member.workspace_id == Kpi.workspace_id) & (Member.id == Kpi.owner_id))
        .join(Team, (Team.workspace_id == Kpi.workspace_id) & (Team.id == Kpi.team_id))
        .where(
            Kpi.workspace_id == workspace_id,
            Kpi.team_id.in_(team_ids),
            Kpi.status == KpiStatus.ACTIVE,
            Kpi.owner_id != but,
            TEAM_SEES_NUMBERS,
        )
        .order_by(Team.name, Kpi.id)
    )
    return [(kpi, owner, team) for kpi, owner, team in rows.all()]


@dataclass(frozen=True)
class KudosStory:
    given_by: str
    to: tuple[str, ...]
    story: str
    reward: str | None
    at: datetime


async def recent_kudos(
    session: AsyncSession, workspace_id: int, team_ids: Sequence[int], limit: int = 10
) -> list[KudosStory]:
    """The newest kudos of these teams (posted to the team already), with who gave and got."""
    if not team_ids:
        return []
    rows = await session.execute(
        select(Kudos, Member.display_name)
        .join(Member, (Member.workspace_id == Kudos.workspace_id) & (Member.id == Kudos.from_id))
        .where(Kudos.workspace_id == workspace_id, Kudos.team_id.in_(team_ids))
        .order_by(Kudos.created_at.desc(), Kudos.id.desc())
        .limit(limit)
    )
    found: list[tuple[Kudos, str]] = [(k, name) for k, name in rows.all()]
    ids = [k.id for k, _ in found]
    names: dict[int, list[str]] = {}
    if ids:
        got = await session.execute(
            select(KudosRecipient.kudos_id, Member.display_name)
            .join(
                Member,
                (Member.workspace_id == KudosRecipient.workspace_id)
                & (Member.id == KudosRecipient.member_id),
            )
            .where(KudosRecipient.workspace_id == workspace_id, KudosRecipient.kudos_id.in_(ids))
            .order_by(Member.display_name)
        )
        for kudos_id, name in got.all():
            names.setdefault(kudos_id, []).append(name)
    return [
        KudosStory(name, tuple(names.get(k.id, ())), k.story, k.reward, k.created_at)
        for k, name in found
    ]


async def reports(session: AsyncSession, workspace_id: int, lead_id: int) -> list[Member]:
    """Everyone on a team this person leads, but them; by name."""
    led = select(Membership.team_id).where(
        Membership.workspace_id == workspace_id,
        Membership.member_id == lead_id,
        Membership.role == Role.LEAD,
    )
    query = (
        select(Member)
        .join(
            Membership,
            (Membership.workspace_id == Member.workspace_id) & (Membership.member_id == Member.id),
        )
        .where(
            Member.workspace_id == workspace_id,
            Membership.team_id.in_(led),
            Member.id != lead_id,
            Member.is_active.is_(True),
        )
        .distinct()
        .order_by(Member.display_name, Member.id)
    )
    return list((await session.scalars(query)).all())
