"""A platform's sender as the outbox worker sees it: what it is asked, and what it answers.

Each platform's sender (bot/slack, bot/teams, the console) returns one of these results for a
row, and the worker (bot.delivery) records it; `Behind` is the worker's own, for a row it did
not try.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from storage.outbox import Claimed


@dataclass(frozen=True)
class Sent:
    # Kept on the row for an operator: a row in doubt sent again where nothing could be checked.
    note: str | None = None


@dataclass(frozen=True)
class Retry:
    reason: str
    after: float | None = None  # seconds the platform asked us to wait (429 Retry-After)


@dataclass(frozen=True)
class Failed:
    reason: str


@dataclass(frozen=True)
class Unsure:
    """A row in doubt whose platform could not be asked whether it arrived: ask again later,
    rather than risk sending it twice."""

    reason: str
    after: float | None = None


@dataclass(frozen=True)
class Doubt:
    """Still in doubt after every try to ask: left for an operator, never sent blind."""

    reason: str


@dataclass(frozen=True)
class Later:
    """Not sent, and no fault: the conversation's own limit is full for `after` seconds.
    The row waits that long; it costs no attempt and slows no one else's messages, where
    sleeping on it would hold a send slot and a 429-style pause would hold the workspace."""

    after: float
    reason: str


@dataclass(frozen=True)
class Behind:
    """Not tried: an earlier row to the same target, in the same round, was put off. This one
    waits as long, so the next claim takes them again in their order: a platform shows a
    conversation's messages in the order they reach it."""

    ahead: int  # that row's id


Result = Sent | Retry | Failed | Unsure | Doubt | Later | Behind


class CannotAsk(Exception):
    """Raised by `Sender.delivered` when the platform did not answer the question."""

    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after


class Sender(Protocol):
    """One platform's way to send a stored message."""

    async def send(self, item: Claimed) -> Result: ...

    async def delivered(self, item: Claimed) -> bool | None:
        """Whether an in-doubt row already arrived; None when the platform keeps no record to
        ask. Raises CannotAsk when it could tell but did not answer."""
        ...
