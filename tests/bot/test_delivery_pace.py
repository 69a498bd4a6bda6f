"""One send pace per workspace for every worker on the database: two workers (two replicas on
PostgreSQL; two in one process on SQLite) together keep it, and send nothing twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from itertools import pairwise

from aiohttp import ClientSession
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import Worker
from bot.send_pace import Pace
from bot.slack.sender import SlackSender
from rituals.core.context import FixedClock
from storage.engine import make_engine, make_sessionmaker
from storage.models import Platform
from storage.people import ensure_workspace
from tests.bot.slack.mock_slack import MockSlack, received
from tests.conftest import NOW
from tests.scheduling import queue

RATE = 40.0  # sends per second for the workspace, all workers together


async def token(workspace: str) -> str:
    return "xoxb-test"


async def test_two_workers_keep_one_pace_and_send_nothing_twice(
    own_database: str, slack_api: MockSlack, http: ClientSession
) -> None:
    engines = [make_engine(own_database) for _ in range(2)]
    try:
        users = [f"U{i}" for i in range(24)]
        await queue(make_sessionmaker(engines[0]), users)
        sender = SlackSender(token, f"{slack_api.url}/api/", http)
        slots: list[float] = []
        workers = []
        for engine in engines:
            worker = Worker(
                make_sessionmaker(engine),
                {Platform.SLACK: sender},
                FixedClock(NOW),
                RATE,
                batch=3,
                concurrency=2,
            )
            recorded(worker.pace, slots)
            workers.append(worker)
        await asyncio.gather(*(w.drain() for w in workers))
    finally:
        for engine in engines:
            await engine.dispose()
    assert received(slack_api) == Counter({f"D{i}": 1 for i in range(24)})
    assert [w.sent > 0 for w in workers] == [True, True]  # both took part
    assert sum(w.sent for w in workers) == 24
    ordered = sorted(slots)
    gaps = [later - earlier for earlier, later in pairwise(ordered)]
    assert len(ordered) == 24
    assert min(gaps) >= 1 / RATE - 1e-6  # no two sends closer than the shared pace


def recorded(pace: Pace, slots: list[float]) -> None:
    """Keep every slot the pace hands out."""
    waiting = pace.wait

    async def wait(workspace_id: int) -> float:
        slot = await waiting(workspace_id)
        slots.append(slot)
        return slot

    pace.wait = wait  # type: ignore[method-assign]


async def test_a_pause_holds_every_worker_on_the_workspace(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        ws = await ensure_workspace(session, Platform.SLACK, "T0PAUSE01", "acme", NOW)
    moment = [1_000.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    def now() -> float:
        return moment[0]

    one = Pace(sessions, 10, now=now, sleep=sleep)
    other = Pace(sessions, 10, now=now, sleep=sleep)
    assert await other.wait(ws.id) == 1_000.0
    await one.pause(ws.id, 30)  # Slack said Retry-After: 30 to the first worker
    assert await Pace(sessions, 10, now=now, sleep=sleep).wait(ws.id) == 1_030.0
    assert slept == [30.0]
