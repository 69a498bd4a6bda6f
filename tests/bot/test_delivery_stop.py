"""Stopping the server lets the outbox worker finish the round in hand instead of cancelling it
inside a transaction. A cancelled round could leave its connection in the transaction, never
given back: on SQLite every transaction begins IMMEDIATE, so that connection kept the write lock
and the next server on the file (the next test) failed with "database is locked".

A round cut off all the same gives back the rows it never tried: they are known not sent, so
they go out after a restart as if never claimed, not as rows in doubt."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Collection
from datetime import timedelta

import pytest
from aiohttp import ClientSession
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import delivery
from bot.config import AppConfig
from bot.delivery import Worker
from bot.scheduler import scheduling
from bot.sender import Result, Sent
from rituals.core.context import FixedClock, ShiftedClock
from storage.engine import make_engine, make_sessionmaker
from storage.models import OutboxStatus, Platform
from storage.outbox import Claimed, claim
from tests.bot.slack.mock_slack import MockSlack
from tests.bot.test_delivery import worker
from tests.bot.test_delivery_order import three_to_one_person
from tests.conftest import NOW
from tests.scheduling import outbox, queue


class Takes:
    """A platform that takes every message."""

    async def send(self, item: Claimed) -> Result:
        return Sent()

    async def delivered(self, item: Claimed) -> bool | None:
        return None


async def test_stopping_lets_the_worker_finish_its_round_rather_than_cut_it_off(
    own_database: str, config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside, release = asyncio.Event(), asyncio.Event()
    cut_off: list[str] = []
    claim = delivery.claim

    async def parked(
        session: AsyncSession,
        platforms: Collection[Platform],
        now: object,
        limit: int,
        lease: timedelta,
    ) -> list[Claimed]:
        """The worker's claim, held inside its transaction until the test lets it go."""
        inside.set()
        try:
            await release.wait()
        except asyncio.CancelledError:
            cut_off.append("claim")
            raise
        return await claim(session, platforms, NOW, limit, lease)

    monkeypatch.setattr(delivery, "claim", parked)
    engine = make_engine(own_database)
    try:
        await queue(make_sessionmaker(engine), ["ana", "ben"])
        async with scheduling(
            engine, config, {Platform.SLACK: Takes()}, FixedClock(NOW)
        ) as running:
            running.worker.wake()
            await inside.wait()  # the worker is in its claim's transaction
            # Let it go at the first moment the stop waits for anything: a stop that
            # cancelled the worker has done so by then.
            asyncio.get_running_loop().call_soon(release.set)
        assert cut_off == []
        assert [r.status for r in await outbox(make_sessionmaker(engine))] == [
            OutboxStatus.SENT,
            OutboxStatus.SENT,
        ]
    finally:
        await engine.dispose()
    url = make_url(own_database)
    if url.get_backend_name() == "sqlite":
        # Nobody holds the file: a writer gets in at once.
        writer = sqlite3.connect(str(url.database), timeout=0, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("ROLLBACK")
        finally:
            writer.close()


@pytest.fixture
async def held(slack_api: MockSlack) -> AsyncIterator[asyncio.Event]:
    """Slack takes every post and answers none, until the test lets go (as it ends at the
    latest, so the mock's handlers are done before it stops)."""
    release = slack_api.held["chat.postMessage"] = asyncio.Event()
    yield release
    release.set()


async def in_flight(deliver: Worker, slack_api: MockSlack) -> asyncio.Task[int]:
    """A round of `deliver`, once Slack holds its first post."""
    running = asyncio.create_task(deliver.round())
    await slack_api.wait_for("chat.postMessage")
    return running


async def stop(deliver: Worker, running: asyncio.Task[int]) -> None:
    """Stopped as the server stops a worker whose round outlasts its wait: cancelled."""
    deliver.stop()
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running


async def test_rows_a_stopped_worker_never_tried_are_given_back_and_go_out_once_unchecked(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    held: asyncio.Event,
    http: ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stopped while Slack holds its first post: that row was in flight and stays in doubt.
    The two behind it, to the same person, and one waiting for the only send slot never
    left: they are pending again (the two behind it due when it is asked about, so as not to
    overtake it), and after a restart each goes out once, with no question to Slack and no
    "may show twice" note."""
    monkeypatch.setattr(delivery, "STOP_GRACE_SECONDS", 0.0)  # Slack would not answer in it
    await three_to_one_person(sessions)
    await queue(sessions, ["U2"])
    clock = ShiftedClock(FixedClock(NOW))
    deliver = worker(sessions, slack_api, http, clock, concurrency=1)
    await stop(deliver, await in_flight(deliver, slack_api))
    first, *untried = await outbox(sessions)
    assert (first.status, first.attempts, first.lease_until) == (
        OutboxStatus.SENDING,
        1,
        NOW + timedelta(minutes=2),
    )
    behind = (OutboxStatus.PENDING, 0, first.lease_until, None)
    assert [(r.status, r.attempts, r.next_attempt_at, r.lease_until) for r in untried] == [
        behind,
        behind,
        (OutboxStatus.PENDING, 0, NOW, None),
    ]
    assert untried[-1].last_error is None

    del slack_api.held["chat.postMessage"]  # the first post is never answered
    clock.advance(timedelta(minutes=3))  # its claim ran out: it is asked about
    assert await worker(sessions, slack_api, http, clock).drain() == 4
    assert [(r.status, r.last_error) for r in await outbox(sessions)] == [
        (OutboxStatus.SENT, None)
    ] * 4
    assert len(slack_api.of("conversations.history")) == 1
    posted = Counter(str(p.args["text"]) for p in slack_api.of("chat.postMessage"))
    assert sorted(posted.values()) == [1, 1, 1, 2]
    assert posted[next(t for t in posted if "message 1" in t)] == 2  # held, then sent again


async def test_a_stopped_worker_leaves_alone_a_row_another_worker_took_after_its_claim_ran_out(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    held: asyncio.Event,
    http: ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker stalled past its lease: another (a second replica) claimed its rows. When it
    stops, the row it never tried is that other worker's, and stays under that claim; given
    back, it could be claimed a third time and sent twice."""
    monkeypatch.setattr(delivery, "STOP_GRACE_SECONDS", 0.0)  # Slack would not answer in it
    await queue(sessions, ["U1", "U2"])
    clock = ShiftedClock(FixedClock(NOW))
    stalled = worker(sessions, slack_api, http, clock, concurrency=1)
    running = await in_flight(stalled, slack_api)
    clock.advance(timedelta(minutes=3))
    async with sessions() as session, session.begin():
        other = await claim(session, [Platform.SLACK], clock.now(), 10, timedelta(minutes=2))
    assert len(other) == 2
    await stop(stalled, running)
    rows = await outbox(sessions)
    assert [(r.status, r.attempts, r.lease_until) for r in rows] == [
        (OutboxStatus.SENDING, 2, clock.now() + timedelta(minutes=2))
    ] * 2


async def test_once_a_round_is_cut_off_no_send_begins_while_those_in_flight_finish(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    held: asyncio.Event,
    http: ClientSession,
) -> None:
    """Slack answers the post it held just after the stop: that one is recorded as sent, and
    the row waiting for its send slot is not begun in the grace (to be cut off in its turn
    and left in doubt), but given back."""
    await queue(sessions, ["U1", "U2"])
    deliver = worker(sessions, slack_api, http, ShiftedClock(FixedClock(NOW)), concurrency=1)
    running = await in_flight(deliver, slack_api)
    # Slack answers as the cancelled round begins to wait for its sends in flight.
    asyncio.get_running_loop().call_soon(held.set)
    await stop(deliver, running)
    assert [(r.target, r.status, r.attempts) for r in await outbox(sessions)] == [
        ("U1", OutboxStatus.SENT, 1),
        ("U2", OutboxStatus.PENDING, 0),
    ]
    assert len(slack_api.of("chat.postMessage")) == 1


async def test_rows_given_back_behind_one_left_in_doubt_do_not_overtake_it(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    held: asyncio.Event,
    http: ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stopped while Slack holds the first of three posts to one person: the two behind it
    were never tried, but given back due at once, a worker started straight away (a restart,
    another replica) sent them while the first waited out its claim, and the person read
    messages 2 and 3 before 1. They wait as long as the one ahead of them."""
    monkeypatch.setattr(delivery, "STOP_GRACE_SECONDS", 0.0)  # Slack would not answer in it
    await three_to_one_person(sessions)
    clock = ShiftedClock(FixedClock(NOW))
    deliver = worker(sessions, slack_api, http, clock, concurrency=1)
    await stop(deliver, await in_flight(deliver, slack_api))
    first, *behind = await outbox(sessions)
    assert [(r.status, r.attempts, r.next_attempt_at) for r in behind] == [
        (OutboxStatus.PENDING, 0, first.lease_until)
    ] * 2

    del slack_api.held["chat.postMessage"]  # the first post is never answered
    clock.advance(timedelta(seconds=10))  # restarted at once: the first's claim still runs
    assert await worker(sessions, slack_api, http, clock).drain() == 0
    clock.advance(timedelta(minutes=3))
    assert await worker(sessions, slack_api, http, clock).drain() == 3
    texts = [str(p.args["text"]) for p in slack_api.of("chat.postMessage")]
    assert [next(n for n in "123" if f"message {n}" in t) for t in texts] == list("1123")
