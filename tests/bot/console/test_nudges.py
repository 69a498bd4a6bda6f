"""Nudges and posts in the console, stamped as their reader would see them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import AppConfig
from tests.bot.console.transcript import clocked_session_of

SATURDAY = datetime(2026, 11, 21, tzinfo=UTC)


async def test_a_nudge_is_stamped_in_the_time_zone_its_reader_set(
    own_database: str, config: AppConfig
) -> None:
    transcript = await clocked_session_of(
        own_database,
        config,
        SATURDAY,
        ["me set tz Asia/Tokyo", ":clock +2d", ":clock +1h", ":clock"],
    )
    # Ana moved from Lisbon to Tokyo: her Monday check-in comes at ten in Tokyo, and says so.
    assert "-- nudge: Mon 10:00 their time, DM to Ana --" in transcript
    assert "(Asia/Tokyo, Ana's time)" in transcript
    assert "Europe/Lisbon" not in transcript


async def test_a_post_to_the_team_channel_is_a_post_not_a_dm(
    own_database: str, config: AppConfig
) -> None:
    transcript = await clocked_session_of(
        own_database,
        config,
        SATURDAY,
        [
            ":as lea",
            "settings set channel #growth",
            'purpose start "We help small shops sell online without a developer" until tue',
            ":as ana",
            ":clock +4d",
        ],
    )
    closed = transcript.split("ana> :clock +4d", 1)[1]
    assert "-- post: Tue 09:00 your time, in #growth --" in closed
    assert "DM to Growth" not in closed
    assert "DM to growth" not in closed
    assert "No answers came in this time." in closed


async def test_a_nudge_says_once_whom_it_is_for(own_database: str, config: AppConfig) -> None:
    transcript = await clocked_session_of(
        own_database, config, SATURDAY, [":as lea", ":clock +2d", ":clock +10h"]
    )
    # Lea's own Monday check-in: addressed in its heading, not again under it.
    assert "-- nudge: Mon 10:00 their time, DM to Lea --" in transcript
    assert "(direct message to Lea)" not in transcript
