"""Checking Teams' tokens: a clean 401 for any token that is not the Bot Framework's, and the
signing keys fetched without stalling the server.

botbuilder reads its signing keys (OpenID metadata, then the JWKS it names) with a blocking
`requests.get` and no timeout, from inside async code: a slow or hung key server would freeze
every request the process serves. Its key cache is a class-level dict keyed by URL, read by every
token check; we put our own entry there for each URL our configuration uses, one that fetches
with aiohttp under a timeout, shares one fetch among concurrent requests, and after a failure
answers at once for a while instead of piling up waits. Anything botbuilder raises on a token it
cannot read (garbage, `alg: none`, a key it does not know) becomes a PermissionError, which its
adapter answers with 401, plus one warning line here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import (
    AuthenticationConstants,
    ConnectorFactory,
    JwtTokenExtractor,
)
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger(__name__)

# How long one key fetch (metadata and JWKS together) may take.
KEY_FETCH_SECONDS = 10.0
# After a failed fetch, tokens are refused at once (503) for this long rather than each
# waiting for a key server that is down.
RETRY_FAILED_FETCH_SECONDS = 30.0
REFRESH_SECONDS = 24 * 3600.0  # botbuilder's own: keys are read again once a day
UNKNOWN_KEY_REFRESH_SECONDS = 3600.0  # and at most hourly when a token names an unknown key


class KeysUnavailable(Exception):
    """The signing keys could not be fetched: the token cannot be checked now (not its fault)."""


@dataclass(frozen=True)
class _Key:
    """What botbuilder's token check reads from a cached key."""

    public_key: Any
    endorsements: list[str]


class SigningKeys:
    """One key source (an OpenID metadata URL), in the shape botbuilder's cache holds; `url`
    is where it is read from, which a deployment (or a test) may point elsewhere."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.keys: list[dict[str, Any]] = []
        self._fetched_at: float | None = None
        self._failed_at: float | None = None
        self._fetching: asyncio.Task[None] | None = None

    async def get(self, key_id: str | None) -> _Key:
        """The key a token names; PermissionError when there is none (a forged token)."""
        now = time.monotonic()
        if self._fetched_at is None or now - self._fetched_at > REFRESH_SECONDS:
            try:
                await self._refresh()
            except KeysUnavailable:
                if not self.keys:
                    raise
                # Keys a day old still check tokens; a key server's outage is no outage here.
                log.warning("teams: could not refresh the signing keys; using the last ones")
        key = self._find(key_id)
        fetched = self._fetched_at
        if key is None and fetched and time.monotonic() - fetched > UNKNOWN_KEY_REFRESH_SECONDS:
            await self._refresh()
            key = self._find(key_id)
        if key is None:
            raise PermissionError("the token is signed by a key the Bot Framework does not list")
        return key

    async def _refresh(self) -> None:
        """One fetch at a time; every request waiting for keys waits for that one."""
        failed = self._failed_at
        if failed is not None and time.monotonic() - failed < RETRY_FAILED_FETCH_SECONDS:
            raise KeysUnavailable(f"the last fetch of {self.url} failed moments ago")
        running = self._fetching
        if running is None or running.done() or running.get_loop() is not _loop():
            running = self._fetching = asyncio.ensure_future(self._fetch())
        await asyncio.shield(running)

    async def _fetch(self) -> None:
        try:
            async with ClientSession(timeout=ClientTimeout(total=KEY_FETCH_SECONDS)) as http:
                metadata = await _json(http, self.url)
                jwks = await _json(http, str(metadata.get("jwks_uri")))
            keys = jwks.get("keys")
            if not isinstance(keys, list):
                raise KeysUnavailable(f"{self.url}'s key set has no list of keys")
        except (ClientError, TimeoutError, ValueError, KeysUnavailable) as exc:
            self._failed_at = time.monotonic()
            reason = str(exc) or type(exc).__name__
            raise KeysUnavailable(f"could not fetch signing keys: {reason}") from None
        self.keys = [k for k in keys if isinstance(k, dict)]
        self._fetched_at = time.monotonic()
        self._failed_at = None

    def _find(self, key_id: str | None) -> _Key | None:
        for key in self.keys:
            if key_id is not None and key.get("kid") == key_id:
                try:
                    public = RSAAlgorithm.from_jwk(json.dumps(key))
                except Exception:  # a key we cannot read signs nothing we accept
                    return None
                return _Key(public, list(key.get("endorsements") or []))
        return None


async def _json(http: ClientSession, url: str) -> dict[str, Any]:
    async with http.get(url) as response:
        if response.status != 200:
            raise KeysUnavailable(f"{url} answered {response.status}")
        body = await response.json(content_type=None)
    if not isinstance(body, dict):
        raise KeysUnavailable(f"{url} did not answer a JSON object")
    return body


def _loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


def fetch_keys_without_blocking(channel_keys_from: str | None = None) -> None:
    """Put our key sources into botbuilder's cache under the URLs its public-cloud checks read:
    Teams' channel (read from `channel_keys_from` when given) and the Emulator's.

    botbuilder's cache is per process, so this is too; a source is replaced only when it is
    to be read from elsewhere. (Giving botbuilder the URL itself would switch it to its fully
    parameterized mode, where every other Bot Framework constant must be given too.)
    """
    cache: dict[str, Any] = JwtTokenExtractor.metadataCache
    channel = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
    emulator = AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
    for key, source in ((channel, channel_keys_from or channel), (emulator, emulator)):
        current = cache.get(key)
        if not isinstance(current, SigningKeys) or current.url != source:
            cache[key] = SigningKeys(source)


class CheckedAuthentication(ConfigurationBotFrameworkAuthentication):  # type: ignore[misc]
    """botbuilder's token check, with anything it trips over on a bad token made a refusal;
    and its clients for the way out kept, not built again for every turn.

    `connectors` (None for a managed identity, whose tokens only botbuilder fetches) serves
    every turn's and every proactive send's connector client. The user-token client (OAuth
    sign-in, which the bot does not use) is built once, when botbuilder first asks for it.
    """

    def __init__(self, configuration: Any, connectors: ConnectorFactory | None) -> None:
        super().__init__(configuration)
        self.connectors = connectors
        self._user_tokens: Any = None

    def create_connector_factory(self, claims_identity: Any) -> ConnectorFactory:
        if self.connectors is None:
            return super().create_connector_factory(claims_identity)
        return self.connectors

    async def create_user_token_client(self, claims_identity: Any) -> Any:
        if self._user_tokens is None:
            self._user_tokens = await super().create_user_token_client(claims_identity)
        return self._user_tokens

    async def authenticate_request(self, activity: Any, auth_header: str) -> Any:
        try:
            result = await super().authenticate_request(activity, auth_header)
        except KeysUnavailable:
            raise
        except PermissionError as exc:
            log.warning("teams: refused a token: %s", str(exc)[:200] or "not authorized")
            raise
        except Exception as exc:
            # A token botbuilder could not even read (not a JWT, no signature, a key it does
            # not know): refused, with one line saying why, not a traceback.
            log.warning("teams: refused a token: %s: %s", type(exc).__name__, str(exc)[:200])
            raise PermissionError("the token could not be checked") from None
        if self.connectors is not None:
            result.connector_factory = self.connectors
        return result
