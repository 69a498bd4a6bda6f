"""Installs: OAuth into many workspaces with slack_sdk's stores in our database, uninstalls, and
Socket Mode."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.config import AppConfig, ConfigError
from bot.server import make_app
from bot.slack import store
from bot.slack.http import SLACK
from rituals.core.context import FixedClock
from storage.engine import make_engine
from tests.bot.slack.conftest import (
    FORM,
    JSON,
    UNSIGNED,
    SlackClient,
    fixture,
    slack_settings,
    texts,
)
from tests.bot.slack.mock_slack import ANSWER, MockSlack


async def stored(database_url: str, table: str, team: str) -> int:
    rows = store.metadata.tables[table]
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                select(func.count()).select_from(rows).where(rows.c.team_id == team)
            )
    finally:
        await engine.dispose()
    return int(count or 0)


@pytest.fixture
async def oauth(
    database_url: str, config: AppConfig, clock: FixedClock, slack_api: MockSlack
) -> AsyncIterator[SlackClient]:
    settings = slack_settings(
        database_url,
        slack_api,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID="1111.2222",
        SLACK_CLIENT_SECRET="client-secret",
    )
    async with TestClient(TestServer(make_app(settings, config, clock))) as http:
        yield SlackClient(http, slack_api)


async def install(slack: SlackClient) -> None:
    page = await slack.http.get("/slack/install", allow_redirects=False)
    assert page.status in (200, 302)
    link = page.headers.get("Location") or await page.text()
    assert "https://slack.com/oauth/v2/authorize" in link
    assert "scope=commands,chat:write,users:read" in link.replace("%2C", ",").replace("%3A", ":")
    state = re.search(r"state=([\w-]+)", link)
    assert state
    cookie = page.headers["Set-Cookie"].split(";")[0]
    done = await slack.http.get(
        f"/slack/oauth_redirect?code=code-from-slack&state={state.group(1)}",
        headers={"Cookie": cookie},
    )
    assert done.status == 200, await done.text()
    (exchange,) = slack.api.of("oauth.v2.access")[-1:]
    assert exchange.args["code"] == "code-from-slack"


async def test_oauth_installs_into_a_workspace_and_uses_its_own_token(
    oauth: SlackClient, database_url: str
) -> None:
    await install(oauth)
    assert await stored(database_url, store.INSTALLATIONS, oauth.team) == 1
    assert await stored(database_url, store.BOTS, oauth.team) == 1

    said = await oauth.ask("help")
    assert "/kpi propose" in said
    assert {c.token for c in oauth.api.of("users.info")} == {"xoxb-installed"}


async def test_a_forged_oauth_state_is_refused(oauth: SlackClient, database_url: str) -> None:
    response = await oauth.http.get(f"/slack/oauth_redirect?code=x&state={uuid.uuid4()}")
    assert response.status >= 400
    assert oauth.api.of("oauth.v2.access") == []
    assert await stored(database_url, store.INSTALLATIONS, oauth.team) == 0


async def test_with_oauth_no_request_runs_unless_slack_signed_it(oauth: SlackClient) -> None:
    """The OAuth app's Bolt has its own check off too: ours stands for it there as well."""
    await install(oauth)
    before = len(oauth.api.calls)
    for body, content_type in (
        (oauth.command_body("help"), FORM),
        (json.dumps(oauth.envelope("event_app_mention.json")), JSON),
    ):
        forged = await oauth.post(body, content_type, secret="not-the-secret")
        assert (forged.status, await forged.json()) == UNSIGNED
    await oauth.http.server.app[SLACK].backlog.settled()
    assert oauth.api.calls[before:] == []


async def test_tokens_revoked_and_app_uninstalled_remove_the_tokens(
    oauth: SlackClient, database_url: str
) -> None:
    await install(oauth)
    await oauth.event("event_tokens_revoked.json")
    await _until(lambda: stored(database_url, store.BOTS, oauth.team), 0)

    await install(oauth)
    assert await stored(database_url, store.BOTS, oauth.team) == 1
    await oauth.event("event_app_uninstalled.json")
    await _until(lambda: stored(database_url, store.INSTALLATIONS, oauth.team), 0)
    await _until(lambda: stored(database_url, store.BOTS, oauth.team), 0)

    # Without an installation nothing is done for the workspace, and the person is told why.
    before = len(oauth.api.calls)
    response = await oauth.command("help")
    assert response.status == 200
    await oauth.api.wait_for(ANSWER, where=lambda c: "reinstall" in str(c.args))
    assert [c.method for c in oauth.api.calls[before:]] == ["response_url"]


async def _until(read: Any, expected: int) -> None:
    import asyncio

    for _ in range(500):  # events are handled after their ack
        if await read() == expected:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"still {await read()}, expected {expected}")


async def test_socket_mode_takes_commands_over_a_websocket_without_a_public_url(
    database_url: str, config: AppConfig, clock: FixedClock, slack_api: MockSlack
) -> None:
    settings = slack_settings(
        database_url, slack_api, SLACK_APP_TOKEN="xapp-1-test", SLACK_SIGNING_SECRET=""
    )
    async with TestClient(TestServer(make_app(settings, config, clock))) as http:
        assert (await http.post("/slack/events", data="x")).status == 404  # nothing to call
        (opened,) = await slack_api.wait_for("apps.connections.open")
        assert opened.token == "xapp-1-test"
        payload = fixture("slash_command.json")
        payload.update(
            team_id=slack_api.team_id, text="help", response_url=slack_api.response_url()
        )
        envelope = {
            "envelope_id": "57d6a792-4d35-4d0b-b6aa-3361493e1caf",
            "type": "slash_commands",
            "payload": payload,
            "accepts_response_payload": True,
        }
        await slack_api.envelopes.put(envelope)
        calls = await slack_api.wait_for(ANSWER, 2)
        assert "/kpi propose" in texts(calls[-1].args)
        assert any(a.get("envelope_id") == envelope["envelope_id"] for a in slack_api.socket_acks)


def test_missing_slack_settings_are_named(
    database_url: str, config: AppConfig, clock: FixedClock
) -> None:
    api = MockSlack()
    api.url = "http://127.0.0.1:9"
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        make_app(slack_settings(database_url, api, SLACK_SIGNING_SECRET=""), config, clock)
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        make_app(
            slack_settings(database_url, api, SLACK_APP_TOKEN="xapp-1", SLACK_BOT_TOKEN=""),
            config,
            clock,
        )
    with pytest.raises(ConfigError, match="SLACK_CLIENT_SECRET"):
        make_app(slack_settings(database_url, api, SLACK_CLIENT_ID="1.2"), config, clock)
