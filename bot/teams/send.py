"""Retrying a send into Teams, and judging what a refusal means.

Teams answers 429, 412, 502 or 504 when it wants a retry (its per-conversation limits are kept
by `bot.teams.pace`); botbuilder neither paces nor retries. Replies inside a turn retry here,
with backoff and jitter; the outbox worker does its own retrying, so its sends only ask `judge`
what a refusal means.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from botbuilder.schema import ErrorResponseException
from msrest.exceptions import ClientRequestError

log = logging.getLogger(__name__)

RETRY_STATUSES = {429, 412, 502, 504}
ATTEMPTS = 4

T = TypeVar("T")


@dataclass(frozen=True)
class Refusal:
    """What a failed send means: retry (after some seconds, if Teams said), or give up."""

    status: int | None
    reason: str
    retry: bool
    after: float | None = None
    blocked: bool = False  # 403: the person blocked the bot, or it is not installed there


def judge(exc: Exception) -> Refusal | None:
    """A connector failure in our terms; None for an exception that is not one (a bug)."""
    if isinstance(exc, ClientRequestError):
        return Refusal(None, f"could not reach Teams: {exc}"[:200], retry=True)
    if not isinstance(exc, ErrorResponseException):
        return None
    response = exc.response  # a requests response (botbuilder's sender) or aiohttp's (ours)
    status = int(getattr(response, "status_code", None) or getattr(response, "status", 0) or 0)
    headers = getattr(response, "headers", None) or {}
    raw = headers.get("Retry-After")
    after = float(raw) if raw and raw.replace(".", "", 1).isdigit() else None
    if status == 403:
        reason = "Teams refused (403): the person blocked the bot, or it is not installed there"
        return Refusal(status, reason, False, blocked=True)
    if status == 401:
        # Our own credentials: wrong, or mid-rotation. Worth retrying while someone fixes them.
        reason = "Teams refused the bot's credentials (401): check MicrosoftAppPassword"
        return Refusal(status, reason, True)
    if status == 404:
        return Refusal(status, "Teams does not know that conversation any more", False)
    if status in RETRY_STATUSES or status >= 500:
        return Refusal(status, f"Teams answered {status}", True, after)
    return Refusal(status, f"Teams refused it ({status})", False)


def backoff(attempt: int) -> float:
    """Half a second doubling, with jitter, so retries from many chats do not line up."""
    return min(8.0, 0.5 * 2.0 ** (attempt - 1)) * random.uniform(0.5, 1.0)


async def with_retries(send: Callable[[], Awaitable[T]]) -> T:
    """A reply inside a turn: retried on Teams' retryable answers, honouring Retry-After."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await send()
        except (ErrorResponseException, ClientRequestError) as exc:
            refusal = judge(exc)
            if refusal is None or not refusal.retry or attempt == ATTEMPTS:
                raise
            wait = refusal.after if refusal.after is not None else backoff(attempt)
            log.info("teams send: %s; retrying in %.1f s", refusal.reason, wait)
            await asyncio.sleep(min(wait, 30.0))
    raise AssertionError("unreachable")
