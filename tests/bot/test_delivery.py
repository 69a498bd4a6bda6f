"""The outbox worker against a local mock of Slack's Web API, over the real store."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import ClientSession
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import ConfigError
from bot.delivery import RESENT_UNCHECKED, Worker, backoff, put_off
from bot.delivery_lock import only_worker
from bot.payload import encode
from bot.sender import Later, Result, Retry, Sent
from bot.slack.sender import SlackSender
from rituals.core.context import FixedClock, ShiftedClock
from rituals.core.messages import Audience, Message, Paragraph
from storage.engine import make_engine, make_sessionmaker
from storage.models import Outbox, OutboxStatus, Platform
from storage.outbox import Claimed, claim
from tests.bot.slack.mock_slack import MockSlack, received
from tests.conftest import NOW
from tests.scheduling import outbox, queue


@pytest.fixture
def moving() -> ShiftedClock:
    return ShiftedClock(FixedClock(NOW))


def worker(
    sessions: async_sessionmaker[AsyncSession],
    api: MockSlack,
    http: ClientSession,
    clock: ShiftedClock,
    **options: int,
) -> Worker:
    async def token(team: str) -> str:
        return "xoxb-test"

    sender = SlackSender(token, f"{api.url}/api/", http)
    return Worker(sessions, {Platform.SLACK: sender}, clock, 1000, **options)  # type: ignore[arg-type]


async def test_a_due_row_is_posted_with_its_id_and_marked_sent(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    await queue(sessions, ["U1", "U2"])
    assert await worker(sessions, slack_api, http, moving).drain() == 2
    posts = slack_api.of("chat.postMessage")
    assert sorted(p.args["channel"] for p in posts) == ["U1", "U2"]
    assert "&lt;!channel&gt;" in str(posts[0].args["blocks"])  # user text stays escaped
    rows = await outbox(sessions)
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    assert {p.args["metadata"]["event_payload"]["outbox_id"] for p in posts} == {r.id for r in rows}


async def test_an_outage_loses_nothing_and_sends_nothing_twice(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    users = [f"U{i}" for i in range(6)]
    await queue(sessions, users)
    slack_api.down["chat.postMessage"] = 9  # the first nine posts get a 500
    deliver = worker(sessions, slack_api, http, moving)
    await deliver.drain()
    rows = await outbox(sessions)
    # Slack might have posted before failing: each row stays in doubt, to be asked about.
    assert {r.status for r in rows} == {OutboxStatus.SENDING}
    assert {r.last_error for r in rows} == {"Slack answered 500 internal_error"}
    assert all(r.lease_until and r.lease_until > NOW for r in rows)  # backing off
    for _ in range(4):
        moving.advance(timedelta(minutes=5))
        await deliver.drain()
    assert {r.status for r in await outbox(sessions)} == {OutboxStatus.SENT}
    assert received(slack_api) == Counter({f"D{i}": 1 for i in range(6)})
    assert len(slack_api.of("conversations.history")) >= 6  # each was checked before resending


@pytest.mark.parametrize("retry_after", ["1", "0"])
async def test_retry_after_is_honoured_and_costs_no_attempt(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
    retry_after: str,
) -> None:
    """A second at least: "Retry-After: 0" had the row claimed again at once, in a loop."""
    await queue(sessions, ["U1"])
    slack_api.rate_limited["chat.postMessage"] = 1
    slack_api.retry_after = retry_after
    deliver = worker(sessions, slack_api, http, moving)
    await deliver.drain()
    [row] = await outbox(sessions)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert row.next_attempt_at == NOW + timedelta(seconds=1)
    moving.advance(timedelta(seconds=1))
    await deliver.drain()
    assert [r.status for r in await outbox(sessions)] == [OutboxStatus.SENT]


async def test_a_person_who_left_fails_once_with_the_reason(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    await queue(sessions, ["U1"])
    slack_api.failing["chat.postMessage"] = "user_not_found"
    deliver = worker(sessions, slack_api, http, moving)
    await deliver.drain()
    moving.advance(timedelta(days=1))
    await deliver.drain()
    [row] = await outbox(sessions)
    assert (row.status, row.last_error) == (
        OutboxStatus.FAILED,
        "the person is not in the workspace any more",
    )
    assert len(slack_api.of("chat.postMessage")) == 1


async def test_retries_give_up_after_the_last_attempt(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    await queue(sessions, ["U1"])
    slack_api.down["chat.postMessage"] = 100
    deliver = worker(sessions, slack_api, http, moving, max_attempts=3)
    for _ in range(5):
        await deliver.drain()
        moving.advance(timedelta(hours=2))
    [row] = await outbox(sessions)
    assert row.status is OutboxStatus.FAILED
    assert row.last_error == "gave up after 3 attempts: Slack answered 500 internal_error"
    assert len(slack_api.of("chat.postMessage")) == 3


def test_backoff_doubles_with_jitter_up_to_an_hour() -> None:
    assert 2.5 <= backoff(1) <= 5
    assert 20 <= backoff(4) <= 40
    assert 1800 <= backoff(30) <= 3600


async def test_a_row_in_doubt_is_checked_before_it_is_sent_again(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    """A worker died after Slack took U1's message but before recording it; U2's never left."""
    await queue(sessions, ["U1", "U2"])
    rows = await outbox(sessions)
    async with sessions() as session, session.begin():
        await session.execute(
            update(Outbox).values(status=OutboxStatus.SENDING, lease_until=NOW, attempts=1)
        )
    arrived = {"event_type": "kpi_coach_outbox", "event_payload": {"outbox_id": rows[0].id}}
    slack_api.history["D1"] = [{"text": "Hello U1", "metadata": arrived}]
    deliver = worker(sessions, slack_api, http, moving)
    assert await deliver.drain() == 0  # leases still running: another worker may be sending
    moving.advance(timedelta(minutes=3))
    assert await deliver.drain() == 2
    assert [p.args["channel"] for p in slack_api.of("chat.postMessage")] == ["U2"]
    assert received(slack_api) == Counter({"D1": 1, "D2": 1})
    assert {r.status for r in await outbox(sessions)} == {OutboxStatus.SENT}


def test_a_second_worker_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'kpicoach.db'}"
    with only_worker(url) as exclusive:
        assert exclusive
        with pytest.raises(ConfigError, match="SQLite allows one"), only_worker(url):
            pass
    with only_worker(url):  # released when the first one stopped
        pass
    with only_worker("postgresql+asyncpg://u@db/kpi") as exclusive:
        assert not exclusive


async def test_two_workers_drain_a_thousand_rows_sending_each_once(
    own_database: str, slack_api: MockSlack, http: ClientSession, moving: ShiftedClock
) -> None:
    """Two processes' workers sharing the outbox: on PostgreSQL they claim with SKIP LOCKED.

    On SQLite one process delivers (a second is refused), so the pair runs only on PostgreSQL.
    """
    if not own_database.startswith("postgresql"):
        pytest.skip("several workers share an outbox only on PostgreSQL")
    engines = [make_engine(own_database), make_engine(own_database)]
    try:
        pools = [make_sessionmaker(e) for e in engines]
        await queue(pools[0], [f"U{i}" for i in range(1000)])
        slack_api.latency = 0.001
        workers = [worker(p, slack_api, http, moving, batch=50) for p in pools]
        settled = await asyncio.gather(*(w.drain() for w in workers))
        assert sum(settled) == 1000
        assert all(n > 100 for n in settled), settled  # both took a real share
        ids = Counter(
            p.args["metadata"]["event_payload"]["outbox_id"]
            for p in slack_api.of("chat.postMessage")
        )
        assert len(ids) == 1000
        assert max(ids.values()) == 1
        assert {r.status for r in await outbox(pools[0])} == {OutboxStatus.SENT}
    finally:
        for engine in engines:
            await engine.dispose()


async def test_a_row_in_doubt_waits_when_slack_cannot_say_whether_it_arrived(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    """Sending again without knowing could post twice: the row waits and asks again."""
    await queue(sessions, ["U1"])
    [row] = await outbox(sessions)
    async with sessions() as session, session.begin():
        await session.execute(
            update(Outbox).values(status=OutboxStatus.SENDING, lease_until=NOW, attempts=1)
        )
    slack_api.history["D1"] = [
        {
            "text": "Hello",
            "metadata": {"event_type": "kpi_coach_outbox", "event_payload": {"outbox_id": row.id}},
        }
    ]
    slack_api.rate_limited["conversations.history"] = 1
    deliver = worker(sessions, slack_api, http, moving)
    moving.advance(timedelta(minutes=3))
    await deliver.drain()
    [row] = await outbox(sessions)
    assert row.status is OutboxStatus.SENDING  # still in doubt, not pending: never sent blind
    assert row.lease_until == moving.now() + timedelta(seconds=1)  # Slack's Retry-After
    assert slack_api.of("chat.postMessage") == []
    moving.advance(timedelta(seconds=2))
    await deliver.drain()
    assert [r.status for r in await outbox(sessions)] == [OutboxStatus.SENT]
    assert slack_api.of("chat.postMessage") == []  # it had arrived: nothing sent again


async def test_a_worker_whose_lease_ran_out_cannot_overwrite_a_newer_claim(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    """A stalled worker comes back after another finished its row: its late word is ignored."""
    await queue(sessions, ["U1"])
    async with sessions() as session, session.begin():
        [stale] = await claim(session, [Platform.SLACK], moving.now(), 10, timedelta(minutes=2))
    moving.advance(timedelta(minutes=3))
    other = worker(sessions, slack_api, http, moving)
    assert await other.drain() == 1
    await worker(sessions, slack_api, http, moving)._record([(stale, Retry("timed out"))])
    [row] = await outbox(sessions)
    assert (row.status, row.last_error) == (OutboxStatus.SENT, None)
    assert received(slack_api) == Counter({"D1": 1})


async def in_doubt(sessions: async_sessionmaker[AsyncSession], users: list[str]) -> None:
    """Rows a worker died sending: claimed once, their lease run out."""
    await queue(sessions, users)
    async with sessions() as session, session.begin():
        await session.execute(
            update(Outbox).values(status=OutboxStatus.SENDING, lease_until=NOW, attempts=1)
        )


async def test_a_row_in_doubt_whose_history_cannot_be_read_is_left_for_an_operator(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    """Slack's history fails every time it is asked: the row waits and asks again, and after
    the last attempt it is marked in doubt for an operator; it is never sent blind."""
    await in_doubt(sessions, ["U1"])
    slack_api.failing["conversations.history"] = "internal_error"
    deliver = worker(sessions, slack_api, http, moving, max_attempts=3)
    moving.advance(timedelta(minutes=3))
    await deliver.drain()
    [row] = await outbox(sessions)
    assert row.status is OutboxStatus.SENDING  # waiting to ask again
    for _ in range(3):
        moving.advance(timedelta(hours=2))
        await deliver.drain()
    [row] = await outbox(sessions)
    assert row.status is OutboxStatus.IN_DOUBT
    assert row.last_error is not None
    assert row.last_error.startswith("in doubt, not sent again")
    assert "internal_error" in row.last_error
    assert len(slack_api.of("conversations.history")) == 2  # asked at attempts 2 and 3
    assert slack_api.of("chat.postMessage") == []
    moving.advance(timedelta(days=1))
    assert await deliver.drain() == 0  # nobody picks it up again on their own
    assert slack_api.of("chat.postMessage") == []


async def test_a_row_in_doubt_with_an_empty_history_is_sent_once_and_a_malformed_one_waits(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    """An empty DM history is Slack's answer that nothing arrived: the row goes out, once. An
    answer holding no history at all says nothing: that row waits."""
    await in_doubt(sessions, ["U1", "U2"])
    slack_api.history["D2"] = None  # type: ignore[assignment]  # {"ok": true, "messages": null}
    deliver = worker(sessions, slack_api, http, moving)
    moving.advance(timedelta(minutes=3))
    await deliver.drain()
    assert [p.args["channel"] for p in slack_api.of("chat.postMessage")] == ["U1"]
    by_target = {r.target: r for r in await outbox(sessions)}
    assert by_target["U1"].status is OutboxStatus.SENT
    assert by_target["U2"].status is OutboxStatus.SENDING
    assert by_target["U2"].last_error == "Slack's answer held no history to look in"
    moving.advance(timedelta(hours=1))
    await deliver.drain()
    assert [p.args["channel"] for p in slack_api.of("chat.postMessage")] == ["U1"]  # still once


async def test_a_row_in_doubt_where_nothing_can_be_checked_is_sent_again_with_a_note(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    """A channel post (the app does not read channels): sent again, but not silently."""
    await in_doubt(sessions, ["C1"])
    post = Message((Paragraph(("The team's check-in",)),), Audience.CHANNEL, channel_id="C1")
    async with sessions() as session, session.begin():
        await session.execute(update(Outbox).values(payload=encode(post)))
    deliver = worker(sessions, slack_api, http, moving)
    moving.advance(timedelta(minutes=3))
    await deliver.drain()
    assert [p.args["channel"] for p in slack_api.of("chat.postMessage")] == ["C1"]
    [row] = await outbox(sessions)
    assert row.status is OutboxStatus.SENT
    assert row.last_error == RESENT_UNCHECKED


async def test_a_claim_that_ran_out_while_waiting_for_the_pace_sends_nothing(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    """Another replica's 429 can hold the shared pace past a claim's lease, after which a
    second worker may hold the row: the first sends nothing and gives the row back unspent."""
    await queue(sessions, ["U1"])
    late = worker(sessions, slack_api, http, moving)
    waits: list[int] = []

    async def held(workspace_id: int) -> None:
        if not waits:
            moving.advance(timedelta(minutes=3))  # longer than the two-minute lease
        waits.append(workspace_id)

    late.pace.wait = held  # type: ignore[method-assign]
    assert await late.round() == 1
    assert received(slack_api) == Counter()
    [row] = await outbox(sessions)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert await late.drain() == 1
    assert received(slack_api) == Counter({"D1": 1})


async def test_a_chat_full_by_a_hair_is_put_off_not_claimed_again_in_the_same_drain(
    sessions: async_sessionmaker[AsyncSession],
    slack_api: MockSlack,
    http: ClientSession,
    moving: ShiftedClock,
) -> None:
    """A platform's own pace (Teams' chat limit) can say "room in 0.3 microseconds": rounded to
    the nearest microsecond that was no wait at all, and a drain under a clock that stands
    still claimed the row and put it off for ever. It is put off to the next millisecond."""
    await queue(sessions, ["U1"])
    deliver = worker(sessions, slack_api, http, moving)
    chat = FullOnce()
    deliver.senders = {Platform.SLACK: chat}
    assert await asyncio.wait_for(deliver.drain(), 60) == 1  # one claim, then it waits
    [row] = await outbox(sessions)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert row.next_attempt_at == NOW + timedelta(milliseconds=1)
    moving.advance(timedelta(milliseconds=1))
    assert await deliver.drain() == 1
    assert chat.asked == [row.id, row.id]


class FullOnce:
    """A sender whose chat has no room the first time, by a hair."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    async def send(self, item: Claimed) -> Result:
        self.asked.append(item.id)
        return Later(3e-7, "the chat is full for a hair longer") if len(self.asked) == 1 else Sent()

    async def delivered(self, item: Claimed) -> bool | None:
        return None


@pytest.mark.parametrize("seconds", [3e-7, 0.0004999, 1e-3, 2.1428571428571, 30.0])
def test_a_wait_is_rounded_up_to_the_millisecond_never_down(seconds: float) -> None:
    assert put_off(seconds) >= timedelta(seconds=seconds)
    assert put_off(seconds) <= timedelta(seconds=seconds) + timedelta(milliseconds=1)
