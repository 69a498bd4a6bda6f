"""Four weeks of a team with pulse and Fail of the Month on, on a moving clock, under the
weekly budget of three: what does not fit merges into one message, a one-on-one never loses
its slot to a lower-priority nudge, and nothing is missed. The week of 28 December holds the
most: the check-in and the pulse on Monday, the ballot on Tuesday, the one-on-ones on
Wednesday."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from storage.models import Member, NudgeOutcome, Role
from tests.scheduling import LONG_AGO, Someone, ledger, outbox, planner, seed_team, text

ON = {"enabled": ["checkin", "one_on_one", "pulse", "fail_of_month"]}


async def _team(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Created in the week of 30 November, so the fortnightly pulse and one-on-ones fall in
    the weeks of 14 and 28 December."""
    async with sessions() as session, session.begin():
        team = await seed_team(
            session, [Someone("lea", role=Role.LEAD), Someone("ana"), Someone("ben")], settings=ON
        )
        team.created_at = datetime(2026, 11, 30, 9, tzinfo=UTC)
        await session.execute(update(Member).values(welcomed_at=LONG_AGO))


async def test_four_weeks_of_prompts_fit_the_budget_and_no_one_on_one_is_missed(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _team(sessions)
    tick = planner(sessions, config)
    start = datetime(2026, 12, 7, tzinfo=UTC)
    for hour in range(0, 28 * 24):
        await tick.tick(start + timedelta(hours=hour))

    # What came round before the clock started is settled as missed by the first tick.
    before = {"2026-W49", "2026-11"}
    nudges = [n for n in await ledger(sessions) if n.period not in before]
    assert [n for n in nudges if n.outcome is NudgeOutcome.MISSED] == []
    one_on_ones = [n for n in nudges if n.ritual == "one_on_one"]
    assert len(one_on_ones) == 6  # Lea, Ana and Ben, in the weeks of 14 and 28 December
    assert {n.outcome for n in one_on_ones} == {NudgeOutcome.QUEUED}

    rows = [r for r in await outbox(sessions) if r.budget_week is not None]
    per_week = Counter((r.target, r.budget_week) for r in rows)
    assert max(per_week.values()) == 3
    # Ana's busiest week: the check-in and the pulse in one message, then the ballot, then
    # her one-on-one script, which nothing pushed out.
    last = sorted(
        (r for r in rows if r.target == "ana" and r.budget_week == "2026-W53"), key=lambda r: r.id
    )
    said = [text(r) for r in last]
    assert len(said) == 3
    assert "check-in" in said[0].lower()
    assert "pulse" in said[0].lower()
    assert "Fail of the Month" in said[1]
    assert "one-on-one" in said[2].lower()


async def test_a_ballot_waits_for_the_one_on_one_rather_than_take_its_slot(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """With a budget of two, Tuesday's ballot would spend the last slot of the week: it waits
    instead, and rides along with Wednesday's one-on-one script, which comes first."""
    await _team(sessions)
    nudges = config.nudges.model_copy(update={"weekly_budget": 2})
    tick = planner(sessions, config.model_copy(update={"nudges": nudges}))
    start = datetime(2026, 12, 28, tzinfo=UTC)
    for hour in range(0, 4 * 24):
        await tick.tick(start + timedelta(hours=hour))

    week = [n for n in await ledger(sessions) if n.period in ("2026-W53", "2026-12")]
    assert [n for n in week if n.outcome is not NudgeOutcome.QUEUED] == []
    rows = [r for r in await outbox(sessions) if r.target == "ana" and r.budget_week]
    said = [text(r) for r in sorted(rows, key=lambda r: r.id)]
    assert len(said) == 2
    assert "Fail of the Month" in said[1]
    assert said[1].lower().index("one-on-one") < said[1].index("Fail of the Month")
