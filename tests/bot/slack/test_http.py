"""Slack's HTTP edge: signatures, replays, the URL check, and what a bad request touches."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.config import AppConfig
from bot.server import make_app
from bot.slack.http import SLACK
from bot.slack.render import FORM_CALLBACK
from rituals.core.context import FixedClock
from storage.engine import make_engine
from storage.models import Workspace
from tests.bot.slack.conftest import (
    FORM,
    JSON,
    UNSIGNED,
    SlackClient,
    fixture,
    slack_settings,
    texts,
    typed,
)
from tests.bot.slack.mock_slack import ANSWER, MockSlack


async def workspaces_named(database_url: str, team: str) -> int:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                select(func.count()).select_from(Workspace).where(Workspace.external_id == team)
            )
    finally:
        await engine.dispose()
    return int(count or 0)


async def test_a_bad_signature_gets_401_and_touches_nothing(
    slack: SlackClient, database_url: str
) -> None:
    body = slack.command_body("help")
    forged = await slack.post(body, "application/x-www-form-urlencoded", secret="not-the-secret")
    assert forged.status == 401
    unsigned = await slack.http.post(
        "/slack/events", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert unsigned.status == 401
    assert slack.api.calls == []
    assert await workspaces_named(database_url, slack.team) == 0


async def test_a_stale_timestamp_is_a_replay_and_gets_401(
    slack: SlackClient, database_url: str
) -> None:
    body = slack.command_body("help")
    old = int(time.time()) - 6 * 60  # Slack's rule: older than five minutes is refused
    replayed = await slack.post(body, "application/x-www-form-urlencoded", timestamp=old)
    assert replayed.status == 401
    assert slack.api.calls == []
    assert await workspaces_named(database_url, slack.team) == 0


async def test_a_timestamp_that_is_not_a_number_gets_401_not_a_traceback(
    slack: SlackClient, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = slack.command_body("help")
    for stamp in ("soon", "1e9", "١٧٠٠٠٠٠٠٠٠", "-5"):
        response = await slack.http.post(
            "/slack/events",
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": "v0=" + "0" * 64,
            },
        )
        assert response.status == 401, stamp
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info]
    assert slack.api.calls == []
    assert await workspaces_named(database_url, slack.team) == 0


def every_kind(slack: SlackClient) -> dict[str, tuple[str, str]]:
    """A body of each kind Slack sends to /slack/events, with its content type."""
    return {
        "command": (slack.command_body("help"), FORM),
        "button": (urlencode({"payload": json.dumps(slack.pressed("kpis"))}), FORM),
        "event": (json.dumps(slack.envelope("event_app_mention.json")), JSON),
        "url check": (json.dumps(fixture("url_verification.json")), JSON),
    }


@pytest.mark.parametrize("kind", ["command", "button", "event", "url check"])
async def test_no_kind_of_request_runs_unless_slack_signed_it_in_the_last_five_minutes(
    slack: SlackClient, database_url: str, kind: str
) -> None:
    """Bolt's own check is off (ours reads each body once and checks it once), so ours
    stands for it on every kind: JSON events and the URL check as well as forms."""
    body, content_type = every_kind(slack)[kind]
    now = str(int(time.time()))
    refused = [
        await slack.post(body, content_type, secret="not-the-secret"),
        await slack.post(body, content_type, timestamp=int(now) - 6 * 60),
        await slack.http.post("/slack/events", data=body, headers={"Content-Type": content_type}),
        await slack.http.post(
            "/slack/events",
            data=body,
            headers={"Content-Type": content_type, "X-Slack-Request-Timestamp": now},
        ),
    ]
    assert [(r.status, await r.json()) for r in refused] == [UNSIGNED] * 4
    await slack.http.server.app[SLACK].backlog.settled()
    assert slack.api.calls == []
    assert await workspaces_named(database_url, slack.team) == 0
    signed = await slack.post(body, content_type)  # the same body, as Slack signs it
    assert signed.status == 200, await signed.text()


async def test_slacks_ssl_check_is_answered_signed_or_not_as_bolt_answered_it(
    slack: SlackClient,
) -> None:
    """Bolt answered Slack's probe of our certificate before it checked a signature; with its
    check now ours, the probe is still answered, and runs nothing."""
    body = "ssl_check=1&token=x"
    unsigned = await slack.http.post("/slack/events", data=body, headers={"Content-Type": FORM})
    signed = await slack.post(body, FORM)
    assert [(r.status, await r.text()) for r in (unsigned, signed)] == [(200, "")] * 2
    assert slack.api.calls == []


async def test_a_signed_command_sent_again_runs_once_and_the_replays_get_401(
    slack: SlackClient, database_url: str
) -> None:
    body = slack.command_body("help")
    stamp = int(time.time())
    first = await slack.post(body, "application/x-www-form-urlencoded", timestamp=stamp)
    assert first.status == 200
    for _ in range(2):
        again = await slack.post(body, "application/x-www-form-urlencoded", timestamp=stamp)
        assert again.status == 401
        assert await again.text() == "replayed request"
    # The same words as a new request (a new timestamp, so a new signature) run again.
    fresh = await slack.post(body, "application/x-www-form-urlencoded", timestamp=stamp + 1)
    assert fresh.status == 200
    await slack.http.server.app[SLACK].backlog.settled()
    answers = [c for c in slack.api.of(ANSWER) if "kpi-coach: KPIs" in str(c.args)]
    assert len(answers) == 2  # answered twice: once per real request


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", ""])
async def test_a_signed_command_sent_again_under_another_content_type_is_still_a_replay(
    slack: SlackClient, content_type: str
) -> None:
    """The signature covers the body and its time, not the Content-Type header; a form is
    read as a form under any type but JSON, so a captured command sent again as text/plain
    (or with no type) ran again: the replay check looked at the header, not at the body."""
    body = slack.command_body("help")
    stamp = int(time.time())
    assert (await slack.post(body, FORM, timestamp=stamp)).status == 200
    again = await slack.post(body, content_type, timestamp=stamp)
    assert (again.status, await again.text()) == (401, "replayed request")
    await slack.http.server.app[SLACK].backlog.settled()
    assert len([c for c in slack.api.of(ANSWER) if "kpi-coach: KPIs" in str(c.args)]) == 1


async def test_the_events_url_check_is_answered_with_the_challenge(slack: SlackClient) -> None:
    payload = fixture("url_verification.json")
    response = await slack.send_envelope(payload)
    assert response.status == 200
    assert (await response.json())["challenge"] == payload["challenge"]


async def test_healthz_still_answers_beside_slack(slack: SlackClient) -> None:
    response = await slack.http.get("/healthz")
    assert (await response.json())["database"] == "ok"


async def test_without_slack_credentials_there_is_no_slack_endpoint(
    database_url: str, config: AppConfig, clock: FixedClock, slack_api: MockSlack
) -> None:
    settings = slack_settings(database_url, slack_api, SLACK_BOT_TOKEN="", SLACK_SIGNING_SECRET="")
    async with TestClient(TestServer(make_app(settings, config, clock))) as http:
        assert (await http.post("/slack/events", data="x")).status == 404


@pytest.mark.parametrize(
    "metadata",
    ["not json", "[1, 2]", '{"hidden": [1]}', '{"command": "obstacle", "hidden": {"a": {"b": 1}}}'],
)
async def test_a_form_whose_private_metadata_is_not_ours_is_refused_in_plain_words(
    slack: SlackClient, caplog: pytest.LogCaptureFixture, metadata: str
) -> None:
    """Nothing runs, nothing typed is lost: the modal says what happened and shows the words."""
    await slack.meet("U0AB12CD4")
    words_typed = {"what": {"value": typed("The CRM export is broken")}}
    caplog.clear()
    view = {"callback_id": FORM_CALLBACK, "private_metadata": metadata}
    response = await slack.submit(view, words_typed, user="U0AB12CD4")
    assert response.status == 200, await response.text()
    answer = await response.json()
    assert answer["response_action"] == "update"
    words = texts(answer["view"])
    assert "could not be read" in words
    assert "The CRM export is broken" in words
    assert "/kpi help" in words
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert [r.levelno for r in caplog.records if r.name.startswith("bot.")] == [logging.WARNING]
