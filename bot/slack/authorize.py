"""Who the bot is in a workspace, asked of Slack once and remembered.

Bolt's own authorization calls `auth.test` on every early request of a fresh process until one
answer arrives (a burst of 50 commands makes 50 calls), and with OAuth installs it reads the
installation and calls `auth.test` again on every request. Here one call is in flight per
workspace at a time, every request waiting for it shares its answer, and the answer is kept:
for the life of the process with the one token from the environment, for `INSTALL_SECONDS`
with OAuth installs (so an uninstall or a new token is seen within that time).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

INSTALL_SECONDS = 60.0

TokenFor = Callable[[str], Awaitable[str | None]]


class Authorizer(AsyncAuthorize):
    """Bolt's `authorize`: the bot's identity and token for a workspace."""

    def __init__(
        self,
        client: AsyncWebClient,
        token_for: TokenFor,
        *,
        keep_seconds: float | None,
        per_workspace: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.client = client
        self.token_for = token_for
        self.keep_seconds = keep_seconds  # None: for as long as the process lives
        self.per_workspace = per_workspace
        self.clock = clock
        self._known: dict[str, tuple[float, AuthorizeResult]] = {}
        self._asking: dict[str, asyncio.Future[AuthorizeResult | None]] = {}

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        key = (team_id or "") if self.per_workspace else ""
        known = self._known.get(key)
        if known is not None and (self.keep_seconds is None or known[0] > self.clock()):
            return known[1]
        if key in self._asking:  # single flight: wait for the call already made
            return await asyncio.shield(self._asking[key])
        asked: asyncio.Future[AuthorizeResult | None] = asyncio.get_running_loop().create_future()
        asked.add_done_callback(_retrieved)
        self._asking[key] = asked
        try:
            result = await self._ask(team_id or "")
        except BaseException as exc:
            asked.set_exception(exc)
            raise
        else:
            if result is not None:
                self._known[key] = (self.clock() + (self.keep_seconds or 0.0), result)
            asked.set_result(result)
            return result
        finally:
            del self._asking[key]

    def forget(self, team_id: str | None = None) -> None:
        """A workspace uninstalled or revoked its token: ask again next time."""
        if team_id is None or not self.per_workspace:
            self._known.clear()
        else:
            self._known.pop(team_id, None)

    async def _ask(self, team_id: str) -> AuthorizeResult | None:
        token = await self.token_for(team_id)
        if token is None:
            return None
        try:
            response = await self.client.auth_test(token=token)
        except SlackApiError:
            return None  # a revoked or wrong token: Bolt answers "not authorized"
        return AuthorizeResult.from_auth_test_response(
            auth_test_response=response,
            bot_token=token,
            user_token=None,
            bot_scopes=None,
            user_scopes=None,
        )


def _retrieved(future: asyncio.Future[AuthorizeResult | None]) -> None:
    """A failed call nobody else waited for is the caller's error, not an unread one."""
    if not future.cancelled():
        future.exception()
