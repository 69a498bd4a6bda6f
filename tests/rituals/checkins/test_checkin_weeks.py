"""Commitments followed through across weeks, by the real tick, dispatcher and store on a moving
clock: check-in, digest, commitment, due-day reminder, done, and the next week's check-in,
digest and one-on-one script that open with what came of it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.dispatch import Dispatcher
from bot.grammar import build_grammar
from storage.models import Role
from tests.scheduling import Someone, outbox, planner, seed_team, text
from tests.support import Chat, MovingClock, at, text_of


async def test_a_commitment_is_followed_through_into_the_next_week(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(
            session,
            [Someone("lea", role=Role.LEAD), Someone("ana"), Someone("ben")],
            settings={"one_on_one_day": "tue", "one_on_one_weeks": 1},
        )
    clock = MovingClock(at("2026-11-23 10:00"))
    chat = Chat(Dispatcher(sessions, build_grammar("/kpi"), clock, config))
    tick = planner(sessions, config)

    async def rows_to(user: str, ritual: str) -> list[str]:
        return [text(r) for r in await outbox(sessions) if r.target == user and r.ritual == ritual]

    # Monday: the check-in asks, with a form one click away and "nothing this week".
    await tick.tick(clock.now())
    (checkin,) = await rows_to("ana", "checkin")
    assert "What's in your way this week?" in checkin
    assert "Tell Lea what's in my way" in checkin
    assert "Last week's commitments" not in checkin  # nothing was promised yet

    clock.move_to(at("2026-11-23 11:00"))
    await chat.say("ana", "obstacle waiting two weeks for legal to approve the template")
    await chat.say("ana", "obstacle no test data for the EU market")
    await chat.say("ben", "nothing")

    # Tuesday: the lead's digest holds every obstacle and who is clear.
    clock.move_to(at("2026-11-24 10:00"))
    await tick.tick(clock.now())
    (digest,) = await rows_to("lea", "digest")
    assert "2 obstacles, 2 waiting for a commitment" in digest
    assert "legal to approve" in digest
    assert "Nothing in the way: Ben." in digest
    assert await rows_to("ana", "digest") == []  # the digest is the lead's alone

    clock.move_to(at("2026-11-24 11:00"))
    said = await chat.text("lea", "digest")
    first, second = (int(part.split(",")[0].split(")")[0]) for part in said.split("(#")[1:3])
    replies = await chat.say(
        "lea", f'commit {first} "Ask legal for a one-page template" owner @ben due thu'
    )
    kept = text_of(replies).split("Committed #")[1].split(":")[0]
    await chat.say("lea", f'commit {second} "Pull a sample of EU orders into staging" due wed')

    # Each owner is reminded on the due day, at the start of their working day, once.
    clock.move_to(at("2026-11-25 08:59"))
    await tick.tick(clock.now())
    assert await rows_to("lea", "commitment") == []
    clock.move_to(at("2026-11-25 09:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    (reminder,) = await rows_to("lea", "commitment")
    assert "Due today: Pull a sample of EU orders into staging" in reminder
    clock.move_to(at("2026-11-26 09:00"))
    await tick.tick(clock.now())
    (reminder,) = await rows_to("ben", "commitment")
    assert "Due today: Ask legal for a one-page template" in reminder
    assert "what was in Ana's way" in reminder
    replies = await chat.say("ben", f"done {kept}")
    assert f"marked commitment #{kept} done" in text_of(replies)

    # Next Monday the check-in opens with last week's commitments and what came of them.
    clock.move_to(at("2026-11-30 10:00"))
    await tick.tick(clock.now())
    checkin = (await rows_to("ana", "checkin"))[-1]
    opening = checkin.split("What's in your way")[0]
    assert "Last week's commitments" in opening
    assert "Lea committed Ben to: Ask legal for a one-page template (done)" in opening
    assert "Lea committed to: Pull a sample of EU orders into staging (overdue since" in opening

    # Tuesday: the overdue one is in the digest, and in Ana's one-on-one script.
    clock.move_to(at("2026-12-01 10:00"))
    await tick.tick(clock.now())
    digest = (await rows_to("lea", "digest"))[-1]
    assert "Overdue commitments" in digest
    assert "Pull a sample of EU orders" in digest.split("Overdue commitments")[1]
    script = (await rows_to("ana", "one_on_one"))[-1]
    assert "Commitment kept by Ben: Ask legal for a one-page template" in script
    assert "Overdue commitments" in script
    lead_prompt = (await rows_to("lea", "one_on_one"))[-1]
    assert "Ana: 1 win, 1 overdue commitment" in lead_prompt


async def test_a_weekend_due_day_is_reminded_on_the_next_working_day_and_digests_cost_no_budget(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone("lea", role=Role.LEAD), Someone("ana")])
    clock = MovingClock(at("2026-11-23 11:00"))
    chat = Chat(Dispatcher(sessions, build_grammar("/kpi"), clock, config))
    tick = planner(sessions, config)
    said = await chat.text("ana", "obstacle no test data for the EU market")
    number = said.split("#")[1].split(".")[0]
    committed = await chat.text("lea", f'commit {number} "Pull EU orders into staging" due sat')
    # Lea owns what she committed to: spoken to as its owner, and nobody else may close it.
    assert "Yours, due Saturday 28 November 2026: a reminder comes that day." in committed
    mine = committed.split("#")[1].split(":")[0]
    refused = await chat.text("ana", f"done {mine}")
    assert refused == "Only Lea, who owns it, can mark it done.", refused
    for moment in ("2026-11-28 10:00", "2026-11-29 10:00", "2026-11-30 08:59"):
        clock.move_to(at(moment))
        await tick.tick(clock.now())
    assert [r for r in await outbox(sessions) if r.ritual == "commitment"] == []
    clock.move_to(at("2026-11-30 09:00"))
    await tick.tick(clock.now())
    (row,) = [r for r in await outbox(sessions) if r.ritual == "commitment"]
    assert "Due Saturday 28 November 2026: Pull EU orders into staging" in text(row)
    assert "made by" not in text(row)  # her own: not "made by Lea" to Lea
    assert row.budget_week is None
    clock.move_to(at("2026-12-01 10:00"))
    await tick.tick(clock.now())
    digests = [r for r in await outbox(sessions) if r.ritual == "digest"]
    assert digests
    assert {r.budget_week for r in digests} == {None}
