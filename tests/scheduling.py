"""Helpers for scheduler and outbox tests: teams of people in chosen zones, and what got queued."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.payload import decode, stored
from bot.scheduler import Planner
from rituals.core.messages import Mention, dm
from rituals.core.settings import RitualSettings
from storage.models import Nudge, Outbox, Platform, Role, Team
from storage.outbox import OutboxRow, enqueue
from storage.people import NewMember, ensure_member, ensure_workspace
from storage.teams import ensure_membership, ensure_team
from tests.conftest import NOW

LONG_AGO = datetime(2026, 1, 5, tzinfo=UTC)


@dataclass(frozen=True)
class Someone:
    user_id: str
    time_zone: str = "UTC"
    role: Role = Role.MEMBER
    working_days: str = "mon,tue,wed,thu,fri"


async def seed_team(
    session: AsyncSession,
    people: Sequence[Someone],
    *,
    team: str = "Growth",
    workspace: str = "T1",
    platform: Platform = Platform.SLACK,
    settings: dict[str, object] | None = None,
) -> Team:
    """A team whose people joined long ago, so every prompt from now on is theirs."""
    ws = await ensure_workspace(session, platform, workspace, workspace, LONG_AGO)
    row = await ensure_team(session, ws.id, team, "UTC", LONG_AGO)
    row.settings = dict(settings or {})
    for p in people:
        new = NewMember(p.user_id, p.user_id.capitalize(), p.time_zone, p.working_days)
        member = await ensure_member(session, ws.id, new, LONG_AGO)
        await ensure_membership(session, row, member, p.role, LONG_AGO)
    await session.flush()
    return row


async def outbox(sessions: async_sessionmaker[AsyncSession]) -> list[Outbox]:
    async with sessions() as session:
        return list((await session.scalars(select(Outbox).order_by(Outbox.id))).all())


async def ledger(sessions: async_sessionmaker[AsyncSession]) -> list[Nudge]:
    async with sessions() as session:
        return list((await session.scalars(select(Nudge).order_by(Nudge.id))).all())


def text(row: Outbox) -> str:
    return decode(row.payload).text


def planner(
    sessions: async_sessionmaker[AsyncSession],
    settings: RitualSettings,
    platforms: Sequence[Platform] = (Platform.SLACK,),
) -> Planner:
    return Planner(sessions, settings, platforms)


async def queue(sessions: async_sessionmaker[AsyncSession], users: Sequence[str]) -> None:
    """A check-in DM to each user of one Slack workspace, due now: work for a delivery worker."""
    async with sessions() as session, session.begin():
        ws = await ensure_workspace(session, Platform.SLACK, "T0AB12CD3", "acme", NOW)
        await enqueue(
            session,
            [
                OutboxRow(
                    ws.id,
                    Platform.SLACK,
                    user,
                    "checkin",
                    f"test:{user}",
                    stored(dm(Mention(user, user), f"Hello {user} <!channel>")),
                    NOW,
                )
                for user in users
            ],
        )
