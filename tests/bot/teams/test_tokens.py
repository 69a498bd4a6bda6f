"""Teams' tokens over the real CloudAdapter: a bad one gets a clean 401 and one warning line, and
a key server that hangs never stalls the server.

The Bot Framework's signing keys are served by a local stand-in (OpenID metadata and a JWKS), so
no test reaches the internet; the bot is pointed at it by TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.config import AppConfig
from bot.server import make_app
from bot.teams import auth
from rituals.core.context import FixedClock
from tests.bot.teams.conftest import TeamsClient, teams_settings
from tests.bot.teams.mock_connector import MockConnector

APP_ID = "5f1e7a1c-0d2b-4c9e-8f3a-2b1c0d9e8f7a"
ISSUER = "https://api.botframework.com"
LISTED = rsa.generate_private_key(public_exponent=65537, key_size=2048)
FORGER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def token(key: Any, kid: str, **claims: Any) -> str:
    now = datetime.now(UTC)
    body = {"iss": ISSUER, "aud": APP_ID, "nbf": now, "exp": now + timedelta(minutes=5), **claims}
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": kid})


def unsigned(**claims: Any) -> str:
    return jwt.encode({"iss": ISSUER, "aud": APP_ID, **claims}, None, algorithm="none")


@pytest.fixture
async def keys() -> AsyncIterator[str]:
    """The Bot Framework's key server: metadata naming a JWKS that lists one key, `listed`."""
    jwk = json.loads(RSAAlgorithm.to_jwk(LISTED.public_key()))
    jwk.update(kid="listed", endorsements=["msteams"])

    async def metadata(request: web.Request) -> web.Response:
        return web.json_response({"jwks_uri": str(request.url.with_path("/keys"))})

    async def jwks(request: web.Request) -> web.Response:
        return web.json_response({"keys": [jwk]})

    app = web.Application()
    app.router.add_get("/openid", metadata)
    app.router.add_get("/keys", jwks)
    server = TestServer(app)
    await server.start_server()
    yield str(server.make_url("/openid"))
    await server.close()


def signed_in_server(
    database_url: str, config: AppConfig, clock: FixedClock, metadata_url: str
) -> web.Application:
    settings = teams_settings(
        database_url,
        TEAMS_LOOPBACK="false",
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="x",
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=metadata_url,
    )
    return make_app(settings, config, clock)


@pytest.mark.parametrize(
    "bearer",
    [
        "garbage",
        "a.b.c",
        unsigned(),
        token(FORGER, "forged"),  # self-signed, naming a key nobody lists
        token(FORGER, "listed"),  # self-signed, naming the listed key
        token(LISTED, "listed", iss="https://evil.example"),
    ],
    ids=["garbage", "three-dots", "alg-none", "unknown-key", "wrong-signature", "wrong-issuer"],
)
async def test_a_bad_token_gets_401_and_one_warning_line(
    teams_database: str,
    config: AppConfig,
    clock: FixedClock,
    connector: MockConnector,
    keys: str,
    caplog: pytest.LogCaptureFixture,
    bearer: str,
) -> None:
    app = signed_in_server(teams_database, config, clock, keys)
    async with TestClient(TestServer(app)) as http:
        teams = TeamsClient(http, connector)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            response = await teams.post(
                teams.activity("message_personal.json"), {"Authorization": f"Bearer {bearer}"}
            )
        assert response.status == 401
        assert "Traceback" not in await response.text()
        records = list(caplog.records)  # the request's, not the server's shutdown
    assert not [r for r in records if r.exc_info or r.levelno >= logging.ERROR]
    refusals = [r for r in records if r.levelno == logging.WARNING]
    assert len(refusals) == 1, [r.getMessage() for r in refusals]
    assert "teams: refused a token" in refusals[0].getMessage()
    assert connector.sent == []


