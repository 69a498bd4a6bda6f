"""The tick over the real store and a moving clock: local times, DST, quiet hours, leave, budget."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from rituals.core.schedule import (
    Person,
    Reach,
    Rule,
    Verdict,
    decide,
    next_prompt,
    occurrence,
    previous_day,
    reachable_at,
)
from storage.engine import make_engine, make_sessionmaker
from storage.models import NudgeOutcome, Role
from tests.scheduling import Someone, ledger, outbox, planner, seed_team, text
from tests.support import member

ZONES = ("Pacific/Auckland", "Europe/London", "America/Los_Angeles")


def local_at(local: str, zone: str) -> datetime:
    """ "2026-10-26 10:00" in a zone, as UTC."""
    return datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


# Weeks around the DST changes: London left summer time on 25 Oct, Los Angeles on 1 Nov;
# Auckland entered it on 27 Sep. The UTC instant of "Monday 10:00" moves; local 10:00 must not.
@pytest.mark.parametrize("monday", ["2026-10-19", "2026-10-26", "2026-11-02"])
async def test_a_monday_10_00_prompt_arrives_at_10_00_local_in_three_zones(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig, monday: str
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone(f"p{i}", zone) for i, zone in enumerate(ZONES)])
    tick = planner(sessions, config)
    for i, zone in enumerate(ZONES):
        ten = local_at(f"{monday} 10:00", zone)
        await tick.tick(ten - timedelta(minutes=1))
        assert [r.target for r in await outbox(sessions)].count(f"p{i}") == 0, zone
        await tick.tick(ten)
        row = next(r for r in await outbox(sessions) if r.target == f"p{i}")
        assert row.next_attempt_at == ten
        assert row.next_attempt_at.astimezone(ZoneInfo(zone)).strftime("%a %H:%M") == "Mon 10:00"
        assert "What's in your way this week?" in text(row)
    assert sorted(r.target for r in await outbox(sessions)) == ["p0", "p1", "p2"]


def test_a_time_that_a_dst_change_skips_moves_just_past_the_gap() -> None:
    # London jumps from 01:00 to 02:00 on 29 March 2026: 01:30 does not exist that day.
    reach = Reach("Europe/London", "mon,tue,wed,thu,fri,sat,sun", "23:00-00:30", "00:00-23:59")
    moment = reachable_at(reach, date(2026, 3, 29), "01:30")
    assert moment.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert moment.strftime("%H:%M") == "02:30"


async def test_two_ticks_of_the_same_minute_queue_once(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone("lea", role=Role.LEAD), Someone("ana")])
    monday = local_at("2026-11-23 10:00", "UTC")
    first = await planner(sessions, config).tick(monday)
    again = await planner(sessions, config).tick(monday)
    later = await planner(sessions, config).tick(monday + timedelta(minutes=5))
    assert (first.queued, again.queued, later.queued) == (2, 0, 0)
    assert len(await outbox(sessions)) == 2


async def test_ticks_racing_from_two_processes_queue_once(
    own_database: str, config: AppConfig
) -> None:
    """Two replicas, each with its own engine, ticking the same minute at the same time."""
    engines = [make_engine(own_database), make_engine(own_database)]
    try:
        sessions = [make_sessionmaker(e) for e in engines]
        async with sessions[0]() as session, session.begin():
            people = [Someone(f"p{i}") for i in range(40)]
            await seed_team(session, [Someone("lea", role=Role.LEAD), *people])
        monday = local_at("2026-11-23 10:00", "UTC")
        reports = await asyncio.gather(
            *(planner(s, config).tick(monday) for s in sessions for _ in range(2))
        )
        assert sum(r.queued for r in reports) == 41
        rows = await outbox(sessions[0])
        assert len(rows) == 41
        assert len({r.target for r in rows}) == 41
    finally:
        for engine in engines:
            await engine.dispose()


async def test_quiet_hours_and_working_days_move_the_prompt_later(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(
            session, [Someone("owl"), Someone("tue", working_days="tue,wed,thu,fri,sat")]
        )
        (await member(session, "owl")).quiet_start = "20:00"
        (await member(session, "owl")).quiet_end = "11:30"
    tick = planner(sessions, config)
    await tick.tick(local_at("2026-11-23 11:29", "UTC"))
    assert await outbox(sessions) == []
    await tick.tick(local_at("2026-11-23 11:30", "UTC"))
    assert [r.target for r in await outbox(sessions)] == ["owl"]
    await tick.tick(local_at("2026-11-24 09:59", "UTC"))
    await tick.tick(local_at("2026-11-24 10:00", "UTC"))
    assert [r.target for r in await outbox(sessions)] == ["owl", "tue"]


async def test_leave_skip_pause_and_snooze(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    # "here" comes first and is otherwise alike: what is decided for her (decided once for
    # everyone reached alike) must not be what the others on a break get.
    people = ("here", "away", "skip", "paused", "snooze")
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone(u) for u in people])
        (await member(session, "away")).away_until = date(2026, 11, 30)  # back that day
        (await member(session, "skip")).skip_week = "2026-W48"
        (await member(session, "paused")).nudges_paused = True
        (await member(session, "snooze")).snoozed_until = local_at("2026-11-23 13:15", "UTC")
    tick = planner(sessions, config)
    await tick.tick(local_at("2026-11-23 10:00", "UTC"))
    assert [r.target for r in await outbox(sessions)] == ["here"]
    this_week = [n for n in await ledger(sessions) if n.period == "2026-W48"]
    skipped = {
        n.dedupe_key.split(":")[2]: n for n in this_week if n.outcome is not NudgeOutcome.QUEUED
    }
    assert {n.outcome for n in skipped.values()} == {NudgeOutcome.SKIPPED}
    assert sorted(n.reason or "" for n in skipped.values()) == [
        "away until 2026-11-30",
        "nudges paused",
        "skipped week 2026-W48",
    ]
    await tick.tick(local_at("2026-11-23 13:14", "UTC"))
    assert [r.target for r in await outbox(sessions)] == ["here"]
    await tick.tick(local_at("2026-11-23 13:15", "UTC"))
    assert [r.target for r in await outbox(sessions)] == ["here", "snooze"]
    # Back from leave: the next week's prompt arrives as usual; skipping was for one week.
    await tick.tick(local_at("2026-11-30 10:00", "UTC"))
    assert sorted(r.target for r in await outbox(sessions)) == [
        "away",
        "here",
        "here",
        "skip",
        "snooze",
        "snooze",
    ]


async def test_a_prompt_missed_while_down_goes_out_late_within_grace_else_is_recorded(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone("ana")])
        await seed_team(session, [Someone("ben")], team="Later", workspace="T2")
    # Down from Monday 09:00 until Monday 16:00: within the check-in's 24 hours, it goes out.
    await planner(sessions, config).tick(local_at("2026-11-23 16:00", "UTC") + timedelta(seconds=7))
    assert [r.target for r in await outbox(sessions)] == ["ana", "ben"]
    # Down for a whole week: the next Monday's tick settles last week's as missed and sends
    # this week's on time.
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone("cy")], team="Third", workspace="T3")
    await planner(sessions, config).tick(local_at("2026-11-30 10:00", "UTC"))
    missed = [
        n
        for n in await ledger(sessions)
        if n.outcome is NudgeOutcome.MISSED and (n.ritual, n.period) == ("checkin", "2026-W48")
    ]
    assert len(missed) == 1
    assert "not sent within 24 hours" in (missed[0].reason or "")
    assert sorted(r.target for r in await outbox(sessions)) == ["ana", "ana", "ben", "ben", "cy"]


async def test_the_weekly_budget_merges_then_holds(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Four teams prompt Ana on one Monday morning; her budget is three DMs a week."""
    async with sessions() as session, session.begin():
        for name in ("A", "B", "C", "D"):
            await seed_team(session, [Someone("ana")], team=name)
        await seed_team(session, [Someone("ana")], team="E", settings={"checkin_day": "thu"})
    tick = planner(sessions, config)
    report = await tick.tick(local_at("2026-11-23 10:00", "UTC"))
    rows = await outbox(sessions)
    assert (report.queued, report.messages, len(rows)) == (4, 3, 3)
    merged = [r for r in rows if text(r).count("Weekly check-in") == 2]
    assert len(merged) == 1
    reasons = [n.reason for n in await ledger(sessions)]
    assert sum(1 for r in reasons if r and r.startswith("merged into")) == 1
    # Thursday's fifth prompt waits: the week's budget is spent.
    held = await tick.tick(local_at("2026-11-26 10:00", "UTC"))
    assert (held.held, held.queued, len(await outbox(sessions))) == (1, 0, 3)
    # Past its grace it is recorded as missed, never sent.
    await tick.tick(local_at("2026-11-27 10:01", "UTC"))
    missed = [
        n
        for n in await ledger(sessions)
        if n.outcome is NudgeOutcome.MISSED and n.period == "2026-W48" and n.ritual == "checkin"
    ]
    assert len(missed) == 1
    assert len(await outbox(sessions)) == 3


