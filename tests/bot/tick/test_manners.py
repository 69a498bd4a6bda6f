"""The nudge manners are said once a month, on a person's first nudge of it, not under each."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from rituals.core.nudges import MANNERS
from storage.models import Role
from tests.scheduling import Someone, outbox, planner, seed_team, text


def ten_on(day: str) -> datetime:
    return datetime.fromisoformat(f"{day} 10:00").replace(tzinfo=UTC)


async def test_the_manners_footer_comes_with_the_first_nudge_of_each_month(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone("lea", role=Role.LEAD), Someone("ana")])
    tick = planner(sessions, config)
    # Mondays' check-ins (and Lea's digest on Tuesdays): two in November, one in December.
    for day in ("2026-11-23", "2026-11-24", "2026-11-30", "2026-12-01", "2026-12-07"):
        await tick.tick(ten_on(day))
    said = [
        (row.target, row.created_at.date().isoformat(), text(row)) for row in await outbox(sessions)
    ]
    with_manners = [(who, day) for who, day, words in said if MANNERS in words]
    assert with_manners == [
        ("lea", "2026-11-23"),
        ("ana", "2026-11-23"),
        ("lea", "2026-12-01"),  # the digest is her first nudge of December
        ("ana", "2026-12-07"),
    ]
    assert all(
        "`help nudges` says this again." in words for _, _, words in said if MANNERS in words
    )
    assert len(said) > len(with_manners)
