"""Which number presses which button when several messages are shown at once, whose buttons a
number may press, and people shown by name rather than by the platform's markup."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.dispatch import Dispatcher
from rituals.core.context import FixedClock
from tests.bot.console.support import dm, run_console, turn
from tests.bot.console.transcript import clocked_session_of

SATURDAY = datetime(2026, 11, 21, tzinfo=UTC)


def number_of(shown: str, label: str) -> str:
    (number,) = re.findall(rf"^  \[(\d+)\] {re.escape(label)}$", shown, re.MULTILINE)
    return number


async def test_two_nudges_shown_at_once_number_their_buttons_apart(
    own_database: str, config: AppConfig
) -> None:
    # Monday's check-in and Wednesday's one-on-one script reach Ana in one move of the clock.
    transcript = await clocked_session_of(
        own_database, config, SATURDAY, [":clock +1w", ":clock +5d", "6", ":cancel"]
    )
    moved = turn(transcript, "ana> :clock +5d")
    assert "  [1] Tell Lea what's in my way" in moved
    assert "  [6] Add a talking point" in moved
    numbers = [int(n) for n in re.findall(r"^  \[(\d+)\] ", moved, re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1))  # each number once, in order
    # The number presses the button shown with it, not the last message's button 6.
    assert turn(transcript, "ana> 6").startswith("  -> point\n\n== Add a talking point ==")


async def test_a_number_never_presses_someone_elses_button(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await run_console(
        dispatcher, sessions, clock, [":as cy", 'team join "Demo team"', "1", ":as lea", "1"]
    )
    asked = turn(transcript, 'cy> team join "Demo team"')
    to_lea = dm(asked, "Lea")
    # Lea's buttons are hers to press, so Cy is shown what the DM says, not a number for them.
    assert "Approve" not in to_lea
    assert not re.search(r"\[\d+\]", to_lea)
    assert "-> team approve" not in transcript
    assert "team approve" not in turn(transcript, "cy> 1")  # Cy's own button 1, not Lea's
    assert "There is no button 1" in turn(transcript, "lea> 1")


async def test_people_in_a_pressed_command_and_a_form_value_show_by_name(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    # Lea is welcomed by `help` first, so the script's buttons are all its reply has.
    script = [
        ":as lea",
        "help",
        "script @ana",
        "2",
        "We went over the CRM outage",
        "Ana drafts the offer",
        ":cancel",
    ]
    transcript = await run_console(dispatcher, sessions, clock, script)
    assert number_of(turn(transcript, "lea> script @ana"), "Write notes after") == "2"
    pressed = turn(transcript, "lea> 2")
    assert pressed.startswith("  -> notes with @Ana\n"), pressed
    assert "[@Ana]" in pressed  # the form's default, as a person reads it
    assert "<@" not in pressed
