"""Fail of the Month, by the real dispatcher, grammar, tick and store on a moving clock.

A month's stories come in as nominations (a story about someone else waits for their yes), the
team votes in the month's last days (one vote each, secret), and at check-in time on the next
month's first day, in the team's own zone, the winner's story is posted with the trophy and the
month is archived. December 2026 is the month under test: with the default three vote days its
vote opens on Tuesday 29 December and closes on Friday 1 January 2027 at 10:00.
"""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.payload import decode
from rituals.core.messages import Audience, File, Form, Message, Outgoing
from rituals.core.settings import with_overrides
from rituals.fails.commands import ballot_blocks, vote_of
from rituals.fails.store import stories, tally, voters
from storage.models import (
    Consent,
    FailMonth,
    FailNomination,
    FailVote,
    Member,
    Outbox,
    Role,
    Team,
)
from tests.scheduling import LONG_AGO, Someone, ledger, outbox, planner, seed_team, text
from tests.support import MovingClock, at, buttons_of, chat_at, dms_to, member, text_of

CHANNEL = "C0GROWTH"
ON: dict[str, object] = {"enabled": ["fail_of_month"]}

# Stories long enough to pass (20 characters at least, each part).
ANA_DID = "promised a launch date without asking the team"
ANA_LEARNED = "I ask the team before I promise any date"
BEN_DID = "sent the renewal quote to the wrong client"
BEN_LEARNED = "he built a two-step check we all use now"
CY_DID = "deleted the shared sales sheet on a Friday"
CY_LEARNED = "she turned on version history for every sheet"


def story_id(said: str) -> int:
    """The story's number as a reply gives it: "... (#12) ..." or "story #12"."""
    found = re.search(r"#(\d+)", said)
    assert found is not None, said
    return int(found.group(1))


def nominate(person: str, did: str, learned: str) -> str:
    return f'fail nominate {person} "{did}" learned "{learned}"'


async def _growth(
    sessions: async_sessionmaker[AsyncSession],
    *,
    zone: str = "UTC",
    channel: str | None = CHANNEL,
    created: str = "2026-11-15 09:00",
) -> int:
    """Growth in workspace T1 with Fail of the Month on: lead Lea, members Ana, Ben and Cy,
    all living in the team's zone. Created in mid-November, so November is its first month."""
    async with sessions() as session, session.begin():
        people = [Someone(u, zone) for u in ("ana", "ben", "cy")]
        team = await seed_team(session, [Someone("lea", zone, Role.LEAD), *people], settings=ON)
        team.channel_id = channel
        team.time_zone = zone
        team.created_at = at(created)
        # People who were here before: no welcome in the replies.
        await session.execute(update(Member).values(welcomed_at=LONG_AGO))
        return team.id