async def test_a_token_signed_by_the_listed_key_gets_past_the_check(
    teams_database: str, config: AppConfig, clock: FixedClock, connector: MockConnector, keys: str
) -> None:
    """The stand-in is honest: a good signature passes the token check (and is then refused
    for what the activity itself lacks, not for its token)."""
    app = signed_in_server(teams_database, config, clock, keys)
    async with TestClient(TestServer(app)) as http:
        teams = TeamsClient(http, connector)
        activity = teams.activity("message_personal.json")
        good = token(LISTED, "listed", serviceurl=activity["serviceUrl"])
        response = await teams.post(activity, {"Authorization": f"Bearer {good}"})
        assert response.status != 401, await response.text()


async def test_a_5000_deep_body_is_refused_with_400(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture
) -> None:
    activity = teams.activity("message_personal.json")
    deep = json.dumps(activity)[:-1] + ', "value": ' + "[" * 5000 + "]" * 5000 + "}"
    response = await teams.post(deep)
    assert response.status == 400
    assert "nests deeper" in (await response.json())["error"]
    shallow_but_deep = {**activity, "value": json.loads("[" * 500 + "]" * 500)}
    assert (await teams.post(shallow_but_deep)).status == 400
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


class _Hanging(BaseHTTPRequestHandler):
    """A key server that takes the request and does not answer until released."""

    arrived = threading.Event()
    release = threading.Event()
    gave_up = False

    def do_GET(self) -> None:
        type(self).arrived.set()
        if not type(self).release.wait(timeout=20):
            type(self).gave_up = True
        self.send_response(503)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def hanging() -> Iterator[str]:
    """In a thread of its own, so that a blocking fetch in the server's loop shows as a stall
    rather than a deadlock."""
    _Hanging.arrived, _Hanging.release, _Hanging.gave_up = (
        threading.Event(),
        threading.Event(),
        False,
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hanging)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/openid"
    _Hanging.release.set()
    server.shutdown()
    thread.join()


async def test_the_server_keeps_answering_while_a_key_fetch_hangs(
    teams_database: str,
    config: AppConfig,
    clock: FixedClock,
    connector: MockConnector,
    hanging: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = signed_in_server(teams_database, config, clock, hanging)
    async with TestClient(TestServer(app)) as http:
        teams = TeamsClient(http, connector)
        activity = teams.activity("message_personal.json")
        bearer = {"Authorization": f"Bearer {token(LISTED, 'listed')}"}
        checking = asyncio.ensure_future(teams.post(activity, bearer))
        assert await asyncio.to_thread(_Hanging.arrived.wait, 20)
        health = await http.get("/healthz")
        assert health.status == 200
        # Answered while the key server still held the fetch, not after it gave up.
        assert not _Hanging.gave_up
        assert not checking.done()
        _Hanging.release.set()
        response = await checking
        assert response.status == 503  # the keys could not be had: try again, not "forged"
        # Meanwhile another token is answered at once, not after another hung fetch.
        again = await teams.post(activity, bearer)
        assert again.status == 503
        records = list(caplog.records)
    assert not [r for r in records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_key_fetch_that_never_answers_ends_at_its_timeout(
    hanging: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "KEY_FETCH_SECONDS", 0.2)
    keys = auth.SigningKeys(hanging)
    with pytest.raises(auth.KeysUnavailable, match="could not fetch signing keys"):
        await keys.get("listed")
    assert _Hanging.arrived.is_set()
    assert not _Hanging.gave_up  # ended by its own timeout, while the server still held it


async def test_in_loopback_mode_a_garbage_token_is_no_500(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await teams.post(
        teams.activity("message_personal.json"), {"Authorization": "Bearer garbage"}
    )
    assert response.status in (200, 201, 401), await response.text()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_keys_a_day_old_still_check_tokens_while_the_key_server_is_down(
    keys: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = auth.SigningKeys(keys)
    assert (await source.get("listed")).public_key is not None
    source.url = keys.replace("/openid", "/gone")  # the key server answers 404 from now on
    monkeypatch.setattr(auth, "REFRESH_SECONDS", -1.0)  # and the keys are due for a refresh
    assert (await source.get("listed")).public_key is not None
    with pytest.raises(PermissionError):
        await source.get("forged")  # an unknown key is still no key
