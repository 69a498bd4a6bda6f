"""Breaks from nudges: `away`, `skip week`, `snooze`; stored on the member, said in local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from tests.conftest import NOW
from tests.support import Chat, MovingClock, chat_at, read_member

# --- away -------------------------------------------------------------------------------------


async def test_away_until_a_date_is_stored_and_confirmed_in_your_date_language(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("ana", "me set language de")
    said = await chat.text("ana", "away until 2026-12-01")
    assert "You're away until 1. Dezember 2026: no nudges before then" in said
    assert "they resume that day" in said
    assert (await read_member(sessions, "ana")).away_until == date(2026, 12, 1)
    assert "Away: until 1. Dezember 2026, when nudges resume" in await chat.text("ana", "me")
    # Without "until" too.
    await chat.say("ana", "away 2026-12-02")
    assert (await read_member(sessions, "ana")).away_until == date(2026, 12, 2)


async def test_away_refuses_today_the_past_and_beyond_a_year_with_the_reason(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    today = await chat.text("ana", "away until 2026-11-23")
    assert "Nothing was changed: 2026-11-23 is today." in today
    assert "like away until 2026-11-30" in today
    assert "2026-11-01 has passed" in await chat.text("ana", "away until 2026-11-01")
    far = await chat.text("ana", "away until 2027-11-24")
    assert "2027-11-24 is more than a year away; the latest you can give is 2027-11-23" in far
    assert "me set pause on" in far
    assert (await read_member(sessions, "ana")).away_until is None
    assert "You're away until 23 November 2027" in await chat.text("ana", "away until 2027-11-23")


async def test_away_refuses_other_date_formats_with_an_example(chat: Chat) -> None:
    said = await chat.text("ana", "away until 1 Dec")
    assert '"1 Dec" is not a day I can read; write fri, tomorrow, in 3 days' in said
    assert "or a date like 2026-11-30" in said
    said = await chat.text("ana", "away 2026-02-30")
    assert "2026-02-30 is not a day in the calendar; check the month and the day" in said
    assert "like 2026-11-30" in said  # what to write instead, a week from today
    assert 'Back on (after "until") is missing' in await chat.text("ana", "away")


async def test_today_is_the_persons_own(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    # 09:30 UTC on Monday is still Sunday 23:30 in Honolulu: Monday is tomorrow there.
    await chat.say("ana", "me set tz Pacific/Honolulu")
    assert "You're away until 23 November 2026" in await chat.text("ana", "away 2026-11-23")
    # Sunday there, the week ending holds no working day: the week ahead is the one skipped.
    assert "Skipping the week of 23 November 2026" in await chat.text("ana", "skip week")
    assert (await read_member(sessions, "ana")).skip_week == "2026-W48"


async def test_away_off_and_back_end_it_early(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert "You were not away, so nothing changed." in await chat.text("ana", "back")
    await chat.say("ana", "away until 2026-12-01")
    assert "Welcome back: nudges reach you again from now." in await chat.text("ana", "away off")
    assert (await read_member(sessions, "ana")).away_until is None
    assert "Away:" not in await chat.text("ana", "me")


async def test_a_break_on_top_of_a_pause_says_the_pause_still_holds(chat: Chat) -> None:
    await chat.say("ana", "me set pause on")
    said = await chat.text("ana", "away until 2026-12-01")
    assert "Your nudges are also paused; me set pause off turns them back on." in said


# --- skip week --------------------------------------------------------------------------------


async def test_skip_week_skips_this_local_week_and_skip_off_takes_it_back(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    said = await chat.text("ana", "skip week")
    assert "Skipping the week of 23 November 2026: no more nudges this week." in said
    assert "They come again from the week of 30 November 2026." in said
    assert (await read_member(sessions, "ana")).skip_week == "2026-W48"
    assert "Skipping: the week of 23 November 2026" in await chat.text("ana", "me")
    assert "already skipping the week of 23 November 2026" in await chat.text("ana", "skip")
    assert "The week of 23 November 2026 is back on" in await chat.text("ana", "skip off")
    assert (await read_member(sessions, "ana")).skip_week is None
    assert "You were not skipping this week" in await chat.text("ana", "skip off")


async def test_skip_week_on_a_weekend_skips_the_week_ahead(
    chat: Chat, sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    clock = MovingClock(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))  # a Friday
    talk = chat_at(sessions, config, clock)
    # A working day is still left: the week that is ending is the one skipped.
    assert "Skipping the week of 23 November 2026" in await talk.text("ana", "skip week")
    await talk.say("ana", "skip off")
    clock.move_to(datetime(2026, 11, 28, 11, 0, tzinfo=UTC))  # Saturday: the week is done
    said = await talk.text("ana", "skip week")
    assert "Skipping the week of 30 November 2026: no more nudges that week." in said
    assert "They come again from the week of 7 December 2026." in said
    assert (await read_member(sessions, "ana")).skip_week == "2026-W49"
    assert "Skipping: the week of 30 November 2026" in await talk.text("ana", "me")
    assert "already skipping the week of 30 November 2026" in await talk.text("ana", "skip week")
    back = await talk.text("ana", "skip off")
    assert "The week of 30 November 2026 is back on: nudges of that week reach you" in back


async def test_skip_names_what_it_does_not_understand(chat: Chat) -> None:
    said = await chat.text("ana", "skip next week")
    assert 'I don\'t know what to do with "next week"' in said
    assert "/kpi skip week" in said


# --- snooze -----------------------------------------------------------------------------------


async def test_snooze_for_a_while_is_stored_in_utc_and_said_in_local_time(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    said = await chat.text("ana", "snooze 2h")
    assert "Snoozed until 11:30 today, your time (UTC). Nudges due before then wait" in said
    assert (await read_member(sessions, "ana")).snoozed_until == NOW + timedelta(hours=2)
    assert "Snoozed: until 11:30 today" in await chat.text("ana", "me")
    await chat.say("ana", "snooze 1h 30m")
    assert (await read_member(sessions, "ana")).snoozed_until == NOW + timedelta(minutes=90)
    said = await chat.text("ana", "snooze 1d")
    assert "Snoozed until 09:30 tomorrow, 24 November 2026" in said
    said = await chat.text("ana", "snooze 7d")
    assert "Snoozed until Monday 30 November 2026, 09:30" in said


async def test_snooze_until_a_time_is_the_persons_own_time(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("ana", "me set tz Europe/Berlin")  # 10:30 there
    said = await chat.text("ana", "snooze until 14:00")
    assert "Snoozed until 14:00 today, your time (Europe/Berlin)" in said
    assert (await read_member(sessions, "ana")).snoozed_until == datetime(
        2026, 11, 23, 13, tzinfo=UTC
    )
    # A time already past today means tomorrow.
    assert "Snoozed until 09:00 tomorrow, 24 November 2026" in await chat.text(
        "ana", "snooze until 9:00"
    )
    assert (await read_member(sessions, "ana")).snoozed_until == datetime(
        2026, 11, 24, 8, tzinfo=UTC
    )


async def test_snooze_refuses_too_short_too_long_and_unreadable_with_the_reason(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    short = await chat.text("ana", "snooze 10m")
    assert "Nothing was changed: 10 minutes is too short to snooze; snooze for 15 minutes" in short
    assert "10 minutes is too short" in await chat.text("ana", "snooze until 09:40")
    long = await chat.text("ana", "snooze 8d")
    assert "a snooze lasts 7 days at most, and that is 8 days" in long
    assert "away until 2026-12-01" in long
    assert "For a longer break, say me set pause on." in await chat.text("ana", "snooze 400d")
    assert "say the unit too, like 30m" in await chat.text("ana", "snooze 30")
    assert "'x' is not a unit of time" in await chat.text("ana", "snooze 2x")
    assert "'soon' is not a length of time" in await chat.text("ana", "snooze soon")
    assert "'25:00' is not a time of day" in await chat.text("ana", "snooze until 25:00")
    assert "say until when, like until 14:00" in await chat.text("ana", "snooze until")
    missing = await chat.text("ana", "snooze")
    assert "is missing" in missing
    assert "/kpi snooze 2h" in missing
    assert (await read_member(sessions, "ana")).snoozed_until is None


async def test_snooze_off_ends_it(chat: Chat, sessions: async_sessionmaker[AsyncSession]) -> None:
    assert "You were not snoozed" in await chat.text("ana", "snooze off")
    await chat.say("ana", "snooze 2h")
    assert "Snooze ended: nudges can reach you again." in await chat.text("ana", "snooze off")
    assert (await read_member(sessions, "ana")).snoozed_until is None
    assert "Snoozed:" not in await chat.text("ana", "me")
