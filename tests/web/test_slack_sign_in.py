"""Sign in with Slack: OpenID Connect against a local stand-in for Slack's Web API, which
answers `openid.connect.token` and `openid.connect.userInfo` as Slack does."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import pytest_asyncio
from aiohttp import ClientSession, CookieJar, web

from tests.web.support import Site, running_site

pytestmark = pytest.mark.asyncio(loop_scope="module")


@dataclass
class OpenIdSlack:
    """Codes Slack would issue, each for one person (workspace, user), and the calls made."""

    codes: dict[str, tuple[str, str]] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
        self.calls.append((method, args))
        if method == "openid.connect.token":
            app = "Basic " + base64.b64encode(b"C0CLIENT:client-secret").decode()
            if args.get("code") not in self.codes or request.headers.get("Authorization") != app:
                return web.json_response({"ok": False, "error": "invalid_code"})
            return web.json_response({"ok": True, "access_token": f"xoxp-{args['code']}"})
        if method == "openid.connect.userInfo":
            code = request.headers.get("Authorization", "").removeprefix("Bearer xoxp-")
            team, user = self.codes[code]
            return web.json_response(
                {
                    "ok": True,
                    "sub": user,
                    "https://slack.com/user_id": user,
                    "https://slack.com/team_id": team,
                }
            )
        return web.json_response({"ok": False, "error": "unknown_method"})


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def slack() -> AsyncIterator[tuple[OpenIdSlack, str]]:
    mock = OpenIdSlack()
    app = web.Application()
    app.router.add_post("/api/{method}", mock.api)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield mock, f"http://127.0.0.1:{port}/api/"
    finally:
        await runner.cleanup()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def site(web_database: str, slack: tuple[OpenIdSlack, str]) -> AsyncIterator[Site]:
    async with running_site(web_database, slack_api=slack[1]) as running:
        yield running


async def _to_slack(client: ClientSession, site: Site) -> str:
    """Press "Sign in with Slack": the state Slack is asked to bring back."""
    async with client.get(f"{site.url}/dashboard/") as page:
        assert page.status == 401
        assert 'href="/dashboard/slack"' in await page.text()
    async with client.get(f"{site.url}/dashboard/slack", allow_redirects=False) as going:
        assert going.status == 303
        where = urlsplit(going.headers["Location"])
    assert f"{where.scheme}://{where.netloc}{where.path}" == (
        "https://slack.com/openid/connect/authorize"
    )
    asked = parse_qs(where.query)
    assert asked["client_id"] == ["C0CLIENT"]
    assert asked["scope"] == ["openid profile"]
    assert asked["redirect_uri"] == [f"{site.url}/dashboard/slack/callback"]
    return asked["state"][0]


async def test_slack_vouches_for_someone_the_bot_knows_and_they_are_signed_in(
    site: Site, slack: tuple[OpenIdSlack, str]
) -> None:
    mock, _ = slack
    mock.codes["good"] = ("T1", "ana")
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
        state = await _to_slack(client, site)
        callback = f"{site.url}/dashboard/slack/callback?code=good&state={state}"
        async with client.get(callback) as page:
            assert page.status == 200
            assert "<h1>Ana's dashboard</h1>" in await page.text()
    exchanged = [args for method, args in mock.calls if method == "openid.connect.token"]
    assert exchanged[-1]["redirect_uri"] == f"{site.url}/dashboard/slack/callback"


async def test_an_answer_not_started_in_this_browser_is_refused(
    site: Site, slack: tuple[OpenIdSlack, str]
) -> None:
    mock, _ = slack
    mock.codes["stolen"] = ("T1", "ben")
    before = len(mock.calls)
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
        await _to_slack(client, site)
        callback = f"{site.url}/dashboard/slack/callback?code=stolen&state=forged"
        async with client.get(callback) as page:
            assert page.status == 403
            assert "Sign in again" in await page.text()
    assert len(mock.calls) == before  # the code was never even exchanged


async def test_a_code_slack_refuses_or_a_stranger_opens_nothing(
    site: Site, slack: tuple[OpenIdSlack, str]
) -> None:
    mock, _ = slack
    mock.codes["stranger"] = ("T1", "U0NEVERSEEN")
    mock.codes["elsewhere"] = ("T9", "ana")
    for code, says in (
        ("made-up", "Slack did not confirm who you are"),
        ("stranger", "The bot does not know you there yet"),
        ("elsewhere", "The bot does not know you there yet"),
    ):
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
            state = await _to_slack(client, site)
            callback = f"{site.url}/dashboard/slack/callback?code={code}&state={state}"
            async with client.get(callback) as page:
                assert page.status == 403, code
                assert says in await page.text()
            async with client.get(f"{site.url}/dashboard/") as after:
                assert after.status == 401
