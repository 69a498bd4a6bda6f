"""The weekly check-in over the real grammar, dispatcher and store: obstacles, commitments that
refuse deferrals, follow-through, and a lead's misstep with anonymous feedback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import Dispatcher
from rituals.checkins.commands import read_due
from rituals.checkins.vague import deferral
from rituals.core.messages import Form, Message
from rituals.core.schedule import week_name
from rituals.core.settings import VAGUE_PHRASES
from storage.models import Commitment, CommitmentStatus, Membership, MisstepFeedback, Obstacle
from tests.conftest import NOW
from tests.support import Chat, about, buttons_of, dms_to, member, text_of

# Deferrals, in the spellings people type them.
VAGUE = [
    "I'll think about it",
    "i'll think about it.",
    "I’LL THINK ABOUT IT!!!",
    "Ill think about it",
    "I will think about it later",
    "Let me get back to you",
    "let me get back to you on that…",
    "Let me get back to you on that next week",
    "Maybe later",
    "maybe later?",
    "MAYBE. LATER.",
    "We'll see",
    "we’ll see :)",
    "We will see",
    "I'll look into it",
    "Will look into it ASAP",
    "look in to it",
    "Let's circle back",
    "Sure, I'll keep an eye on it",
    "When I get a chance",
    "TBD",
    "Soon",
    "will do",
    "next week",
    "I'll think about this",
    "We shall see",
    "let me see",
    "Let me look into this",
    "Maybe later this month",
    "We'll see next month",
    "I'll think about it over the weekend",
    "I will think about it, thanks",
    "Let me get back to you, Ana",
    "Let me get back to you by Friday",
]

# Concrete actions, some of which merely contain a soft word.
CONCRETE = [
    "Think through the pricing options with Sam and send a plan",
    "I'll look into it and send Ana the vendor list by Friday",
    "Get back to legal with the signed NDA",
    "Ask IT for a second monitor",
    "Call Sam",
    "Book a room for the Thursday demo",
    "See Sam about the budget",
    "We'll see the vendor on Tuesday and bring back two quotes",
]


@pytest.mark.parametrize("action", VAGUE)
def test_deferrals_are_caught_in_any_case_or_punctuation(action: str) -> None:
    assert deferral(action, VAGUE_PHRASES) is not None


@pytest.mark.parametrize("action", CONCRETE)
def test_concrete_actions_pass_even_with_a_soft_word(action: str) -> None:
    assert deferral(action, VAGUE_PHRASES) is None


def test_the_phrase_list_is_a_setting() -> None:
    assert deferral("Park the idea", VAGUE_PHRASES) is None
    assert deferral("Park the idea!", ("park the idea",)) == "park the idea"


async def _obstacle(
    chat: Chat, user: str = "ana", text: str = "legal has not approved the contract template"
) -> int:
    said = await chat.text(user, f"obstacle {text}")
    assert "Saved as obstacle #" in said, said
    return int(said.split("#")[1].split(".")[0].split(" ")[0])


async def _commitments(sessions: async_sessionmaker[AsyncSession]) -> list[Commitment]:
    async with sessions() as session:
        return list((await session.scalars(select(Commitment).order_by(Commitment.id))).all())


async def test_a_raised_obstacle_reaches_the_lead_with_a_commit_button(chat: Chat) -> None:
    replies = await chat.say("ana", "obstacle waiting two weeks for legal to approve the template")
    assert "Lea answers each obstacle with a commitment" in text_of(replies)
    (to_lea,) = dms_to(replies, "lea")
    assert "waiting two weeks for legal" in to_lea.text
    (button,) = buttons_of([to_lea])
    assert button.command.startswith("commit ")


async def test_the_commit_button_opens_a_form_about_the_obstacle(chat: Chat) -> None:
    number = await _obstacle(chat)
    (form,) = await chat.say("lea", f"commit {number}")
    assert isinstance(form, Form)
    assert about(form.hidden) == {"obstacle": str(number)}
    assert "Ana: legal has not approved the contract template" in form.intro
    fields = {f.name: f.required for f in form.fields}
    assert fields == {"action": True, "owner": False, "due": True}


@pytest.mark.parametrize(
    "action", ["I'll think about it", "Let me get back to you on that!", "maybe later"]
)
async def test_a_vague_answer_is_refused_on_the_spot_and_nothing_is_stored(
    chat: Chat, sessions: async_sessionmaker[AsyncSession], action: str
) -> None:
    number = await _obstacle(chat)
    (form,) = await chat.say("lea", f'commit {number} "{action}" due fri')
    assert isinstance(form, Form)
    assert "puts it off" in form.intro
    assert "What will be done, by whom, by when?" in form.intro
    kept = {f.name: f.value for f in form.fields}
    assert kept["action"] == action
    assert kept["due"] == "fri"
    assert await _commitments(sessions) == []


async def test_a_concrete_commitment_is_stored_and_the_member_and_owner_hear_of_it(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    number = await _obstacle(chat)
    action = "Think through the pricing options with Sam and send a plan"
    replies = await chat.say("lea", f'commit {number} "{action}" owner @ben due 2026-11-27')
    assert "Committed #" in text_of(replies)
    (row,) = await _commitments(sessions)
    assert (row.action, row.due.isoformat(), row.status) == (
        action,
        "2026-11-27",
        CommitmentStatus.OPEN,
    )
    (to_ana,) = dms_to(replies, "ana")
    assert "Lea answered what is in your way" in to_ana.text
    assert action in to_ana.text
    (to_ben,) = dms_to(replies, "ben")
    assert "Due Friday 27 November 2026" in to_ben.text
    assert [b.command for b in buttons_of([to_ben])] == [f"done {row.id}", f"drop {row.id}"]


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("due 2026-11-20", "is in the past"),
        ("due 2027-11-23", "more than 90 days away"),
        ("due someday", "is not a day I can read"),
        ("owner @zed due fri", "I don't know @zed"),  # Zed is in another workspace
    ],
)
async def test_bad_due_dates_and_owners_are_refused_with_the_reason(
    chat: Chat, sessions: async_sessionmaker[AsyncSession], extra: str, says: str
) -> None:
    number = await _obstacle(chat)
    said = await chat.text("lea", f'commit {number} "Send Ana the signed template" {extra}')
    assert says in said
    assert await _commitments(sessions) == []


async def test_an_owner_outside_the_team_and_an_empty_action_are_refused(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("zed", "help", workspace="T2")
    await chat.say("cy", "help")  # in the workspace, on no team
    number = await _obstacle(chat)
    said = await chat.text("lea", f'commit {number} "Send Ana the template" owner @cy due fri')
    assert "Cy is not on Growth" in said
    said = await chat.text("lea", f'commit {number} "" due fri')
    assert "is empty" in said or "What will be done?" in said
    assert await _commitments(sessions) == []


async def test_only_the_lead_commits_and_other_workspaces_see_no_obstacle(chat: Chat) -> None:
    number = await _obstacle(chat)
    assert "Only the lead of Growth" in await chat.text(
        "ben", f'commit {number} "Call legal" due fri'
    )
    said = await chat.text("zed", f'commit {number} "Call legal" due fri', workspace="T2")
    assert f"There is no obstacle #{number} here" in said


def test_due_dates_read_the_ways_people_write_them() -> None:
    monday = NOW.date()
    assert read_due("today", monday) == monday
    assert read_due("tomorrow", monday).isoformat() == "2026-11-24"
    assert read_due("fri", monday).isoformat() == "2026-11-27"
    assert read_due("Friday", monday).isoformat() == "2026-11-27"
    assert read_due("mon", monday) == monday
    assert read_due("next mon", monday).isoformat() == "2026-11-30"
    assert read_due("in 3 days", monday).isoformat() == "2026-11-26"
    assert read_due("in 2 weeks", monday).isoformat() == "2026-12-07"
    assert read_due("2026-12-31", monday).isoformat() == "2026-12-31"
    with pytest.raises(ValueError, match="not a day I can read"):
        read_due("31/12", monday)


async def test_done_and_drop_belong_to_the_owner_and_tell_the_member(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    number = await _obstacle(chat)
    await chat.say("lea", f'commit {number} "Send Ana the template" owner @ben due fri')
    (row,) = await _commitments(sessions)
    assert "Only Ben, its owner, or the lead who made it" in await chat.text(
        "ana", f"done {row.id}"
    )
    (form,) = await chat.say("ben", f"drop {row.id}")
    assert isinstance(form, Form)
    assert about(form.hidden) == {"commitment": str(row.id)}
    replies = await chat.say("ben", f"drop {row.id} legal rewrote it themselves")
    (to_ana,) = dms_to(replies, "ana")
    assert "dropped (legal rewrote it themselves)" in to_ana.text
    assert "dropped already" in await chat.text("ben", f"done {row.id}")
    (row,) = await _commitments(sessions)
    assert (row.status, row.reason) == (CommitmentStatus.DROPPED, "legal rewrote it themselves")


async def test_nothing_this_week_and_the_digest(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert "nothing in your way this week" in await chat.text("ben", "nothing")
    await chat.say("ben", "nothing")  # twice is still one answer
    number = await _obstacle(chat)
    replies = await chat.say("lea", "digest")
    said = text_of(replies)
    assert "1 obstacle, 1 waiting for a commitment" in said
    assert "legal has not approved" in said
    assert "Nothing in the way: Ben." in said
    assert [b.command for b in buttons_of(replies)] == [f"commit {number}"]
    assert "Only the lead of Growth" in await chat.text("ana", "digest")
    async with sessions() as session:
        answers = (await session.scalars(select(Obstacle).where(Obstacle.text.is_(None)))).all()
    assert len(answers) == 1


async def test_a_lead_shares_a_misstep_and_anonymous_feedback_keeps_no_author(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    replies = await chat.say(
        "lea", "misstep I set the Q4 target without asking the people who own it"
    )
    assert {m.to.platform_user_id for m in replies if isinstance(m, Message) and m.to} == {
        "ana",
        "ben",
    }
    number = buttons_of(dms_to(replies, "ana"))[0].command.split()[1]
    assert "Only the lead" in await chat.text("ana", "misstep I once forgot to say thanks to Ben")

    replies = await chat.say(
        "ana", f'feedback {number} "ask us first; we knew the pipeline was thin"'
    )
    assert "anonymously" in text_of(replies)
    (to_lea,) = dms_to(replies, "lea")
    assert "Someone on your team" in to_lea.text
    assert "Ana" not in to_lea.text
    replies = await chat.say("ben", f'feedback {number} "thanks for saying it out loud" as named')
    (to_lea,) = dms_to(replies, "lea")
    assert "@Ben" in to_lea.text

    async with sessions() as session:
        rows = (await session.scalars(select(MisstepFeedback).order_by(MisstepFeedback.id))).all()
    assert [r.author_id is None for r in rows] == [True, False]
    assert not hasattr(rows[0], "created_at")  # only the day: no timestamp to match against
    said = await chat.text("lea", "missteps")
    assert "Anonymous: ask us first" in said
    assert "Ben: thanks for saying it" in said
    export = await chat.text("ana", "me export")
    assert "pipeline was thin" not in export
    assert "is your own" in await chat.text("lea", f'feedback {number} "I would do better"')
    assert "no misstep" in await chat.text(
        "zed", f'feedback {number} "hello there"', workspace="T2"
    )


async def test_obstacle_text_too_long_is_refused_with_the_limit(chat: Chat) -> None:
    said = await chat.text("ana", "obstacle " + "x" * 1200)
    assert "too long" in said
    assert "1000" in said


async def test_help_explains_the_commitment_rule(dispatcher: Dispatcher, chat: Chat) -> None:
    said = await chat.text("lea", "help commit")
    assert "Think through the pricing options with Sam and send a plan" in said
    assert "I'll think about it" in said


async def test_numbers_beyond_any_row_get_an_answer_not_a_crash(chat: Chat) -> None:
    huge = "99999999999999999999"
    for command in (f"commit {huge}", f"done {huge}", f"drop {huge} no longer needed"):
        said = await chat.text("lea", command)
        assert "must be a smaller number" in said, command
    said = await chat.text("ana", f'feedback {huge} "hello there"')
    assert "must be a smaller number" in said


async def test_an_unknown_owner_keeps_what_the_lead_typed(chat: Chat) -> None:
    number = await _obstacle(chat)
    (form,) = await chat.say(
        "lea", f'commit {number} "Send Ana the template" owner @nobody due fri'
    )
    assert isinstance(form, Form)
    assert "Owner: I don't know @nobody" in form.intro
    kept = {f.name: f.value for f in form.fields}
    assert kept["action"] == "Send Ana the template"
    assert kept["due"] == "fri"


async def test_whoever_closes_a_commitment_the_owner_and_the_member_hear_of_it(chat: Chat) -> None:
    number = await _obstacle(chat)
    said = await chat.text("lea", f'commit {number} "Send Ana the template" owner @ben due fri')
    row = said.split("Committed #")[1].split(":")[0]
    replies = await chat.say("lea", f"drop {row} legal did it themselves")
    assert {m.to.platform_user_id for m in replies if isinstance(m, Message) and m.to} == {
        "ana",
        "ben",
    }


async def test_raising_an_obstacle_after_saying_nothing_takes_the_nothing_back(chat: Chat) -> None:
    await chat.say("ana", "nothing")
    await _obstacle(chat)
    said = await chat.text("lea", "digest")
    assert "Nothing in the way" not in said
    assert "No answer yet: Ben." in said


async def test_anonymous_feedback_is_not_taken_in_a_channel(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    replies = await chat.say(
        "lea", "misstep I set the Q4 target without asking the people who own it"
    )
    number = buttons_of(dms_to(replies, "ana"))[0].command.split()[1]
    said = await chat.text("ana", f'feedback {number} "ask us first"', channel="C123")
    assert "in a direct message with me" in said
    async with sessions() as session:
        assert (await session.scalars(select(MisstepFeedback))).all() == []


async def test_a_commitment_the_member_owns_comes_to_them_with_its_buttons(chat: Chat) -> None:
    number = await _obstacle(chat)
    replies = await chat.say(
        "lea", f'commit {number} "Ask legal for the template yourself" owner @ana due fri'
    )
    (to_ana,) = dms_to(replies, "ana")
    assert [b.label for b in buttons_of([to_ana])] == ["Done", "Drop it"]
    assert dms_to(replies, "ben") == []


async def test_the_digest_lists_newcomers_and_people_away_apart_from_no_answer(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("cy", "hello")
    await chat.say("dan", "hello")
    await chat.say("lea", "team add @cy @dan")
    async with sessions() as session, session.begin():
        # Cy and Dan joined after the week's check-in was asked; Ana skips this week.
        for seat in (await session.scalars(select(Membership))).all():
            if (await member(session, "cy")).id == seat.member_id or (
                await member(session, "dan")
            ).id == seat.member_id:
                seat.created_at = NOW + timedelta(days=5)
        (await member(session, "ana")).skip_week = week_name(NOW.date())
    said = await chat.text("lea", "digest")
    assert "No answer yet: Ben." in said
    assert "Joined the team this week (not asked yet): Cy and Dan." in said
    assert "Away or skipping this week: Ana." in said
