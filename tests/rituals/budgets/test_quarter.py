"""A quarter of stretches and experiment budgets on the demo clock, by the real dispatcher,
tick and outbox: Q4 2026 opens with Ana's KPI lagging; the lead stretches her and approves a
budget for her experiment; on the stretch's day the tick asks how it went; she answers and
the experiment has its result; on the first day of Q1 2027, at check-in time, the quarter's
experiments go out as one post, once; and the new quarter starts every budget afresh."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from storage.models import Member, Role
from tests.rituals.budgets.support import number
from tests.scheduling import LONG_AGO, Someone, outbox, planner, seed_team, text
from tests.support import MovingClock, at, chat_at

CHANNEL = "C0GROWTH"
ON: dict[str, object] = {"enabled": ["checkin", "one_on_one", "stretch", "experiment_budget"]}


async def _growth(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        people = [Someone("lea", role=Role.LEAD), Someone("ana"), Someone("ben")]
        team = await seed_team(session, people, settings=ON)
        team.channel_id = CHANNEL
        await session.execute(update(Member).values(welcomed_at=LONG_AGO))


async def test_a_quarter_of_stretches_and_budgets_ends_in_one_post(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _growth(sessions)
    clock = MovingClock(at("2026-10-05 09:00"))  # a Monday, the first week of Q4
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    said = await chat.text(
        "ana",
        'propose "Qualified leads" target 10 leads per week growth "run discovery calls alone"',
    )
    kpi = number(said, "Proposed")
    assert "Active" in await chat.text("lea", f"activate {kpi}")
    assert "Logged" in await chat.text("ana", f'log {kpi} 4 "two calls cancelled"')

    said = await chat.text("lea", "stretch suggest")
    assert "Ana: no stretch this quarter yet." in said
    opened = await chat.text(
        "lea", f'stretch @ana {kpi} "lead the next client workshop" by 2026-10-30 support @ben'
    )
    n = number(opened, "stretch")
    assert f"Stretch #{n} is yours" in await chat.text("ana", f"stretch answer {n} yes")
    tried = await chat.text(
        "ana", f'experiment {kpi} "call back every lost lead within an hour" review 2026-10-23'
    )
    e = number(tried, "Experiment")
    asked = await chat.text(
        "ana", f'budget ask {e} "3 hours" scope "call back the ten leads lost last week"'
    )
    assert "Asked Lea for 3 hours" in asked
    r = number(asked, "request")
    await chat.say("lea", f"budget approve {r}")
    await chat.say("ana", f'budget spend {r} "2.5 hours" on "eight calls"')

    # The stretch's day, Friday 30 October: the tick asks Ana how it went, once.
    clock.move_to(at("2026-10-30 10:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    asked = [r for r in await outbox(sessions) if r.ritual == "stretch"]
    assert len(asked) == 1
    assert asked[0].target == "ana"
    assert f"Stretch #{n}: how did it go?" in text(asked[0])
    await chat.say(
        "ana", f'stretch done {n} outcome "ran it for six clients" learned "I can hold a room now"'
    )
    await chat.say("ana", f'result {e} "three lost leads came back; we keep the one-hour rule"')
    assert "Stretch done toward Qualified leads" in await chat.text("lea", "script @ana")
    # A second experiment, budgeted to look back on Sunday 13 December, never gets its result.
    late = number(
        await chat.text("ana", f'experiment {kpi} "send the case study first"'), "Experiment"
    )
    asked = await chat.text(
        "ana",
        f'budget ask {late} "2 hours" scope "write the case study and send it" back 2026-12-13',
    )
    await chat.say("lea", f"budget approve {number(asked, 'request')}")

    # The last day of Q4: nothing posted yet.
    clock.move_to(at("2026-12-31 18:00"))
    await tick.tick(clock.now())
    assert not [r for r in await outbox(sessions) if r.ritual == "experiment_budget"]
    # Q1 2027 opens on Friday 1 January; at check-in time the quarter's post goes out, once.
    clock.move_to(at("2027-01-01 10:00"))
    await tick.tick(clock.now())
    clock.move_to(at("2027-01-01 11:00"))
    await tick.tick(clock.now())
    (post,) = [r for r in await outbox(sessions) if r.ritual == "experiment_budget"]
    assert post.target == CHANNEL
    said = text(post)
    assert "Growth's experiments, Q4 2026" in said
    assert "@Ana: call back every lost lead within an hour. 2.5 hours spent." in said
    assert "What came of it: three lost leads came back" in said
    # Its day is past when the post goes out: it waits for its result, it does not look back.
    assert "Waiting for its result: it was to look back on Sunday 13 December 2026." in said
    assert "Still running" not in said
    assert "Qualified leads" not in said  # Ana's KPI is not shared with the team
    # A new quarter: the budget is whole again, and Ana may be stretched again.
    assert "8 of 8 hours left in 2027-Q1" in await chat.text("ana", "budget")
    assert "Ana: no stretch this quarter yet, last one taken on" in await chat.text(
        "lea", "stretch suggest"
    )