async def _elsewhere(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Sales, Dan's team in T1, without Fail of the Month; and Other in workspace T2, with it."""
    async with sessions() as session, session.begin():
        await seed_team(
            session, [Someone("dan", role=Role.LEAD)], team="Sales", settings={"enabled": []}
        )
        await seed_team(
            session,
            [Someone("zed", role=Role.LEAD), Someone("yan")],
            team="Other",
            workspace="T2",
            settings=ON,
        )
        await session.execute(update(Member).values(welcomed_at=LONG_AGO))


async def _fail_rows(sessions: async_sessionmaker[AsyncSession]) -> list[Outbox]:
    return [r for r in await outbox(sessions) if r.ritual == "fail_of_month"]


async def _count(sessions: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _nomination(sessions: async_sessionmaker[AsyncSession], row: int) -> FailNomination:
    async with sessions() as session:
        found = await session.get(FailNomination, row)
        assert found is not None
        return found


def _dms(replies: list[Outgoing]) -> list[Message]:
    return [r for r in replies if isinstance(r, Message) and r.audience is Audience.DM]


async def test_a_story_about_someone_else_is_seen_by_nobody_but_its_nominator_until_they_agree(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Consent before anything is public: a self-nomination is on the ballot at once; a story
    about Ben waits for his yes, seen only by Ana; Cy's no is silent and final, so her story
    never reaches a ballot, a prompt, the channel or the archive."""
    team = await _growth(sessions)
    clock = MovingClock(at("2026-12-10 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)

    said = await chat.text("ana", nominate("me", ANA_DID, ANA_LEARNED))
    assert "Your story is on Growth's ballot for December 2026" in said
    assert "The vote opens Tuesday 29 December 2026 at 10:00 (UTC)" in said
    assert "opportunity" in said
    own = story_id(said)
    for viewer in ("lea", "ben", "cy"):
        shown = await chat.text(viewer, "fails")
        assert f"#{own} @Ana" in shown
        assert ANA_DID in shown
        assert ANA_LEARNED in shown
    # Her own story is hers to take back and give again; nobody is told either way.
    assert _dms(await chat.say("ana", f"fail consent {own} no")) == []
    assert ANA_DID not in await chat.text("lea", "fails")
    replies = await chat.say("ana", f"fail consent {own} yes")
    assert f"Shared: story #{own}" in text_of(replies)
    assert _dms(replies) == []
    assert ANA_DID in await chat.text("lea", "fails")

    replies = await chat.say("ana", nominate("@ben", BEN_DID, BEN_LEARNED))
    assert "Asked Ben whether your story" in text_of(replies)
    assert "only you and they see it" in text_of(replies)
    about_ben = story_id(text_of(replies))
    (ask,) = dms_to(replies, "ben")
    assert _dms(replies) == [ask]  # Ben alone is asked; nobody else hears of it
    assert "@Ana nominated you for December 2026's trophy" in ask.text
    assert BEN_DID in ask.text
    assert BEN_LEARNED in ask.text
    assert [b.command for b in buttons_of([ask])] == [
        f"fail consent {about_ben} yes",
        f"fail consent {about_ben} no",
    ]
    # Before Ben's yes: his teammates and the lead see nothing of it; Ana sees it waiting,
    # and Ben sees it waits for his say (his own story, not yet on any ballot).
    for viewer in ("lea", "cy"):
        shown = await chat.text(viewer, "fails")
        assert BEN_DID not in shown
        assert f"#{about_ben}" not in shown
        assert "Waiting" not in shown
    shown = await chat.text("ben", "fails")
    assert "Waiting for your say, seen only by you and who told it:" in shown
    assert f"#{about_ben} from Ana: fail consent {about_ben} yes or no" in shown
    assert BEN_DID not in shown  # not on the ballot
    mine = await chat.text("ana", "fails")
    assert f"#{about_ben} about Ben" in mine
    assert "seen only by you" in mine
    assert BEN_DID not in mine  # waiting, not on the ballot

    replies = await chat.say("ana", nominate("@cy", CY_DID, CY_LEARNED))
    about_cy = story_id(text_of(replies))
    assert len(dms_to(replies, "cy")) == 1
    replies = await chat.say("cy", f"fail consent {about_cy} no")
    assert "Kept private" in text_of(replies)
    assert len(replies) == 1
    assert _dms(replies) == []  # the nominator is not told
    # Ana's view is what it was before Cy answered: declining is silent.
    assert f"#{about_cy} about Cy" in await chat.text("ana", "fails")

    replies = await chat.say("ben", f"fail consent {about_ben} yes")
    assert f"Shared: story #{about_ben} is on Growth's ballot for December 2026" in text_of(replies)
    (told,) = dms_to(replies, "ana")
    assert f"agreed: your story #{about_ben} is on Growth's ballot" in told.text
    assert "@Ben" in told.text
    assert "Story" in await chat.text("ben", f"fail consent {about_ben} yes")  # already on
    for viewer in ("lea", "cy", "ana"):
        shown = await chat.text(viewer, "fails")
        assert BEN_DID in shown
        assert BEN_LEARNED in shown
    assert f"#{about_ben} about Ben" not in await chat.text("ana", "fails")
    assert "Waiting for your say" not in await chat.text("ben", "fails")
    assert "Waiting for your say" not in await chat.text("cy", "fails")  # her no was final

    # Through the vote, the close and the archive, Cy's story never shows anywhere.
    clock.move_to(at("2026-12-29 10:00"))
    await tick.tick(clock.now())
    clock.move_to(at("2026-12-30 11:00"))
    await chat.say("lea", f"fail vote {own}")
    clock.move_to(at("2027-01-01 10:00"))
    await tick.tick(clock.now())
    rows = await _fail_rows(sessions)
    assert {r.target for r in rows} == {"lea", "ana", "ben", "cy", CHANNEL}
    for row in rows:
        assert CY_DID not in text(row)
        assert CY_LEARNED not in text(row)
    for viewer in ("lea", "ana", "ben", "cy"):
        for asked in ("fails", "fails 2026"):
            assert CY_DID not in await chat.text(viewer, asked)
    refused = await chat.text("lea", f"fail vote {about_cy}")
    assert f"There is no story #{about_cy} on a ballot here" in refused
    assert (await _nomination(sessions, about_cy)).consent is Consent.DECLINED
    assert (await _nomination(sessions, about_cy)).won is False
    async with sessions() as session:
        closed = await session.scalars(select(FailMonth.month).where(FailMonth.team_id == team))
        assert "2026-12" in closed.all()


async def test_bad_input_on_every_field_says_what_was_wrong_and_stores_nothing(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Every field of every command refuses what it cannot use, says how to say it right, and
    nothing is stored: the person, the misstep and the lesson (typed and in the form), the
    team, the story number, the answer, the year; and people or teams not allowed."""
    await _growth(sessions)
    await _elsewhere(sessions)
    clock = MovingClock(at("2026-12-10 11:00"))
    chat = chat_at(sessions, config, clock)
    long = "x" * 601

    refusals = {
        # The misstep and the lesson: both required, 20 characters at least, 600 at most.
        nominate("@ben", "too short", BEN_LEARNED): "too short; say a little more (at least 20",
        nominate("@ben", BEN_DID, "too short"): "too short; say a little more (at least 20",
        nominate("me", long, ANA_LEARNED): "too long (601 characters); keep it to 600",
        nominate("me", ANA_DID, long): "too long (601 characters); keep it to 600",
        nominate("me", ANA_DID + "\u202e", ANA_LEARNED): "invisible character",
        # The person: unknown, in another workspace, on another team.
        nominate("@nobody", BEN_DID, BEN_LEARNED): "I don't know @nobody in this workspace",
        nominate("@zed", BEN_DID, BEN_LEARNED): "I don't know @zed in this workspace",
        nominate("<@yan>", BEN_DID, BEN_LEARNED): "I don't know @yan in this workspace",
        nominate("@dan", BEN_DID, BEN_LEARNED): "Dan is not on Growth; nominate a teammate.",
        # The team: unknown, or not one's own.
        nominate("me", ANA_DID, ANA_LEARNED) + " in Nowhere": 'There is no team called "Nowhere"',
        nominate("me", ANA_DID, ANA_LEARNED) + " in Sales": "You are not on Sales",
        # The story number and the answer.
        "fail consent 0 yes": "must be 1 or more",
        "fail consent 99999999999 yes": "must be a smaller number",
        "fail consent 4 maybe": "must be one of: yes, no",
        "fail consent four yes": "must be a number",
        "fail vote abc": "must be a number",
        "fail vote -3": "must be 1 or more",
        "fail vote 2147483647": "There is no story #2147483647 on a ballot here",
        "fail consent 2147483647 yes": "There is no story #2147483647 about you here",
        # The year.
        "fails 1999": "must be 2000 or more",
        "fails 2101": "must be 2100 or less",
        "fails next": "must be a number",
    }
    for typed, why in refusals.items():
        said = await chat.text("ana", typed)
        assert why in said, (typed, said)
        assert "Your story is on" not in said, typed
        assert "Asked" not in said, typed

    # The ritual switched off: Dan's team does not run it, whatever he asks.
    said = await chat.text("dan", nominate("me", ANA_DID, ANA_LEARNED))
    assert "Sales has switched off Fail of the Month" in said
    assert "Switch it on with settings set rituals" in said  # Dan leads Sales
    assert "Sales has switched off Fail of the Month" in await chat.text("dan", "fails")
    assert "You are not on Growth" in await chat.text("dan", "fails in Growth")

    # A missing lesson asks for it in a form that keeps what was typed, and the form refuses
    # an empty or short lesson in turn.
    (form,) = await chat.say("ana", f'fail nominate @ben "{BEN_DID}"')
    assert isinstance(form, Form)
    fields = {f.name: f for f in form.fields}
    assert fields["misstep"].value == BEN_DID
    assert fields["learned"].value is None
    assert fields["learned"].required
    assert fields["misstep"].required
    assert fields["person"].value == "@ben"
    (again,) = await chat.submit("ana", form, {})
    assert isinstance(again, Form)
    assert {f.name: f.value for f in again.fields}["misstep"] == BEN_DID
    said = text_of(await chat.submit("ana", form, {"learned": "short"}))
    assert "too short" in said
    assert await _count(sessions, FailNomination) == 0

    # Stories that do exist, refused to the wrong people.
    own = story_id(await chat.text("ana", nominate("me", ANA_DID, ANA_LEARNED)))
    about_ben = story_id(await chat.text("ana", nominate("@ben", BEN_DID, BEN_LEARNED)))
    zeds = story_id(await chat.text("yan", nominate("@zed", CY_DID, CY_LEARNED), "T2"))
    for who in ("ana", "cy", "lea"):  # not Ben's to answer, the nominator included
        said = await chat.text(who, f"fail consent {about_ben} yes")
        assert f"There is no story #{about_ben} about you here" in said
    assert "There is no story" in await chat.text("zed", f"fail consent {about_ben} yes", "T2")
    assert "There is no story" in await chat.text("ben", f"fail consent {zeds} yes")
    assert "There is no story" in await chat.text("ben", f"fail consent {own} yes")
    assert (await _nomination(sessions, about_ben)).consent is Consent.ASKED
    assert (await _nomination(sessions, zeds)).consent is Consent.ASKED

    clock.move_to(at("2026-12-29 09:00"))  # the vote is open
    assert "That story is yours" in await chat.text("ana", f"fail vote {own}")
    assert "There is no story" in await chat.text("lea", f"fail vote {about_ben}")  # unshared
    assert "There is no story" in await chat.text("zed", f"fail vote {own}", "T2")
    await chat.say("zed", f"fail consent {zeds} yes", "T2")
    assert "There is no story" in await chat.text("ana", f"fail vote {zeds}")
    # Dan, on Sales only, may not know of Growth's story: told what a number nobody uses gets.
    assert await chat.text("dan", f"fail vote {own}") == (
        f"There is no story #{own} on a ballot here. fails"
    )
    assert await _count(sessions, FailVote) == 0
    assert await _count(sessions, FailNomination) == 3


async def test_the_vote_opens_with_one_ballot_per_person_and_no_button_on_their_own_story(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """At check-in time on the vote's first day each member, the lead too, gets one prompt:
    the ballot, with a vote button per story but their own. It counts against their weekly
    budget, and later ticks never send it again."""
    await _growth(sessions)
    clock = MovingClock(at("2026-12-10 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    own = story_id(await chat.text("ana", nominate("me", ANA_DID, ANA_LEARNED)))
    about_ben = story_id(await chat.text("ana", nominate("@ben", BEN_DID, BEN_LEARNED)))
    await chat.say("ben", f"fail consent {about_ben} yes")
    asked = story_id(await chat.text("ben", nominate("@cy", CY_DID, CY_LEARNED)))

    clock.move_to(at("2026-12-29 09:59"))
    await tick.tick(clock.now())
    assert await _fail_rows(sessions) == []
    clock.move_to(at("2026-12-29 10:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    clock.move_to(at("2026-12-30 10:00"))
    await tick.tick(clock.now())
    rows = await _fail_rows(sessions)
    assert sorted(r.target for r in rows) == ["ana", "ben", "cy", "lea"]
    expected = {
        "ana": [f"fail vote {about_ben}"],
        "ben": [f"fail vote {own}"],
        "cy": [f"fail vote {own}", f"fail vote {about_ben}"],
        "lea": [f"fail vote {own}", f"fail vote {about_ben}"],
    }
    for row in rows:
        said = text(row)
        assert row.created_at == at("2026-12-29 10:00")
        assert row.budget_week == "2026-W53"
        assert "Fail of the Month: Growth, December 2026" in said
        assert ANA_LEARNED in said
        assert BEN_LEARNED in said
        assert CY_DID not in said
        assert f"#{asked}" not in said
        assert "One vote each; change it until Friday 1 January 2027 at 10:00 (UTC)" in said
        votes = [b.command for b in buttons_of([decode(row.payload)])]
        assert [c for c in votes if c.startswith("fail vote")] == expected[row.target]


async def test_one_vote_each_changeable_until_the_close_and_nobody_sees_who_voted_for_whom(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """The vote is open from check-in time on its first day until the close: one vote each, moved
    (not added) by voting again. The lead's view only ever holds a count of voters, the same
    whoever voted for what, and the lead's own data export holds only the lead's own vote."""
    team = await _growth(sessions)
    clock = MovingClock(at("2026-12-10 11:00"))
    chat = chat_at(sessions, config, clock)
    own = story_id(await chat.text("ana", nominate("me", ANA_DID, ANA_LEARNED)))
    about_ben = story_id(await chat.text("ana", nominate("@ben", BEN_DID, BEN_LEARNED)))
    await chat.say("ben", f"fail consent {about_ben} yes")

    clock.move_to(at("2026-12-29 09:59"))
    said = await chat.text("cy", f"fail vote {own}")
    assert "The vote for December 2026 opens Tuesday 29 December 2026 at 10:00 (UTC)" in said
    assert await _count(sessions, FailVote) == 0
    assert "voted so far" not in await chat.text("lea", "fails")

    clock.move_to(at("2026-12-29 10:00"))
    said = await chat.text("cy", f"fail vote {own}")
    assert f"Voted for Ana's story (#{own})" in said
    assert "nobody, the lead included, sees who voted for whom" in said
    async with sessions() as session:
        assert await tally(session, team, "2026-12") == {own: 1}
    view = await chat.text("lea", "fails")
    assert "1 voted so far. Nobody sees who voted for whom." in view

    # Voting again moves the vote: the tally moves, it does not grow.
    said = await chat.text("cy", f"fail vote {about_ben}")
    assert f"Changed your vote to Ben's story (#{about_ben})" in said
    await chat.say("cy", f"fail vote {about_ben}")
    async with sessions() as session:
        assert await tally(session, team, "2026-12") == {about_ben: 1}
        assert await voters(session, team, "2026-12") == 1
    # The lead's view does not change with a voter's choice: nothing in it tells who chose what.
    assert await chat.text("lea", "fails") == view
    assert "Cy" not in view

    await chat.say("ben", f"fail vote {own}")
    await chat.say("lea", f"fail vote {about_ben}")
    async with sessions() as session:
        assert await tally(session, team, "2026-12") == {own: 1, about_ben: 2}
    for viewer in ("lea", "ana", "cy"):
        shown = await chat.text(viewer, "fails")
        assert "3 voted so far." in shown
        # Voters are not named: Cy and Lea are in no story, and Ben only in his own.
        assert "Cy" not in shown
        assert "Lea" not in shown
        assert "Ben" not in shown.replace(f"#{about_ben} @Ben", "").replace("Vote for Ben", "")
    (export,) = await chat.say("lea", "me export")
    assert isinstance(export, Message)
    (file,) = [b for b in export.blocks if isinstance(b, File)]
    tables = json.loads(file.data)["tables"]
    lea = await _member_id(sessions, "lea")
    assert [v["voter_id"] for v in tables["fail_vote"]] == [lea]

    # A story told while the vote is open joins it at once.
    said = await chat.text("cy", nominate("me", CY_DID, CY_LEARNED))
    assert "The vote is open until Friday 1 January 2027 at 10:00 (UTC)" in said
    late = story_id(said)
    assert "Voted for Cy's story" in await chat.text("ana", f"fail vote {late}")

    clock.move_to(at("2027-01-01 09:59"))
    assert "Changed your vote" in await chat.text("cy", f"fail vote {own}")
    clock.move_to(at("2027-01-01 10:00"))  # closed by the clock, before any tick
    said = await chat.text("cy", f"fail vote {about_ben}")
    assert "The vote for December 2026 has closed" in said
    assert "has closed" in await chat.text("ana", f"fail vote {about_ben}")
    async with sessions() as session:
        assert await tally(session, team, "2026-12") == {own: 2, about_ben: 1, late: 1}


async def _member_id(sessions: async_sessionmaker[AsyncSession], user: str) -> int:
    async with sessions() as session:
        return (await member(session, user)).id


async def test_the_close_posts_the_winner_once_archives_the_month_and_forgets_the_votes(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """November had no stories: its close is a warm invitation, not an empty trophy. December's
    close, at 10:00 on 1 January, posts the winner's story with the trophy and the lesson once,
    counts the votes into the stories, deletes who voted for whom, and `fails 2026` lists the
    winner with the lesson and the month without stories."""
    team = await _growth(sessions)
    clock = MovingClock(at("2026-11-20 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)

    clock.move_to(at("2026-12-01 09:59"))
    await tick.tick(clock.now())
    assert [r for r in await _fail_rows(sessions) if r.target == CHANNEL] == []
    clock.move_to(at("2026-12-01 10:00"))
    await tick.tick(clock.now())
    (quiet,) = [r for r in await _fail_rows(sessions) if r.target == CHANNEL]
    assert quiet.dedupe_key == f"fail-month:{team}:2026-11"
    said = text(quiet)
    assert "Fail of the Month: Growth, November 2026" in said
    assert "No stories this month, and that is fine" in said
    assert "fail nominate" in said
    assert "opportunity" in said
    assert "🏆" not in said
    archive = await chat.text("lea", "fails 2026")
    assert "No trophies in 2026." in archive
    assert "No stories in November 2026." in archive

    own = story_id(await chat.text("ana", nominate("me", ANA_DID, ANA_LEARNED)))
    about_ben = story_id(await chat.text("ana", nominate("@ben", BEN_DID, BEN_LEARNED)))
    await chat.say("ben", f"fail consent {about_ben} yes")
    clock.move_to(at("2026-12-30 12:00"))
    for voter, choice in (("lea", about_ben), ("cy", about_ben), ("ana", about_ben)):
        await chat.say(voter, f"fail vote {choice}")
    await chat.say("ben", f"fail vote {own}")

    clock.move_to(at("2027-01-01 09:59"))
    await tick.tick(clock.now())
    assert [r.id for r in await _fail_rows(sessions) if r.target == CHANNEL] == [quiet.id]
    assert await _count(sessions, FailVote) == 4
    clock.move_to(at("2027-01-01 10:00"))
    await tick.tick(clock.now())
    clock.move_to(at("2027-01-01 10:01"))
    await tick.tick(clock.now())
    clock.move_to(at("2027-01-02 10:00"))
    await tick.tick(clock.now())
    posts = [r for r in await _fail_rows(sessions) if r.target == CHANNEL]
    assert [p.dedupe_key for p in posts] == [
        f"fail-month:{team}:2026-11",
        f"fail-month:{team}:2026-12",
    ]
    said = text(posts[1])
    assert said.startswith("🏆 Fail of the Month: Growth, December 2026")
    assert "🏆 @Ben" in said
    assert "3 votes" not in said  # four voters: the tally would tell who voted for whom
    assert f"What was learned: {BEN_LEARNED}" in said
    assert BEN_DID in said
    assert "opportunity" in said
    assert ANA_DID not in said  # one winner
    assert "shared trophy" not in said
    assert decode(posts[1].payload).audience is Audience.CHANNEL

    async with sessions() as session:
        left = await session.scalar(
            select(func.count()).where(FailVote.team_id == team, FailVote.month == "2026-12")
        )
        assert left == 0
    winner, runner_up = (
        await _nomination(sessions, about_ben),
        await _nomination(sessions, own),
    )
    assert (winner.votes, winner.won) == (3, True)
    assert (runner_up.votes, runner_up.won) == (1, False)

    archive = await chat.text("cy", "fails 2026")
    assert f"December 2026: @Ben, who learned: {BEN_LEARNED}" in archive
    assert "No stories in November 2026." in archive
    assert ANA_LEARNED not in archive
    assert "No trophies in 2027." in await chat.text("cy", "fails 2027")
    # The new month's ballot is empty; last year's trophies are in the archive.
    now = await chat.text("cy", "fails")
    assert "No stories for January 2027 yet" in now
    assert "The vote for December 2026 has closed" in await chat.text("cy", f"fail vote {own}")


async def test_a_tie_shares_the_trophy_at_ten_on_the_first_in_the_teams_own_zone(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """A team in New York votes from 10:00 on 29 December and closes at 10:00 on 1 January
    in New York (15:00 UTC), not in UTC. Two stories with the same votes share the trophy, and
    the post names both."""
    team = await _growth(sessions, zone="America/New_York")
    clock = MovingClock(at("2026-12-10 16:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    own = story_id(await chat.text("ana", nominate("me", ANA_DID, ANA_LEARNED)))
    about_ben = story_id(await chat.text("ana", nominate("@ben", BEN_DID, BEN_LEARNED)))
    await chat.say("ben", f"fail consent {about_ben} yes")

    clock.move_to(at("2026-12-29 04:59"))  # 23:59 on the 28th in New York
    assert "opens Tuesday 29 December 2026 at 10:00 (America/New_York)" in await chat.text(
        "cy", f"fail vote {own}"
    )
    clock.move_to(at("2026-12-29 10:00"))  # 05:00 in New York: nobody is prompted yet
    await tick.tick(clock.now())
    assert await _fail_rows(sessions) == []
    clock.move_to(at("2026-12-29 15:00"))
    await tick.tick(clock.now())
    assert sorted(r.target for r in await _fail_rows(sessions)) == ["ana", "ben", "cy", "lea"]
    assert "Voted for Ana's story" in await chat.text("cy", f"fail vote {own}")
    await chat.say("lea", f"fail vote {about_ben}")

    clock.move_to(at("2027-01-01 10:00"))  # 05:00 in New York: still open
    await tick.tick(clock.now())
    assert [r for r in await _fail_rows(sessions) if r.target == CHANNEL] == []
    clock.move_to(at("2027-01-01 14:59"))
    assert "Voted for Ben's story" in await chat.text("ana", f"fail vote {about_ben}")
    assert "Voted for Ana's story" in await chat.text("ben", f"fail vote {own}")
    await tick.tick(clock.now())
    assert [r for r in await _fail_rows(sessions) if r.target == CHANNEL] == []
    clock.move_to(at("2027-01-01 15:00"))
    assert "has closed" in await chat.text("cy", f"fail vote {about_ben}")
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    (post,) = [r for r in await _fail_rows(sessions) if r.target == CHANNEL]
    assert post.dedupe_key == f"fail-month:{team}:2026-12"
    said = text(post)
    assert "🏆 Fail of the Month: Growth, December 2026" in said
    assert "A shared trophy" in said
    assert "🏆 @Ana" in said
    assert "🏆 @Ben" in said
    assert "2 votes" not in said
    assert ANA_LEARNED in said
    assert BEN_LEARNED in said
    archive = await chat.text("lea", "fails 2026")
    assert f"December 2026: @Ana, who learned: {ANA_LEARNED}" in archive
    assert f"December 2026: @Ben, who learned: {BEN_LEARNED}" in archive
    assert await _count(sessions, FailVote) == 0


async def test_when_nobody_votes_every_story_shares_the_trophy_and_the_lead_posts_without_channel(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Nobody voted: no story is the loser, each gets the trophy. A team without a home
    channel gets its post through the lead's DM, once."""
    team = await _growth(sessions, channel=None)
    clock = MovingClock(at("2026-12-10 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    own = story_id(await chat.text("ana", nominate("me", ANA_DID, ANA_LEARNED)))
    bens = story_id(await chat.text("ben", nominate("me", BEN_DID, BEN_LEARNED)))
    clock.move_to(at("2027-01-01 10:00"))
    await tick.tick(clock.now())
    await tick.tick(clock.now())
    (post,) = [r for r in await _fail_rows(sessions) if r.dedupe_key.startswith("fail-month")]
    assert post.dedupe_key == f"fail-month:{team}:2026-12"
    assert post.target == "lea"
    assert decode(post.payload).audience is Audience.DM
    said = text(post)
    assert "Nobody voted this time, so every story shares the trophy." in said
    # No votes, so no count.
    assert "🏆 @Ana\n" in said
    assert "🏆 @Ben\n" in said
    assert "no home channel" in said
    for row in (own, bens):
        found = await _nomination(sessions, row)
        assert (found.votes, found.won) == (0, True)


async def test_a_consent_given_after_its_month_closed_puts_the_story_on_the_current_ballot(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """A yes that comes in time joins its own month's vote, even in the vote's last hours; a
    yes that comes after the close (by the clock, before any tick, or after it) joins the
    month now being told, and the nominator hears which."""
    await _growth(sessions)
    clock = MovingClock(at("2026-12-10 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    about_ben = story_id(await chat.text("ana", nominate("@ben", BEN_DID, BEN_LEARNED)))
    about_cy = story_id(await chat.text("ana", nominate("@cy", CY_DID, CY_LEARNED)))
    about_lea = story_id(await chat.text("cy", nominate("@lea", ANA_DID, ANA_LEARNED)))

    clock.move_to(at("2027-01-01 09:30"))  # December's vote is still open
    said = await chat.text("cy", f"fail consent {about_cy} yes")
    assert "on Growth's ballot for December 2026" in said
    assert (await _nomination(sessions, about_cy)).month == "2026-12"

    clock.move_to(at("2027-01-01 10:00"))  # closed by the clock; no tick has run
    replies = await chat.say("ben", f"fail consent {about_ben} yes")
    assert "on Growth's ballot for January 2027" in text_of(replies)
    (told,) = dms_to(replies, "ana")
    assert "ballot for January 2027" in told.text
    assert (await _nomination(sessions, about_ben)).month == "2027-01"
    await tick.tick(clock.now())
    (post,) = [r for r in await _fail_rows(sessions) if r.target == CHANNEL]
    assert CY_LEARNED in text(post)
    assert BEN_DID not in text(post)

    clock.move_to(at("2027-01-05 11:00"))
    await chat.say("lea", f"fail consent {about_lea} no")
    said = await chat.text("lea", f"fail consent {about_lea} yes")  # a no, then a yes
    assert "ballot for January 2027" in said
    january = await chat.text("ana", "fails")
    assert "Fail of the Month: Growth, January 2027" in january
    assert BEN_DID in january
    assert ANA_DID in january
    assert CY_DID not in january
    assert BEN_DID not in await chat.text("ana", "fails 2026")


async def test_a_winner_who_takes_back_the_yes_leaves_the_archive_and_a_new_yes_restores_it(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """The consent buttons stay in the nominee's DM, and "no" is promised to keep the story
    private: after a no even a past winner is gone from the archive. A yes again puts it back
    in its own month, not on the next ballot as a trophy January never voted for."""
    team = await _growth(sessions)
    clock = MovingClock(at("2026-12-10 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    own = story_id(await chat.text("ana", nominate("me", ANA_DID, ANA_LEARNED)))
    about_ben = story_id(await chat.text("ana", nominate("@ben", BEN_DID, BEN_LEARNED)))
    await chat.say("ben", f"fail consent {about_ben} yes")
    clock.move_to(at("2026-12-30 12:00"))
    await chat.say("cy", f"fail vote {about_ben}")
    clock.move_to(at("2027-01-01 10:00"))
    await tick.tick(clock.now())
    assert f"December 2026: @Ben, who learned: {BEN_LEARNED}" in await chat.text("cy", "fails 2026")

    clock.move_to(at("2027-01-04 11:00"))
    assert "Taken back: it leaves the ballot and the archive" in await chat.text(
        "ben", f"fail consent {about_ben} no"
    )
    for viewer in ("cy", "lea", "ana"):
        assert BEN_LEARNED not in await chat.text(viewer, "fails 2026")
        assert BEN_LEARNED not in await chat.text(viewer, "fails")

    replies = await chat.say("ben", f"fail consent {about_ben} yes")
    assert "back among Growth's stories of December 2026" in text_of(replies)
    assert _dms(replies) == []  # Ana never heard of the no, so she hears nothing now
    story = await _nomination(sessions, about_ben)
    assert (story.month, story.votes, story.won) == ("2026-12", 1, True)
    assert f"December 2026: @Ben, who learned: {BEN_LEARNED}" in await chat.text("cy", "fails 2026")
    assert BEN_LEARNED not in await chat.text("cy", "fails 2027")
    assert BEN_LEARNED not in await chat.text("cy", "fails")  # January's ballot
    # January closes with its own stories only.
    await chat.say("ana", nominate("me", CY_DID, CY_LEARNED))
    clock.move_to(at("2027-02-01 10:00"))
    await tick.tick(clock.now())
    (post,) = [r for r in await _fail_rows(sessions) if r.dedupe_key.endswith(":2027-01")]
    assert post.dedupe_key == f"fail-month:{team}:2027-01"
    assert CY_LEARNED in text(post)
    assert BEN_LEARNED not in text(post)
    assert (await _nomination(sessions, own)).won is False


async def test_the_team_chooses_how_long_the_vote_runs_and_its_check_in_time_closes_it(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """The lead sets five vote days and a 09:00 check-in with the real commands: the vote opens
    on Sunday 27 December, Cy (who works weekends) is asked that day and the others on Monday,
    and the vote closes, and is posted, at 09:00 on the first. A prompt that reaches someone
    only after the close says the vote closed, not that it opens."""
    team = await _growth(sessions)
    async with sessions() as session, session.begin():
        await session.execute(
            update(Member)
            .where(Member.platform_user_id == "cy")
            .values(working_days="mon,tue,wed,thu,fri,sat,sun")
        )
    clock = MovingClock(at("2026-12-10 11:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    said = await chat.text("lea", "schedule set vote 5 days before month end checkin 09:00")
    assert "opens for the last 5 days of each month, at 09:00" in said
    said = await chat.text("ana", nominate("me", ANA_DID, ANA_LEARNED))
    assert "The vote opens Monday 28 December 2026 at 09:00 (UTC)" in said  # Ana's ballot
    own = story_id(said)

    clock.move_to(at("2026-12-27 09:00"))
    assert "opens Monday 28 December" in await chat.text("ben", f"fail vote {own}")
    await tick.tick(clock.now())
    assert [r.target for r in await _fail_rows(sessions)] == ["cy"]
    assert "Voted for Ana's story" in await chat.text("cy", f"fail vote {own}")
    clock.move_to(at("2026-12-28 09:00"))
    await tick.tick(clock.now())
    rows = await _fail_rows(sessions)
    assert sorted(r.target for r in rows) == ["ana", "ben", "cy", "lea"]
    assert "change it until Friday 1 January 2027 at 09:00 (UTC)" in text(rows[-1])

    clock.move_to(at("2027-01-01 08:59"))
    await tick.tick(clock.now())
    assert [r for r in await _fail_rows(sessions) if r.target == CHANNEL] == []
    clock.move_to(at("2027-01-01 09:00"))
    assert "has closed" in await chat.text("cy", f"fail vote {own}")
    await tick.tick(clock.now())
    (post,) = [r for r in await _fail_rows(sessions) if r.target == CHANNEL]
    assert post.dedupe_key == f"fail-month:{team}:2026-12"
    assert "🏆 @Ana" in text(post)
    assert "1 vote" not in text(post)

    async with sessions() as session:
        growth = await session.get(Team, team)
        assert growth is not None
        rituals = with_overrides(config.rituals, growth.settings)
        assert rituals.vote_days == 5
        december = vote_of("2026-12", rituals, "UTC")
        found = await stories(session, [(team, "2026-12")])
    late = Message(tuple(ballot_blocks(found, december, 0, clock.now())))
    assert "The vote closed Friday 1 January 2027 at 09:00 (UTC); `fails 2026`" in late.text
    assert "opens" not in late.text
    assert buttons_of([late]) == []


# --- The edges of the ritual: the export, zones, and the grammar ---------------------------------


async def test_the_nominators_data_export_does_not_tell_a_declined_story_from_a_waiting_one(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Declining is silent, on every path: Ana's export of her own data must not say that Cy
    said no (an export holds the nominee's consent for the nominee only)."""
    await _growth(sessions)
    clock = MovingClock(at("2026-12-10 11:00"))
    chat = chat_at(sessions, config, clock)
    about_cy = story_id(await chat.text("ana", nominate("@cy", CY_DID, CY_LEARNED)))
    await chat.say("cy", f"fail consent {about_cy} no")
    (export,) = await chat.say("ana", "me export")
    assert isinstance(export, Message)
    (file,) = [b for b in export.blocks if isinstance(b, File)]
    (story,) = json.loads(file.data)["tables"]["fail_nomination"]
    assert story["consent"] == "(not yours to export)"
    assert story["misstep"] == CY_DID  # her own words she keeps


async def test_someone_living_ahead_of_the_team_is_asked_once_the_vote_is_open(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Cy lives in Tokyo, her team in New York: her one prompt must come when she can vote."""
    await _growth(sessions, zone="America/New_York")
    async with sessions() as session, session.begin():
        await session.execute(
            update(Member).where(Member.platform_user_id == "cy").values(time_zone="Asia/Tokyo")
        )
    clock = MovingClock(at("2026-12-10 16:00"))
    chat = chat_at(sessions, config, clock)
    tick = planner(sessions, config)
    own = story_id(await chat.text("ana", nominate("me", ANA_DID, ANA_LEARNED)))
    for moment in ("2026-12-29 01:00", "2026-12-29 05:00", "2026-12-30 01:00"):
        clock.move_to(at(moment))
        await tick.tick(clock.now())
    (to_cy,) = [r for r in await _fail_rows(sessions) if r.target == "cy"]
    assert next(b.command for b in buttons_of([decode(to_cy.payload)])) == f"fail vote {own}"


async def test_a_story_typed_without_a_person_is_the_tellers_own(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """`[@person|me]` is optional in the usage line: leaving it out nominates yourself."""
    await _growth(sessions)
    chat = chat_at(sessions, config, MovingClock(at("2026-12-10 11:00")))
    said = await chat.text("ana", f'fail nominate "{ANA_DID}" learned "{ANA_LEARNED}"')
    assert "Your story is on Growth's ballot" in said


async def test_a_month_the_team_was_never_asked_about_is_archived_without_an_invitation(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """Switched on (or the bot started) after November's vote: November is closed quietly, not
    announced with "no stories this month" for a vote nobody was asked to."""
    await _growth(sessions, created="2026-10-01 09:00")
    clock = MovingClock(at("2026-12-01 12:00"))
    await planner(sessions, config).tick(clock.now())
    assert await _fail_rows(sessions) == []
    async with sessions() as session:
        (month,) = (await session.scalars(select(FailMonth.month))).all()
        assert month == "2026-11"


async def test_a_vote_reachable_only_after_it_closes_is_skipped_not_sent_late(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """A one-day vote on Sunday 31 January: a Monday-to-Friday person is next reachable on
    Monday at 10:00, when the vote closes, so their prompt is skipped rather than sent after."""
    await _growth(sessions, created="2026-10-01 09:00")
    async with sessions() as session, session.begin():
        await session.execute(update(Team).values(settings={**ON, "vote_days": 1}))
    clock = MovingClock(at("2027-01-31 10:00"))
    tick = planner(sessions, config)
    await tick.tick(clock.now())
    clock.move_to(at("2027-02-01 10:00"))
    await tick.tick(clock.now())
    assert [r for r in await _fail_rows(sessions) if r.target != CHANNEL] == []
    skipped = [
        n for n in await ledger(sessions) if n.ritual == "fail_of_month" and n.period == "2027-01"
    ]
    assert {n.reason for n in skipped} == {"the vote closed"}
    assert len(skipped) == 4
