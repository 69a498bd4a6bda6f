"""The outbox worker keeps a conversation's messages in the order they were queued, against a
local mock of Slack's Web API, over the real store."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import ClientSession
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.payload import stored
from rituals.core.context import FixedClock, ShiftedClock
from rituals.core.messages import Mention, dm
from storage.models import Outbox, OutboxStatus, Platform
from storage.outbox import OutboxRow, enqueue
from storage.people import ensure_workspace
from tests.bot.slack.mock_slack import MockSlack
from tests.bot.test_delivery import worker
from tests.conftest import NOW
from tests.scheduling import outbox


async def three_to_one_person(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        ws = await ensure_workspace(session, Platform.SLACK, "T0AB12CD3", "acme", NOW)
        rows = [
            OutboxRow(
                ws.id,
                Platform.SLACK,
                "U1",
                "checkin",
                f"order:{n}",
                stored(dm(Mention("U1", "U1"), f"message {n}")),
                NOW,
            )
            for n in (1, 2, 3)
        ]
        await enqueue(session, rows)


async def test_rows_behind_one_put_off_wait_with_it_and_go_in_order(
    sessions: async_sessionmaker[AsyncSession], slack_api: MockSlack, http: ClientSession
) -> None:
    """The first of three messages to one person meets a 500: the two behind it are not sent
    ahead of it; they wait as long, at no cost of an attempt, and all three go in order."""
    await three_to_one_person(sessions)
    slack_api.down["chat.postMessage"] = 1
    clock = ShiftedClock(FixedClock(NOW))
    deliver = worker(sessions, slack_api, http, clock)
    await deliver.drain()
    first, *behind = sorted(await outbox(sessions), key=lambda r: r.id)
    assert first.status is OutboxStatus.SENDING  # in doubt: asked about before it is resent
    assert [(r.status, r.attempts) for r in behind] == [(OutboxStatus.PENDING, 0)] * 2
    assert {r.next_attempt_at for r in behind} == {first.lease_until}
    assert len(slack_api.of("chat.postMessage")) == 1

    clock.advance(timedelta(hours=1))
    await deliver.drain()
    assert {r.status for r in await outbox(sessions)} == {OutboxStatus.SENT}
    posted = [str(p.args["text"]) for p in slack_api.of("chat.postMessage")[1:]]
    assert [n for text in posted for n in "123" if f"message {n}" in text] == ["1", "2", "3"]


async def test_rows_in_doubt_behind_one_that_could_not_be_asked_about_stay_in_doubt(
    sessions: async_sessionmaker[AsyncSession], slack_api: MockSlack, http: ClientSession
) -> None:
    """A worker died after Slack took three messages to one person. Asking about the first
    fails once: the two behind it wait with it, still in doubt, so each is asked about before
    anything is sent again, and, all three having arrived, nothing is posted twice."""
    await three_to_one_person(sessions)
    async with sessions() as session, session.begin():
        await session.execute(
            update(Outbox).values(status=OutboxStatus.SENDING, lease_until=NOW, attempts=1)
        )
    ids = sorted(r.id for r in await outbox(sessions))
    slack_api.history["D1"] = [
        {
            "text": f"message {n}",
            "metadata": {"event_type": "kpi_coach_outbox", "event_payload": {"outbox_id": i}},
        }
        for n, i in enumerate(ids, 1)
    ]
    slack_api.down["conversations.history"] = 1
    clock = ShiftedClock(FixedClock(NOW + timedelta(minutes=3)))
    deliver = worker(sessions, slack_api, http, clock)
    assert await deliver.round() == 3
    rows = sorted(await outbox(sessions), key=lambda r: r.id)
    assert [(r.status, r.attempts) for r in rows] == [(OutboxStatus.SENDING, 2)] + [
        (OutboxStatus.SENDING, 1)
    ] * 2

    clock.advance(timedelta(hours=1))
    await deliver.drain()
    assert {r.status for r in await outbox(sessions)} == {OutboxStatus.SENT}
    assert slack_api.of("chat.postMessage") == []
    assert len(slack_api.of("conversations.history")) >= 4  # the failed ask, then each row