def test_the_next_prompt_counts_one_that_working_days_moved_into_this_week() -> None:
    """A Sunday check-in for someone who works Monday to Friday arrives on Monday."""
    rule = Rule("checkin", "weekly", "sun", "10:00")
    person = Person(Reach("UTC", "mon,tue,wed,thu,fri", "18:00-09:00", "09:00-17:00"))
    monday_early = local_at("2026-11-23 08:00", "UTC")
    assert next_prompt(rule, person, monday_early) == local_at("2026-11-23 10:00", "UTC")
    assert next_prompt(rule, person, local_at("2026-11-23 10:00", "UTC")) == local_at(
        "2026-11-30 10:00", "UTC"
    )


def test_month_end_and_quarter_rules_across_a_year_end() -> None:
    vote = Rule("fail_of_month", "month_end", at="10:00", days_before_end=3)
    december = occurrence(vote, date(2026, 12, 5))
    assert december is not None
    assert (december.period, december.day) == ("2026-12", date(2026, 12, 29))
    assert previous_day(vote, date(2027, 1, 2)) == date(2026, 12, 31)
    review = Rule("review", "quarterly", "mon", "10:00")
    first = occurrence(review, date(2027, 2, 10))
    assert first is not None
    assert (first.period, first.day) == ("2027-Q1", date(2027, 1, 4))


