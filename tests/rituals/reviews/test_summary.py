"""The quarter's review summary says only what happened: a personal KPI counts as reviewed
only when someone reviewed it; one nobody answered for is counted as not reviewed."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from storage.models import Member, Role
from tests.scheduling import LONG_AGO, Someone, outbox, planner, seed_team, text
from tests.support import MovingClock, active_kpi, at, chat_at

CHANNEL = "C0GROWTH"


async def _team(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        team = await seed_team(
            session, [Someone("lea", role=Role.LEAD), Someone("ana"), Someone("ben")]
        )
        team.channel_id = CHANNEL
        await session.execute(update(Member).values(welcomed_at=LONG_AGO))


async def _summary(sessions: async_sessionmaker[AsyncSession]) -> str:
    (post,) = [r for r in await outbox(sessions) if r.target == CHANNEL]
    return text(post)


async def test_a_personal_kpi_nobody_reviewed_is_not_said_to_be_reviewed(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _team(sessions)
    clock = MovingClock(at("2026-12-14 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    await active_kpi(chat, "Demos", "10", "ana", "lead calls alone")
    clock.move_to(at("2027-01-04 10:00"))
    await tick.tick(clock.now())
    clock.move_to(at("2027-01-11 10:00"))
    await tick.tick(clock.now())
    said = await _summary(sessions)
    assert "2027-Q1 KPI review: Growth" in said
    assert "was reviewed" not in said
    assert "1 personal KPI was not reviewed; they carry on as they are." in said


async def test_the_summary_counts_the_reviewed_and_the_unreviewed_apart(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _team(sessions)
    clock = MovingClock(at("2026-12-14 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    await active_kpi(chat, "Demos", "10", "ana", "lead calls alone")
    await active_kpi(chat, "Qualified leads", "10", "ana", "lead calls alone")
    reviewed = await active_kpi(chat, "Uptime", "10", "ben", "lead calls alone")
    clock.move_to(at("2027-01-04 10:00"))
    await tick.tick(clock.now())
    said = await chat.text("ben", f"review {reviewed} keep relevant yes motivating yes")
    assert f"#{reviewed}" in said
    clock.move_to(at("2027-01-11 10:00"))
    await tick.tick(clock.now())
    said = await _summary(sessions)
    assert "1 personal KPI was reviewed between owners and their lead." in said
    assert "2 personal KPIs were not reviewed; they carry on as they are." in said
    assert "Demos" not in said
