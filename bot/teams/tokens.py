"""The bot's own token for calling the Bot Connector, fetched without stalling the server.

botbuilder's MicrosoftAppCredentials asks MSAL, which posts to Azure AD with a blocking
`requests` call (and no timeout) from inside async code: while Azure AD is slow, every request
the process serves waits too. Here the token is fetched with aiohttp under a timeout, one fetch
shared by every send that needs it, and refreshed in the background before it expires, so a send
waits for Azure AD only when there is no valid token at all. (`bot.teams.auth` does the same for
the keys that check incoming tokens.)
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import ClientError, ClientSession, ClientTimeout
from msrest.exceptions import ClientRequestError

log = logging.getLogger(__name__)

FETCH_SECONDS = 10.0
# A token is renewed this long before it expires (Azure AD's last an hour or more), in the
# background while the old one still serves.
REFRESH_BEFORE_SECONDS = 300.0
# After a failed fetch, sends fail at once for this long instead of each waiting again.
RETRY_FAILED_FETCH_SECONDS = 10.0


class TokenUnavailable(ClientRequestError):
    """No token for the bot now: to `bot.teams.send.judge`, Teams could not be reached (retry)."""


class BotToken:
    """One app's client-credentials token for one scope, from one authority."""

    def __init__(
        self,
        http: ClientSession,
        authority: str,
        app_id: str,
        password: str,
        scope: str,
        *,
        timeout: float = FETCH_SECONDS,
    ) -> None:
        self.http = http
        self.url = authority.rstrip("/") + "/oauth2/v2.0/token"
        self.form = {
            "grant_type": "client_credentials",
            "client_id": app_id,
            "client_secret": password,
            "scope": scope if scope.endswith("/.default") else scope.rstrip("/") + "/.default",
        }
        self.timeout = timeout
        self._token: str | None = None
        self._expires = 0.0
        self._failed_at: float | None = None
        self._fetching: asyncio.Task[None] | None = None

    async def get(self) -> str:
        """A valid token: the kept one, or one fetched now when there is none."""
        now = time.monotonic()
        failed = self._failed_at
        resting = failed is not None and now - failed < RETRY_FAILED_FETCH_SECONDS
        if self._token is not None and now < self._expires:
            if now >= self._expires - REFRESH_BEFORE_SECONDS and not resting:
                self._start()  # renewed meanwhile; this send goes with the current one
            return self._token
        if resting:
            raise TokenUnavailable("the bot's token could not be fetched moments ago")
        await asyncio.shield(self._start())
        if self._token is None or time.monotonic() >= self._expires:
            raise TokenUnavailable("the bot's token could not be fetched")
        return self._token

    def _start(self) -> asyncio.Task[None]:
        """The one fetch under way, started if there is none: every caller shares it."""
        running = self._fetching
        if running is None or running.done():
            running = self._fetching = asyncio.ensure_future(self._fetch())
        return running

    async def _fetch(self) -> None:
        started = time.monotonic()
        try:
            async with self.http.post(
                self.url, data=self.form, timeout=ClientTimeout(total=self.timeout)
            ) as response:
                body = await response.json(content_type=None)
                if response.status != 200 or not isinstance(body, dict):
                    raise ValueError(f"{self.url} answered {response.status}")
            token, lifetime = body.get("access_token"), float(body.get("expires_in") or 0)
            if not isinstance(token, str) or not token or lifetime <= 0:
                raise ValueError(f"{self.url} answered no access_token with an expires_in")
        except (ClientError, TimeoutError, ValueError) as exc:
            self._failed_at = time.monotonic()
            log.warning("teams: could not fetch the bot's token: %s", str(exc)[:200] or exc)
            return
        self._token, self._expires = token, started + lifetime
        self._failed_at = None