def test_an_evening_prompt_moved_off_the_weekend_arrives_the_next_morning() -> None:
    reach = Reach("UTC", "mon,tue,wed,thu,fri", "18:00-09:00", "09:00-17:00")
    assert reachable_at(reach, date(2026, 11, 21), "20:00") == local_at("2026-11-23 09:00", "UTC")
    assert reachable_at(reach, date(2026, 11, 22), "23:59") == local_at("2026-11-23 09:00", "UTC")


def test_a_snooze_over_the_due_time_stretches_the_grace_but_never_revives_old_prompts() -> None:
    rule = Rule("checkin", "weekly", "mon", "10:00")
    occ = occurrence(rule, date(2026, 11, 23))
    assert occ is not None
    snoozed = Person(
        Reach("UTC", "mon,tue,wed,thu,fri", "18:00-09:00", "09:00-17:00"),
        snoozed_until=local_at("2026-11-25 09:00", "UTC"),
    )
    day = timedelta(hours=24)
    assert decide(occ, snoozed, local_at("2026-11-25 09:00", "UTC"), day).verdict is Verdict.DUE
    old = occurrence(rule, date(2026, 11, 9))
    assert old is not None
    late = Person(snoozed.reach, snoozed_until=local_at("2026-11-24 12:00", "UTC"))
    assert decide(old, late, local_at("2026-11-23 09:00", "UTC"), day).verdict is Verdict.MISSED
