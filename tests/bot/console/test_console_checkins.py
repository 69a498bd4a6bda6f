"""The check-in, commitments, missteps and one-on-ones in a scripted console session.

Forms are asked field by field (Enter keeps a [value]); buttons are numbered, and pressing one
runs its command as whoever is speaking; a DM to someone else is shown as "(direct message to
...)".
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import Dispatcher
from rituals.checkins.prompt import checkin_actions
from rituals.core.context import FixedClock
from storage.models import Member, MisstepFeedback
from tests.bot.console.support import dm, flat, run_console, turn

STORY = "Legal has sat on the new contract template for two weeks"
ACTION = "Ask legal for a one-page template and send it to Ana"


async def test_an_obstacle_by_prompts_then_a_commitment_refused_until_it_is_concrete(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    raised = turn(
        await run_console(dispatcher, sessions, clock, ["obstacle", STORY, "", ""]),
        "ana> obstacle",
    )
    assert "== What's in your way this week? ==" in raised
    assert "KPI it blocks (its number or name; optional" in raised
    saved = re.search(r"Saved as obstacle #(\d+)\. @Lea answers each obstacle", raised)
    assert saved, raised
    to_lea = dm(raised, "Lea")
    assert f"@Ana raised an obstacle in Demo team (#{saved[1]}):\n{STORY}" in to_lea
    assert "Commit to clearing it" not in to_lea  # Lea's button, not Ana's to press

    # As Lea, what her button runs, typed.
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            ":as lea",
            f"commit {saved[1]}",
            "I'll think about it",
            "",  # owner: Lea
            "fri",
            # The same form, the problem on top; Enter keeps the owner and the day.
            ACTION,
            "",
            "2026-11-01",
            "",  # keeps the action
            "",
            "fri",
            ":as ana",
            "commitments",
        ],
    )
    committing = turn(transcript, f"lea> commit {saved[1]}")
    # Asked, asked again as vague, asked again as past; the last answers are accepted.
    asked, vague, past = committing.split("== Commit to clearing it ==")[1:]
    assert asked.startswith(f"\nAna: {STORY}\n")
    assert vague.startswith('\n"I\'ll think about it" puts it off ("think about it")')
    assert "What will be done, by whom, by when?" in vague
    assert vague.index("puts it off") < vague.index(f"Ana: {STORY}")
    assert "(a concrete action, not a promise to think; up to 300 characters) [I'll think" in vague
    assert "like fri; up to 20 characters) [fri]" in vague
    assert past.startswith("\nDue: Sunday 1 November 2026 is in the past; give today or a later")
    assert f"up to 300 characters) [{ACTION}]" in past
    done = re.search(rf"Committed #(\d+): {ACTION}\. Yours, due Friday 27 November", flat(past))
    assert done, past
    to_ana = dm(past, "Ana")
    assert f"@Lea answered what is in your way: {STORY}" in to_ana
    assert f"Commitment #{done[1]}: {ACTION}. Owner @Lea, due Friday 27 November" in flat(to_ana)
    assert "[1]" not in to_ana  # Lea does it: nothing for Ana to press

    mine = turn(transcript, "ana> commitments")
    assert "*Made for you*" in mine
    assert f"- #{done[1]} Lea: {ACTION} (open, due Friday 27 November 2026)" in flat(mine)


async def test_nothing_and_the_digest_show_who_is_clear_and_who_has_not_answered(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    # What the check-in DM's "Nothing this week" button runs.
    nothing = checkin_actions("Demo team", None).buttons[1].command
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            ":as ben",
            nothing,
            ":as lea",
            "digest",
            ":as ana",
            'obstacle "The CRM export breaks every day"',
            ":as lea",
            "digest Demo team",
            ":as ben",
            "digest",
        ],
    )
    assert "Noted: nothing in your way this week in Demo team." in turn(
        transcript, f"ben> {nothing}"
    )
    before = turn(transcript, "lea> digest")
    assert "== Check-in digest: Demo team, week of 23 November 2026 ==" in before
    assert "Nobody raised an obstacle this week." in before
    assert "Nothing in the way: Ben." in before
    assert "No answer yet: Ana." in before

    after = turn(transcript, "lea> digest Demo team")
    assert "1 obstacle, 1 waiting for a commitment" in after
    line = re.search(r"@Ana \(#(\d+)\): The CRM export breaks every day", after)
    assert line, after
    assert re.search(rf"\[\d+\] Commit to #{line[1]}\n", after)
    assert "Nothing in the way: Ben." in after
    assert "No answer yet" not in after

    refused = turn(transcript, "ben> digest")
    assert "Only the lead of Demo team or an admin can see its check-in digest" in refused
    assert "CRM export" not in refused


async def test_an_obstacle_after_nothing_this_week_is_not_also_nothing_in_the_digest(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    """Saying "nothing", then raising an obstacle the same week, takes the "nothing" back: the
    digest does not list the person as clear beside their obstacle."""
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [":as ben", "nothing", 'obstacle "The CRM export breaks every day"', ":as lea", "digest"],
    )
    digest = turn(transcript, "lea> digest")
    assert re.search(r"@Ben \(#\d+\): The CRM export breaks every day", digest)
    assert "Nothing in the way: Ben." not in digest


async def test_a_misstep_asks_the_team_and_anonymous_feedback_names_no_one(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    candid = "Ask us first next time; we knew the pipeline was thin"
    signed = "Pair with Ana on the numbers before the all-hands"
    misstep = "misstep I set the Q4 target without asking the people who own it"
    first = await run_console(
        dispatcher,
        sessions,
        clock,
        # Lea's first words: her welcome (with its buttons) comes with this answer.
        [":as lea", "team", misstep],
    )
    shared = turn(first, f"lea> {misstep}")
    number = re.search(r"Shared misstep #(\d+) with 2 people on Demo team", shared)
    assert number, shared
    for person in ("Ana", "Ben"):
        asked = dm(shared, person)
        assert "@Lea shared a misstep with Demo team and asks for your candid feedback" in asked
        assert "Give feedback" not in asked  # their button, not Lea's to press
        assert "Anonymous unless you choose named" in asked

    # As Ana, what her "Give feedback" button runs, typed; left empty: anonymous.
    transcript = await run_console(
        dispatcher, sessions, clock, [f"feedback {number[1]}", candid, ""]
    )
    given = turn(transcript, f"ana> feedback {number[1]}")
    assert "== Candid feedback ==" in given
    assert "Send it (anonymous or named; optional)\n  [1] anonymous\n  [2] named" in given
    assert "Sent to Lea anonymously: nothing stored or sent links it to you." in given
    to_lea = dm(given, "Lea")
    assert f"Someone on your team answered your misstep #{number[1]}:\n{candid}" in to_lea
    assert "Ana" not in to_lea

    # Ben signs his, typed in one line; Lea reads both, one with no name.
    more = await run_console(
        dispatcher,
        sessions,
        clock,
        [":as ben", f'feedback {number[1]} "{signed}" as named', ":as lea", "missteps"],
    )
    named = turn(more, f'ben> feedback {number[1]} "{signed}" as named')
    assert "Sent to Lea with your name." in named
    assert f"@Ben answered your misstep #{number[1]}:\n{signed}" in dm(named, "Lea")
    listed = turn(more, "lea> missteps")
    assert f"  - Anonymous: {candid}" in listed
    assert f"  - Ben: {signed}" in listed

    async with sessions() as session:
        rows = {f.text: f.author_id for f in await session.scalars(select(MisstepFeedback))}
        ben = await session.scalar(select(Member.id).where(Member.platform_user_id == "ben"))
    assert rows == {candid: None, signed: ben}  # the anonymous one stores no author


async def test_a_one_on_one_point_notes_by_form_and_a_script_only_the_pair_sees(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            'point "how I get more discovery calls"',
            ":as lea",
            "script with @ana",
            "notes with @ana",
            "We talked pricing and the discovery calls",
            "Ana drafts the offer",
            "",  # with: keeps Ana
            "",  # team: keeps Demo team
            ":as ana",
            "script",
            ":as ben",
            "script with @ana",
        ],
    )
    assert "Added to your next one-on-one with @Lea." in turn(
        transcript, 'ana> point "how I get more discovery calls"'
    )
    script = turn(transcript, "lea> script with @ana")
    assert "== One-on-one script: Ana with Lea (Demo team) ==" in script
    assert script.index("*1. Wins first*") < script.index("*2. Dips*")  # wins first
    assert "*Talking points*\n  - Ana: how I get more discovery calls" in script
    assert "(Only the two of you see this script.)" in script

    notes = turn(transcript, "lea> notes with @ana")
    assert "== One-on-one notes ==\nAfter your one-on-one with Ana" in notes
    assert "Saved your one-on-one notes and 1 next step." in notes
    assert "@Lea wrote up your one-on-one. Next steps: Ana drafts the offer" in dm(notes, "Ana")

    hers = turn(transcript, "ana> script")
    assert "you noted: We talked pricing and the discovery calls" in hers
    assert "You agreed these next steps. What came of each?\n  - Ana drafts the offer" in hers
    assert "how I get more discovery calls" not in hers  # covered by the notes
    refused = turn(transcript, "ben> script with @ana")
    assert "Scripts are private to the pair" in refused
    assert "pricing" not in refused
