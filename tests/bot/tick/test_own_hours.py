"""A person's own working hours (`me set hours`) hold every nudge the tick sends them: the
week's check-in and a commitment's due-day reminder come at the start of their day."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from storage.models import Role
from tests.scheduling import Someone, outbox, planner, seed_team
from tests.support import MovingClock, at, chat_at, text_of


async def sent_to(sessions: async_sessionmaker[AsyncSession], user: str, ritual: str) -> list[str]:
    """When someone's queued rows of one ritual go out (the seeded people live in UTC)."""
    return [
        f"{r.next_attempt_at:%a %H:%M}"
        for r in await outbox(sessions)
        if r.target == user and r.ritual == ritual
    ]


async def test_nudges_wait_for_the_start_of_a_persons_own_working_hours(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone("lea", role=Role.LEAD), Someone("ana")])
    clock = MovingClock(at("2026-11-22 12:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)

    assert "Saved" in await chat.text("ana", "me set hours 11:00-17:00")
    # Monday's 10:00 check-in reaches Lea on time, and Ana when her day starts.
    for moment in ("2026-11-23 10:00", "2026-11-23 10:59"):
        clock.move_to(at(moment))
        await tick.tick(clock.now())
    assert await sent_to(sessions, "lea", "checkin") == ["Mon 10:00"]
    assert await sent_to(sessions, "ana", "checkin") == []
    clock.move_to(at("2026-11-23 11:00"))
    await tick.tick(clock.now())
    assert await sent_to(sessions, "ana", "checkin") == ["Mon 11:00"]


async def test_a_prompt_after_a_persons_working_day_comes_the_next_working_morning(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone("lea", role=Role.LEAD), Someone("ana")])
    clock = MovingClock(at("2026-11-22 12:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    assert "Saved" in await chat.text("ana", "me set hours 06:00-09:30 quiet 20:00-05:00")
    for moment in ("2026-11-23 10:00", "2026-11-24 05:59", "2026-11-24 06:00"):
        clock.move_to(at(moment))
        await tick.tick(clock.now())
    assert await sent_to(sessions, "ana", "checkin") == ["Tue 06:00"]

    await chat.say("ana", "obstacle waiting for legal to approve the template")
    said = await chat.text("lea", "digest")
    obstacle = int(said.split("(#")[1].split(",")[0].split(")")[0])
    replies = await chat.say("lea", f'commit {obstacle} "Ask legal" owner @ana due wed')
    assert "Committed #" in text_of(replies)
    # The due-day reminder comes at the start of Ana's day, not at app.yaml's 09:00.
    clock.move_to(at("2026-11-25 05:59"))
    await tick.tick(clock.now())
    assert await sent_to(sessions, "ana", "commitment") == []
    clock.move_to(at("2026-11-25 06:00"))
    await tick.tick(clock.now())
    assert await sent_to(sessions, "ana", "commitment") == ["Wed 06:00"]
