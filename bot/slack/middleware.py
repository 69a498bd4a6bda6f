"""Our global Bolt middleware, called with what they use instead of through Bolt's argument
injection.

Bolt calls a middleware function by its parameters' names, building some thirty candidate
arguments per call (the payload seen as a command, an action, a view, an event...) to pass the
one or two asked for: about 8 µs per middleware per request, on every request. Ours take the
body and `next`, so they are given just those.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

Next = Callable[[], Awaitable[Any]]
Step = Callable[[dict[str, Any], Next], Awaitable[BoltResponse | None]]


class BodyMiddleware(AsyncMiddleware):
    """A middleware that reads the request's body: `step(body, next)` returns a response to
    end the chain there, or calls `next()` to go on, as Bolt's built-in middleware do."""

    def __init__(self, step: Step) -> None:
        self.step = step

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        return await self.step(req.body, next)

    @property
    def name(self) -> str:
        return f"BodyMiddleware({self.step.__qualname__})"
