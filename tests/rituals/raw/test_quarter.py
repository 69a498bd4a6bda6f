"""A quarter of KPI Raw on the demo clock, end to end: every Friday one issue in Growth's
channel, numbers logged on Mondays beside their notes, the month's Fail of the Month and a
finished experiment in the week they happened, and a week nobody logged anything as one
line."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.payload import decode
from tests.rituals.raw.support import CHANNEL, growth, share
from tests.scheduling import outbox, planner
from tests.support import MovingClock, active_kpi, at, chat_at

ON = ["checkin", "kudos", "review", "fail_of_month", "raw"]
FIRST_MONDAY = at("2026-11-23 09:30")
WEEKS = 14
HOLIDAY = 4  # the week of 21 December: nobody logs, nothing happens


async def test_a_quarter_of_fridays_one_issue_each(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await growth(sessions, {"enabled": ON})
    clock = MovingClock(FIRST_MONDAY)
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    kpi = await active_kpi(chat, "Qualified leads", "10 leads", owner="ana")
    await share(sessions, kpi)
    said = await chat.text(
        "ana", 'fail nominate me "quoted last year\'s prices" learned "check the sheet date first"'
    )
    assert "ballot" in said
    story = int(said.split("#")[1].split(")")[0].split(" ")[0])
    said = await chat.text("ana", f'experiment {kpi} "call every paused account within a day"')
    tried = int(said.split("Experiment #")[1].split(" ")[0])

    for week in range(WEEKS):
        monday = FIRST_MONDAY + timedelta(weeks=week)
        clock.move_to(monday)
        if week != HOLIDAY:
            await chat.text("ana", f'log {kpi} {10 + week % 3} "week {week + 1} of the quarter"')
        if week == 1:  # the vote closes on the 1st at check-in time; the result comes after
            clock.move_to(at("2026-11-30 11:00"))
            await chat.text("ben", f"fail vote {story}")
            clock.move_to(at("2026-12-01 10:05"))
            await tick.tick(clock.now())
            await chat.text("ana", f'result {tried} "two paused accounts came back"')
        clock.move_to(monday + timedelta(days=4, hours=6, minutes=30))  # Friday 16:00
        await tick.tick(clock.now())
        await tick.tick(clock.now())

    issues = [
        decode(r.payload)
        for r in await outbox(sessions)
        if r.ritual == "raw" and r.target == CHANNEL
    ]
    assert len(issues) == WEEKS
    texts = [i.text for i in issues]
    assert texts[0].startswith("KPI Raw: Growth, week 2026-W48")
    assert '"week 1 of the quarter"' in texts[0]
    assert "Fail of the Month" not in texts[0]
    december = texts[1]
    assert "Fail of the Month, the story the team chose:" in december
    assert "Ana: quoted last year's prices Learned: check the sheet date first" in december
    assert "Ana finished on Qualified leads: two paused accounts came back" in december
    assert texts[HOLIDAY] == "KPI Raw, Growth, week 2026-W52: a quiet week."
    assert texts[-1].startswith("KPI Raw: Growth, week 2027-W08")
    assert '"week 14 of the quarter"' in texts[-1]
