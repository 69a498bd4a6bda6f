"""Teams' per-conversation limits, kept in this process: 7 messages a second, 60 in 30
seconds and 1,800 an hour from a bot into one conversation. Nothing here needs botbuilder, so
a Teams process that has not yet had an activity or a send holds it without loading it.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

# (seconds, sends) per conversation: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
WINDOWS = ((1.0, 7), (30.0, 60), (3600.0, 1800))


class ConversationPace:
    """A sliding window per conversation: a send waits until every window has room.

    Slots are reserved before sleeping, so concurrent senders into one chat queue up instead of
    all waking at the same instant.
    """

    def __init__(
        self,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.now = now
        self.sleep = sleep
        self._sent: dict[str, deque[float]] = {}

    async def wait(self, conversation_id: str) -> None:
        """For the outbox worker, whose job is to pace: until the conversation has room."""
        now = self.now()
        slot = self.reserve(conversation_id, now)
        if slot > now:
            await self.sleep(slot - now)

    def book(self, conversation_id: str, count: int, within: float) -> list[float] | None:
        """Moments for `count` sends into the conversation, booked, if the last is at most
        `within` seconds away; otherwise None, and nothing is booked. For a request, which
        may wait out Teams' one-second window but not its half minute or its hour."""
        kept = self._kept(conversation_id)
        slots = self._try(conversation_id, count)
        if slots and slots[-1] - self.now() > within:
            self._restore(conversation_id, kept)
            return None
        return slots

    def room_in(self, conversation_id: str, count: int, within: float) -> float:
        """Seconds until `count` sends fit within `within` seconds; 0 when they fit now.
        Books nothing: the outbox worker asks, and sends the row later rather than hold a
        send slot asleep while the conversation's half minute or hour is full."""
        kept = self._kept(conversation_id)
        slots = self._try(conversation_id, count)
        self._restore(conversation_id, kept)
        return max(0.0, slots[-1] - self.now() - within) if slots else 0.0

    def _try(self, conversation_id: str, count: int) -> list[float]:
        now = self.now()
        return [self.reserve(conversation_id, now) for _ in range(count)]

    def _kept(self, conversation_id: str) -> list[float] | None:
        history = self._sent.get(conversation_id)
        return list(history) if history is not None else None

    def _restore(self, conversation_id: str, kept: list[float] | None) -> None:
        """The conversation's moments as they were before `_try` (a full hour's deque drops
        its oldest as it takes more, so they are copied, not popped)."""
        if kept is None:
            self._sent.pop(conversation_id, None)
        else:
            self._sent[conversation_id] = deque(kept, maxlen=WINDOWS[-1][1])

    async def until(self, slot: float) -> None:
        """Waits for a booked moment."""
        delay = slot - self.now()
        if delay > 0:
            await self.sleep(delay)

    def reserve(self, conversation_id: str, now: float) -> float:
        """The earliest moment, from `now`, that every window has room; taken at once."""
        history = self._sent.setdefault(conversation_id, deque(maxlen=WINDOWS[-1][1]))
        slot = max(now, history[-1] if history else now)
        for span, limit in WINDOWS:
            if len(history) >= limit:
                slot = max(slot, history[-limit] + span)
        history.append(slot)
        self._prune(now)
        return slot

    def _prune(self, now: float) -> None:
        """Forget conversations quiet for an hour, so a long-running bot does not grow."""
        if len(self._sent) < 1024:
            return
        quiet = [key for key, h in self._sent.items() if h and h[-1] < now - WINDOWS[-1][0]]
        for key in quiet:
            del self._sent[key]
