"""Micro-mentorship sprints, by the real dispatcher, grammar, tick and store on a moving clock.

What must hold: a person names a gap and a goal in their own words; the bot asks, privately,
one person at "can teach" at a time, never the learner's lead or report nor anyone mentoring
already; a no is recorded so that person is not asked again, and shown to nobody (not the
learner, not a list, not an export); a claim starts two weeks; the pair hear halfway and at
the end, once each, on their own working day; the learner's look-back is a win in both
people's next one-on-one script.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from rituals.core.messages import File, Form, Message, Outgoing
from storage.models import Mentorship, Role, SprintStatus
from tests.conftest import NOW
from tests.rituals.skills.support import skills_on
from tests.scheduling import Someone, outbox, planner, seed_team, text
from tests.support import Chat, MovingClock, buttons_of, chat_at, dms_to, member, text_of

TEAM = (
    Someone("lea", role=Role.LEAD),
    Someone("ana"),
    Someone("ben"),
    Someone("cy"),
    Someone("dan"),
)
GOAL = "write the weekly pipeline query on my own"
LOOKED_BACK = "I write the pipeline query alone and explain the joins to others"


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock(NOW)


@pytest.fixture
async def talk(
    sessions: async_sessionmaker[AsyncSession], clock: MovingClock, config: AppConfig
) -> Chat:
    async with sessions() as session, session.begin():
        await seed_team(session, TEAM)
    return chat_at(sessions, config, clock)


def _gap(said: str) -> int:
    return int(said.split("Gap #", 1)[1].split(" ", 1)[0])


def _dms(replies: list[Outgoing]) -> list[Message]:
    return [r for r in replies if isinstance(r, Message) and r.to is not None]


async def _mentorship_dms(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, str]]:
    return [(r.target, text(r)) for r in await outbox(sessions) if r.ritual == "mentorship"]


async def test_a_sprint_from_gap_to_look_back_over_a_quarter(
    talk: Chat, clock: MovingClock, sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    tick = planner(sessions, config)
    await skills_on(talk, "SQL", "Negotiation")
    for who, skill in (("lea", "SQL"), ("ben", "SQL"), ("cy", "SQL"), ("dan", "SQL")):
        await talk.say(who, f"rate {skill} as 4")
    await talk.say("cy", "rate Negotiation as can teach")
    # Cy mentors Dan first, so Cy is busy when Ana asks.
    said = await talk.text("dan", 'learn Negotiation goal "hold my price on a renewal call"')
    assert "I have asked someone who can teach it, privately" in said
    assert "Cy" not in said  # who was asked is never said
    first = _gap(said)
    assert "You mentor Dan on Negotiation" in await talk.text("cy", f"mentor {first}")

    # Ana's gap: Lea (her lead) and Cy (mentoring) are not asked; Ben is, he alone.
    replies = await talk.say("ana", f'learn SQL goal "{GOAL}"')
    gap = _gap(text_of(replies))
    (ask,) = _dms(replies)
    assert ask.to is not None
    assert ask.to.platform_user_id == "ben"
    assert f"Ana's goal, in their words: {GOAL}" in ask.text
    assert [b.command for b in buttons_of([ask])] == [f"mentor {gap}", f"mentor decline {gap}"]
    assert "A no is never told to anyone" in ask.text
    assert "already" in await talk.text("ana", 'learn SQL goal "the same gap a second time"')

    # Ben says no: Dan is asked next; Ana hears nothing of it, now or in any list.
    replies = await talk.say("ben", f"mentor decline {gap}")
    assert "Thanks for saying so" in text_of(replies)
    assert dms_to(replies, "ana") == []
    (next_ask,) = _dms(replies)
    assert next_ask.to is not None
    assert next_ask.to.platform_user_id == "dan"
    assert "not asked you" in await talk.text("ben", f"mentor decline {gap}")
    for viewer in ("ana", "lea", "cy"):
        assert "Ben" not in await talk.text(viewer, "sprints")
    # A claim needs "can teach", is not for the learner, and one sprint at a time.
    await talk.say("lea", "rate SQL as 3")  # she thinks again: solid, not can teach
    assert "Mentors rate themselves can teach" in await talk.text("lea", f"mentor {gap}")
    assert "has a mentor already" in await talk.text("ben", f"mentor {first}")
    assert "your own gap" in await talk.text("ana", f"mentor {gap}")
    assert "one sprint at a time" in await talk.text("cy", f"mentor {gap}")

    replies = await talk.say("dan", f"mentor {gap}")
    assert f"You mentor Ana on SQL. Their goal: {GOAL}" in text_of(replies)
    assert "to Monday 7 December 2026" in text_of(replies)
    (told,) = dms_to(replies, "ana")
    assert "Dan will mentor you on SQL" in told.text
    assert "has a mentor already" in await talk.text("ben", f"mentor {gap}")
    async with sessions() as session:
        row = await session.get(Mentorship, gap)
        assert row is not None
        assert (row.status, row.suggested_id) == (SprintStatus.ACTIVE, None)

    # The quarter, a day at a time: halfway and end reach each of the pair once, at 09:00.
    for day in range(1, 92):
        clock.move_to(NOW.replace(hour=9, minute=5) + timedelta(days=day))
        await tick.tick(clock.now())
        if day == 14:
            looked = await talk.say("ana", f'lookback {gap} "{LOOKED_BACK}"')
            assert "It opens your next one-on-one as a win" in text_of(looked)
            (to_dan,) = dms_to(looked, "dan")
            assert f"Ana looked back on your sprint on SQL:\n{LOOKED_BACK}" in to_dan.text
            # It opens both people's next one-on-one script as a win.
            ana_script = await talk.text("lea", "script with @ana")
            assert f"Mentorship sprint on SQL with Dan: {LOOKED_BACK}" in ana_script
            dan_script = await talk.text("lea", "script with @dan")
            assert f"Mentored Ana on SQL; they can now: {LOOKED_BACK}" in dan_script
    sent = await _mentorship_dms(sessions)
    about_sql = [(to, said) for to, said in sent if "sprint on SQL" in said]
    assert sorted(to for to, said in about_sql if said.startswith("Halfway")) == ["ana", "dan"]
    ends = [to for to, said in about_sql if said.startswith("Look back")]
    assert sorted(ends) == ["ana", "dan"]
    assert all("What can you do now that you could not?" in s for _, s in about_sql[2:])
    # Cy and Dan's sprint had its own two nudges each; nothing was sent twice.
    assert len(sent) == len({(to, said) for to, said in sent}) == 8

    # The scheduled one-on-one that came next carried it to both, as their script.
    for who, win in (("ana", "Mentorship sprint on SQL"), ("dan", "Mentored Ana on SQL")):
        scripts = [
            text(r) for r in await outbox(sessions) if r.ritual == "one_on_one" and r.target == who
        ]
        assert any(f"{win}" in s and LOOKED_BACK in s for s in scripts), who
    assert "You looked back on" in await talk.text("ana", f"lookback {gap} again and again")
    assert "Only the pair" in await talk.text("ben", f'lookback {gap} "{LOOKED_BACK}"')


async def _export(talk: Chat, user: str) -> dict[str, list[dict[str, object]]]:
    """The tables of the person's `me export` file."""
    replies = await talk.say(user, "me export")
    (data,) = [
        b.data for r in replies if isinstance(r, Message) for b in r.blocks if isinstance(b, File)
    ]
    tables: dict[str, list[dict[str, object]]] = json.loads(data)["tables"]
    return tables


