"""Everyone the scheduler may prompt, in two queries whatever the number of teams and people."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, Membership, Platform, Role, Team, Workspace


@dataclass(frozen=True)
class TeamRow:
    id: int
    workspace_id: int
    platform: Platform
    name: str
    settings: dict[str, object]
    time_zone: str
    created_at: datetime
    channel_id: str | None  # the team's home channel, for its posts


class SeatRow(NamedTuple):
    """A person on a team, with what the scheduler needs to know about them. A named tuple:
    a tick makes one per person, and a frozen dataclass took three times as long to make."""

    team_id: int
    role: Role
    member_id: int
    platform_user_id: str
    display_name: str
    time_zone: str
    working_days: str
    work_start: str
    work_end: str
    quiet_start: str | None
    quiet_end: str | None
    nudges_paused: bool
    away_until: date | None
    skip_week: str | None
    snoozed_until: datetime | None
    joined_at: datetime


async def teams_on(session: AsyncSession, platforms: Collection[Platform]) -> list[TeamRow]:
    query = (
        select(
            Team.id,
            Team.workspace_id,
            Workspace.platform,
            Team.name,
            Team.settings,
            Team.time_zone,
            Team.created_at,
            Team.channel_id,
        )
        .join(Workspace, Workspace.id == Team.workspace_id)
        .where(Workspace.platform.in_(platforms))
        .order_by(Team.id)
    )
    return [TeamRow(*row) for row in (await session.execute(query)).all()]


async def seats_on(session: AsyncSession, platforms: Collection[Platform]) -> list[SeatRow]:
    """Every active member's seat on every team of these platforms."""
    query = (
        select(
            Membership.team_id,
            Membership.role,
            Member.id,
            Member.platform_user_id,
            Member.display_name,
            Member.time_zone,
            Member.working_days,
            Member.work_start,
            Member.work_end,
            Member.quiet_start,
            Member.quiet_end,
            Member.nudges_paused,
            Member.away_until,
            Member.skip_week,
            Member.snoozed_until,
            Membership.created_at,
        )
        .join(Member, Member.id == Membership.member_id)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(Workspace.platform.in_(platforms), Member.is_active)
        .order_by(Membership.team_id, Member.id)
    )
    # Through the connection: SQLAlchemy's ORM would look at every one of 10,000 rows of
    # plain columns for entities to load, a third of the query's time.
    rows = await (await session.connection()).execute(query)
    return [SeatRow._make(row) for row in rows.all()]
