"""Messages to others leave through the outbox, on Slack: a failed DM is the worker's to retry,
never the asker's failure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.models import Obstacle, Outbox, OutboxStatus
from tests.bot.slack.conftest import ANA, LEA, SlackClient
from tests.bot.slack.support import stored
from tests.support import MovingClock

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
STORY = "The CRM export breaks every morning"


@pytest.fixture
def clock() -> MovingClock:
    """Time a test moves on, so the worker's next round finds the retry due."""
    return MovingClock(NOW)


def to_lea(slack: SlackClient) -> list[str]:
    return [
        c.args["text"]
        for c in slack.api.of("chat.postMessage")
        if c.args["channel"] == LEA and STORY in c.args["text"]
    ]


async def test_an_obstacle_whose_dm_to_the_lead_fails_is_saved_once_and_sent_later(
    slack: SlackClient, database_url: str, clock: MovingClock
) -> None:
    await slack.meet(LEA, ANA)
    await slack.ask("team create Growth", LEA)
    assert "to Growth" in await slack.ask(f"team add <@{ANA}|ana>", LEA)
    await slack.deliver()
    slack.api.down["chat.postMessage"] = 1  # Slack fails the next post: the DM to Lea

    said = await slack.ask(f'obstacle "{STORY}"', ANA)
    await slack.deliver()
    assert "Saved as obstacle" in said
    assert "try again" not in said.lower()
    assert slack.api.down["chat.postMessage"] == 0  # the worker tried, and Slack failed it
    assert len(to_lea(slack)) == 1  # Slack answered 500 to it
    (row,) = [r for r in await stored(database_url, slack.team, Outbox) if r.target == LEA][-1:]
    assert row.status is OutboxStatus.SENDING  # in doubt: asked about before it is resent
    assert row.attempts == 1

    clock.move_to(clock.at + timedelta(hours=1))  # past the retry's wait
    await slack.deliver()
    (row,) = [r for r in await stored(database_url, slack.team, Outbox) if r.target == LEA][-1:]
    assert row.status is OutboxStatus.SENT
    assert len(to_lea(slack)) == 2  # the failed attempt, then the one that arrived
    assert len(await stored(database_url, slack.team, Obstacle)) == 1  # saved once
