"""Messages to others leave through the outbox, on Teams: a failed DM is the worker's to retry,
never the asker's failure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.models import Obstacle, Outbox, OutboxStatus
from tests.bot.teams.conftest import ANA, LEA, PERSONAL, TeamsClient, text_of
from tests.bot.teams.support import chat_of, growth, rows
from tests.support import MovingClock

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
STORY = "The CRM export breaks every morning"


@pytest.fixture
def clock() -> MovingClock:
    """Time a test moves on, so the worker's next round finds the retry due."""
    return MovingClock(NOW)


async def test_an_obstacle_whose_dm_to_the_lead_fails_is_saved_once_and_sent_later(
    teams: TeamsClient, teams_database: str, clock: MovingClock
) -> None:
    await growth(teams)
    teams.connector.refuse[PERSONAL + LEA[0]] = [502]  # Lea's chat fails the next send

    said = text_of(await teams.say(f'obstacle "{STORY}"', ANA))
    await teams.deliver()
    assert "Saved as obstacle" in said
    assert "try again" not in said.lower()
    assert teams.connector.refused == [(PERSONAL + LEA[0], 502)]
    assert not [s for s in chat_of(teams, LEA) if STORY in s.text]
    (row,) = [
        r for r in await rows(teams_database, Outbox, teams.tenant) if STORY in str(r.payload)
    ]
    assert row.status is OutboxStatus.PENDING  # waiting for its retry
    assert row.attempts == 1

    clock.move_to(clock.at + timedelta(hours=1))  # past the retry's wait
    await teams.deliver()
    (arrived,) = [s for s in chat_of(teams, LEA) if STORY in s.text]
    assert arrived.reply_to is None  # proactive, from the worker
    (row,) = [
        r for r in await rows(teams_database, Outbox, teams.tenant) if STORY in str(r.payload)
    ]
    assert row.status is OutboxStatus.SENT
    assert len(await rows(teams_database, Obstacle, teams.tenant)) == 1  # saved once