async def test_a_no_is_never_in_the_learners_export(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await skills_on(talk, "SQL")
    await talk.say("ben", "rate SQL as 4")
    await talk.say("cy", "rate SQL as 4")
    gap = _gap(await talk.text("ana", f'learn SQL goal "{GOAL}"'))
    await talk.say("ben", f"mentor decline {gap}")  # Cy is asked next
    mine = await _export(talk, "ana")
    assert mine["mentor_decline"] == []
    (row,) = mine["mentorship"]
    assert row["goal"] == GOAL
    assert row["suggested_id"] == "(not yours to export)"  # not even who is asked now
    bens = await _export(talk, "ben")
    (declined,) = bens["mentor_decline"]
    assert declined["mentorship_id"] == gap
    assert bens["mentorship"] == []
    cys = await _export(talk, "cy")
    (asked,) = cys["mentorship"]
    assert asked["goal"] == "(not yours to export)"
    assert asked["suggested_id"] == await _id(sessions, "cy")


async def _id(sessions: async_sessionmaker[AsyncSession], user: str) -> int:
    async with sessions() as session:
        return (await member(session, user)).id


async def test_a_gap_is_named_through_its_form_and_refused_in_plain_words(talk: Chat) -> None:
    await skills_on(talk, "SQL")
    await talk.say("ana", "help")  # her welcome, out of the way
    (form,) = await talk.say("ana", "learn")
    assert isinstance(form, Form)
    assert "Name a skill you want to get better at (SQL)" in form.intro
    replies = await talk.submit("ana", form, {"skill": "SQL", "goal": "short"})
    (again,) = replies
    assert isinstance(again, Form)
    assert "too short" in again.intro
    assert {f.name: f.value for f in again.fields}["skill"] == "SQL"
    said = await talk.text("ana", f'learn Cooking goal "{GOAL}"')
    assert "Growth has no skill called “Cooking”" in said
    said = await talk.text("ana", f'learn SQL goal "{GOAL}"')
    assert "Nobody who can teach it is free right now" in said
    assert "There is no gap or sprint #999 here" in await talk.text("ben", "mentor 999")
    assert "has not started" in await talk.text("ana", f"lookback {_gap(said)} {LOOKED_BACK}")
    # A skill someone is waiting to learn stays on the list.
    assert "stays on the list" in await talk.text("lea", "skill remove SQL")


async def test_a_sprint_is_offered_to_who_may_take_it_and_looked_back_on_from_halfway(
    talk: Chat, clock: MovingClock
) -> None:
    await skills_on(talk, "SQL")
    await talk.say("ana", "rate SQL as 1")
    for who in ("ben", "cy"):
        await talk.say(who, "rate SQL as 4")
    # Lea's gap: Ben, her report, is not offered it, and his claim is refused in plain words.
    leas = _gap(await talk.text("lea", 'learn SQL goal "read the pipeline query"'))
    assert f"Mentor #{leas}" not in await talk.text("ben", "sprints")
    said = await talk.text("ben", f"mentor {leas}")
    assert "Lea is your lead or your report" in said
    assert "You mentor" not in said
    # Dan's gap: Ana cannot teach SQL, so it is not offered to her; Cy can, and sees it.
    gap = _gap(await talk.text("dan", f'learn SQL goal "{GOAL}"'))
    assert f"Mentor #{gap}" not in await talk.text("ana", "sprints")
    assert f"Mentor #{gap}" in await talk.text("cy", "sprints")
    # Claimed on a Saturday: the halfway check-in is named on the day it really comes, the
    # Monday after (neither works weekends).
    clock.move_to(NOW + timedelta(days=5))
    replies = await talk.say("cy", f"mentor {gap}")
    assert "You mentor Dan on SQL" in text_of(replies)
    assert "I check in with you on Monday 7 December 2026" in text_of(replies)
    (to_dan,) = dms_to(replies, "dan")
    assert "I check in with you on Monday 7 December 2026" in to_dan.text
    # A look-back the day the sprint starts is too soon: it opens halfway.
    said = await talk.text("dan", f'lookback {gap} "{LOOKED_BACK}"')
    assert "look-back opens halfway, on Saturday 5 December 2026" in said
    assert f"Look back on #{gap}" not in await talk.text("dan", "sprints")
    clock.move_to(NOW + timedelta(days=12))
    assert "a win" in await talk.text("dan", f'lookback {gap} "{LOOKED_BACK}"')
    # The mentor looks back after the learner: no "when the learner looks back".
    said = await talk.text("cy", f'lookback {gap} "he explains joins to me now"')
    assert "When the learner looks back" not in said
    assert "It is a win in both your next one-on-ones" in said


async def test_a_forgotten_mentor_leaves_the_learners_sprint_and_a_forgotten_learner_takes_it(
    talk: Chat, clock: MovingClock, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await skills_on(talk, "SQL")
    await talk.say("ben", "rate SQL as 4")
    gap = _gap(await talk.text("ana", f'learn SQL goal "{GOAL}"'))
    await talk.say("ben", f"mentor {gap}")
    clock.move_to(NOW + timedelta(days=7))
    await talk.say("ben", f'lookback {gap} "she writes it alone now, joins and all"')
    await talk.say("ben", "me forget confirm")
    async with sessions() as session:
        row = await session.get(Mentorship, gap)
        assert row is not None
        assert (row.mentor_id, row.mentor_lookback, row.goal) == (None, None, GOAL)
    await talk.say("ana", "me forget confirm")
    async with sessions() as session:
        assert await session.get(Mentorship, gap) is None
