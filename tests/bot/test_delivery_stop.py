"""Stopping the server lets the outbox worker finish the round in hand instead of cancelling it
inside a transaction. A cancelled round could leave its connection in the transaction, never
given back: on SQLite every transaction begins IMMEDIATE, so that connection kept the write lock
and the next server on the file (the next test) failed with "database is locked"."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Collection
from datetime import timedelta

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bot import delivery
from bot.config import AppConfig
from bot.scheduler import scheduling
from bot.sender import Result, Sent
from rituals.core.context import FixedClock
from storage.engine import make_engine, make_sessionmaker
from storage.models import OutboxStatus, Platform
from storage.outbox import Claimed
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
