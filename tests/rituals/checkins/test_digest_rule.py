"""The digest says what makes a commitment once, in a lead's first digest, then where to read it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from rituals.checkins.commands import RULE, RULE_LINK
from storage.models import Role
from tests.scheduling import Someone, outbox, planner, seed_team, text
from tests.support import Chat


def ten_on(day: str) -> datetime:
    return datetime.fromisoformat(f"{day} 10:00").replace(tzinfo=UTC)


async def test_the_rule_comes_in_full_once_then_as_a_pointer(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone("lea", role=Role.LEAD), Someone("ana")])
    tick = planner(sessions, config)
    for day in ("2026-11-24", "2026-12-01", "2026-12-08"):  # Tuesdays: the digest's day
        await tick.tick(ten_on(day))
    digests = [text(r) for r in await outbox(sessions) if "Check-in digest" in text(r)]
    assert len(digests) == 3
    assert RULE in digests[0]
    for later in digests[1:]:
        assert RULE not in later
        assert RULE_LINK in later


async def test_the_digest_asked_for_points_to_the_rule(chat: Chat) -> None:
    said = await chat.text("lea", "digest")
    assert RULE_LINK in said
    assert RULE not in said
    assert RULE in await chat.text("lea", "help commit")
