"""A workspace's send rate, shared by every worker on the database (see `Pace`)."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.outbox import hold_sends, take_slots

# Send slots a worker claims at once: this many seconds' worth, and at most so many.
CLAIM_SECONDS = 0.5
CLAIM_MOST = 64
# A claimed slot older than this is given up rather than used late.
STALE_SECONDS = 1.0


class Pace:
    """A send rate per workspace, kept in the database so that every worker on it, in every
    replica, shares it; a 429 pauses the workspace for all of them as long as Slack asked.

    Slots are claimed a few at a time (`CLAIM_SECONDS` worth), so a worker pays one round trip
    per claim rather than per message; a slot left unused longer than `STALE_SECONDS` is given
    up, so a worker that was idle cannot send a stored-up burst.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        per_second: float,
        *,
        now: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.sessions = sessions
        self.interval = 1 / per_second
        self.claim = max(1, min(CLAIM_MOST, int(per_second * CLAIM_SECONDS)))
        self._now = now
        self._sleep = sleep
        self._slots: dict[int, deque[float]] = {}
        self._claiming = asyncio.Lock()

    async def wait(self, workspace_id: int) -> float:
        """Until this worker's next slot for the workspace has come; the slot."""
        async with self._claiming:
            slots = self._slots.setdefault(workspace_id, deque())
            now = self._now()
            while slots and slots[0] < now - STALE_SECONDS:
                slots.popleft()
            if not slots:
                async with self.sessions() as session, session.begin():
                    first = await take_slots(session, workspace_id, now, self.interval, self.claim)
                slots.extend(first + i * self.interval for i in range(self.claim))
            slot = slots.popleft()
        if slot > self._now():
            await self._sleep(slot - self._now())
        return slot

    async def pause(self, workspace_id: int, seconds: float) -> None:
        """No worker sends to the workspace for `seconds`; this one drops the slots it held."""
        async with self._claiming:
            self._slots.pop(workspace_id, None)
            async with self.sessions() as session, session.begin():
                await hold_sends(session, workspace_id, self._now() + seconds)
