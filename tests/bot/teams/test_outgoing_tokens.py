"""The bot's own token for the connector: fetched without stalling the server, once for many
sends, renewed before it expires, and given up on at its timeout.

Azure AD is played by a local token server in a thread of its own, so that a blocking fetch in
the server's loop would show as a stall rather than a deadlock.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestClient, TestServer

from bot.config import AppConfig
from bot.server import make_app
from bot.teams import tokens
from bot.teams.app import _connectors
from bot.teams.tokens import BotToken, TokenUnavailable
from rituals.core.context import FixedClock
from tests.bot.teams.conftest import TeamsClient, teams_settings
from tests.bot.teams.mock_connector import MockConnector
from tests.bot.teams.test_tokens import APP_ID, LISTED, keys, token

__all__ = ["keys"]  # the signing keys' stand-in, a fixture shared with test_tokens

SCOPE = "https://api.botframework.com"


class _Azure(BaseHTTPRequestHandler):
    """Azure AD's token endpoint: a new token for each request, held until released when
    `hold` is set; every request's form is kept."""

    forms: ClassVar[list[dict[str, list[str]]]] = []
    hold = False
    arrived = threading.Event()
    release = threading.Event()
    lifetime = 3600

    def do_POST(self) -> None:
        cls = type(self)
        length = int(self.headers.get("Content-Length") or 0)
        cls.forms.append(parse_qs(self.rfile.read(length).decode()))
        cls.arrived.set()
        if cls.hold:
            cls.release.wait(timeout=20)
        body = json.dumps(
            {"access_token": f"bot-token-{len(cls.forms)}", "expires_in": cls.lifetime}
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def azure() -> Iterator[str]:
    _Azure.forms, _Azure.hold, _Azure.lifetime = [], False, 3600
    _Azure.arrived, _Azure.release = threading.Event(), threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Azure)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tenant"
    _Azure.release.set()
    server.shutdown()
    thread.join()


async def test_the_server_keeps_answering_while_the_bots_token_is_fetched(
    teams_database: str,
    config: AppConfig,
    clock: FixedClock,
    connector: MockConnector,
    keys: str,
    azure: str,
) -> None:
    settings = teams_settings(
        teams_database,
        TEAMS_LOOPBACK="false",
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="the-bots-secret",
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=keys,
        TO_CHANNEL_FROM_BOT_LOGIN_URL=azure,
    )
    _Azure.hold = True
    async with TestClient(TestServer(make_app(settings, config, clock))) as http:
        teams = TeamsClient(http, connector)
        activity = teams.activity("message_personal.json")
        bearer = token(LISTED, "listed", serviceurl=activity["serviceUrl"])
        turn = asyncio.ensure_future(teams.post(activity, {"Authorization": f"Bearer {bearer}"}))
        assert await asyncio.to_thread(_Azure.arrived.wait, 20)
        assert (await http.get("/healthz")).status == 200  # while Azure AD holds the fetch
        assert not turn.done()
        _Azure.release.set()
        assert (await turn).status in (200, 201)
        assert connector.sent
        assert {s.authorization for s in connector.sent} == {"Bearer bot-token-1"}
    (form,) = _Azure.forms  # one token for every answer of the turn
    assert form["client_id"] == [APP_ID]
    assert form["client_secret"] == ["the-bots-secret"]
    assert form["grant_type"] == ["client_credentials"]
    assert form["scope"] == [f"{SCOPE}/.default"]


async def test_many_sends_at_once_share_one_fetch(azure: str) -> None:
    async with ClientSession() as http:
        source = BotToken(http, azure, APP_ID, "secret", SCOPE)
        got = await asyncio.gather(*(source.get() for _ in range(20)))
    assert set(got) == {"bot-token-1"}
    assert len(_Azure.forms) == 1


async def test_a_token_is_renewed_before_it_expires_while_it_still_serves(azure: str) -> None:
    _Azure.lifetime = int(tokens.REFRESH_BEFORE_SECONDS) - 60  # due for renewal at once
    async with ClientSession() as http:
        source = BotToken(http, azure, APP_ID, "secret", SCOPE)
        assert await source.get() == "bot-token-1"
        _Azure.lifetime = 3600
        assert await source.get() == "bot-token-1"  # still valid: served, renewal started
        renewal = source._fetching
        assert renewal is not None
        await renewal
        assert await source.get() == "bot-token-2"
    assert len(_Azure.forms) == 2


async def test_a_fetch_that_never_answers_ends_at_its_timeout_and_is_not_retried_at_once(
    azure: str,
) -> None:
    _Azure.hold = True
    async with ClientSession() as http:
        source = BotToken(http, azure, APP_ID, "secret", SCOPE, timeout=0.2)
        with pytest.raises(TokenUnavailable):
            await source.get()
        with pytest.raises(TokenUnavailable, match="moments ago"):
            await source.get()  # answered at once, no second wait
    assert len(_Azure.forms) == 1


@pytest.mark.parametrize(
    ("kind", "authority"),
    [("MultiTenant", "botframework.com"), ("SingleTenant", "contoso-tenant-id")],
)
async def test_only_a_single_tenant_bot_asks_its_own_tenant_for_its_token(
    teams_database: str, kind: str, authority: str
) -> None:
    """As botbuilder does: a multi-tenant bot with a tenant id set still gets its tokens from
    Bot Framework's tenant, which is the one the connector takes them from."""
    settings = teams_settings(
        teams_database,
        TEAMS_LOOPBACK="false",
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="the-bots-secret",
        MicrosoftAppType=kind,
        MicrosoftAppTenantId="contoso-tenant-id",
    )
    async with ClientSession() as http:
        connectors = _connectors(settings, http)
    assert connectors is not None
    assert connectors.authority.rsplit("/", 1)[-1] == authority
