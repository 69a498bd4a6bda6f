"""Replayed Slack requests refused, with one commit for a burst of requests instead of one each.

Every signed request's signature is written to a table every replica shares; the same signature
twice is a replay (see bot.slack.http). Written one request at a time, fifty requests at once
were fifty transactions queueing for the database's write lock (on SQLite, in its busy handler,
which favours no one: the slowest waited seconds). Here the requests that arrive while one write
is under way wait for the next, and each write takes all of them at once.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.slack import store
from rituals.core.context import Clock


class Signatures:
    """First sightings of request signatures, written a batch at a time, one batch at a time."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self._next: dict[str, asyncio.Future[bool]] = {}  # the batch that waits to be written
        self._writer: asyncio.Task[None] | None = None

    async def first(self, signature: str) -> bool:
        """True the first time the signature is seen, on any replica; False for a replay."""
        if signature in self._next:
            return False  # the same request twice in one moment: the first one wins
        seen: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._next[signature] = seen
        if self._writer is None:
            self._writer = asyncio.create_task(self._write())
        return await seen

    async def _write(self) -> None:
        """Write what waits, then what arrived meanwhile, until nothing does."""
        try:
            while self._next:
                batch, self._next = self._next, {}
                try:
                    firsts = await store.first_signatures(
                        self.engine, list(batch), self.clock.now()
                    )
                except Exception as exc:
                    for waiting in batch.values():
                        if not waiting.done():  # its request may have gone meanwhile
                            waiting.set_exception(exc)
                    continue
                for signature, waiting in batch.items():
                    if not waiting.done():
                        waiting.set_result(signature in firsts)
        finally:
            self._writer = None
