"""Bodies Slack never sends are refused with a 400 before Bolt reads them: they made Bolt or
our listeners raise (a 500 and a traceback), some before the signature was even checked."""

from __future__ import annotations

import json
import logging

import pytest
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.slack.shape import problem, read
from tests.bot.slack.conftest import ANA, FORM, SlackClient, fixture


async def test_a_body_that_is_not_utf8_is_refused_signed_or_not(slack: SlackClient) -> None:
    for secret in ("8f742231b10e8888abcd99yyyzzz85a5", "not-the-secret"):
        response = await slack.http.post(
            "/slack/events",
            data=b"\x80text=help",
            headers={"Content-Type": FORM, "X-Slack-Request-Timestamp": "1700000000"},
        )
        assert response.status == 400, secret
        assert await response.text() == "the body is not UTF-8"


async def test_an_unsigned_event_with_no_event_is_refused_without_a_traceback(
    slack: SlackClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Bolt reads `body["event"]["type"]` before it checks the signature: anyone could."""
    body = json.dumps({"type": "event_callback", "event": None})
    response = await slack.http.post(
        "/slack/events", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize(
    ("part", "said"),
    [("team_id", "the payload has no team_id"), ("user_id", "the payload has no user_id")],
)
async def test_a_signed_command_without_its_team_or_person_is_refused(
    slack: SlackClient, caplog: pytest.LogCaptureFixture, part: str, said: str
) -> None:
    body = "&".join(p for p in slack.command_body("help").split("&") if not p.startswith(part))
    response = await slack.post(body, FORM)
    assert (response.status, await response.text()) == (400, said)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_a_signed_mention_that_names_no_one_is_refused(slack: SlackClient) -> None:
    envelope = fixture("event_app_mention.json")
    envelope["team_id"] = slack.team
    del envelope["event"]["user"]
    response = await slack.send_envelope(envelope)
    assert (response.status, await response.text()) == (400, "the payload has no event.user")


async def test_a_signed_button_press_with_no_action_is_refused(slack: SlackClient) -> None:
    payload = fixture("block_actions.json")
    payload["team"]["id"] = slack.team
    payload["actions"] = []
    response = await slack.interact(payload)
    assert (response.status, await response.text()) == (400, "the payload has no actions.0")


SENT = [
    "slash_command.json",
    "block_actions.json",
    "view_submission.json",
    "url_verification.json",
    "event_app_mention.json",
    "event_message_im.json",
    "event_app_home_opened.json",
    "event_app_uninstalled.json",
    "event_tokens_revoked.json",
]


def as_sent(name: str) -> tuple[str, str]:
    """The fixture `name` as Slack sends it: the body, and its content type."""
    payload = fixture(name)
    if name == "slash_command.json":
        return "&".join(f"{k}={v}" for k, v in payload.items()), FORM
    if "type" in payload and payload["type"] in ("block_actions", "view_submission"):
        return "payload=" + json.dumps(payload), FORM
    return json.dumps(payload), "application/json"


@pytest.mark.parametrize("name", SENT)
def test_every_payload_slack_sends_passes(name: str) -> None:
    body, kind = as_sent(name)
    assert problem(body.encode(), kind) is None


@pytest.mark.parametrize("name", SENT)
def test_bolt_is_handed_each_payload_as_it_would_read_it_itself(name: str) -> None:
    """Bolt gets the body read here instead of reading it again: the same body, text and ids."""
    body, kind = as_sent(name)
    payload = read(body.encode(), kind)
    bolt = AsyncBoltRequest(body=body, headers={"Content-Type": kind})
    assert (payload.text, payload.body, payload.context) == (bolt.raw_body, bolt.body, bolt.context)


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("\x00", "the payload holds a NUL character"),
        ("U" * 65, "the payload's user_id is not a Slack id"),
        ("stretch done 4", "the payload's user_id is not a Slack id"),
    ],
)
async def test_a_signed_command_from_no_slack_id_is_refused_before_the_store(
    slack: SlackClient, caplog: pytest.LogCaptureFixture, user: str, said: str
) -> None:
    """PostgreSQL refused these as keys (a NUL; over 64 characters) and the log had a
    traceback; SQLite kept them."""
    response = await slack.post(slack.command_body("kpis", user=user), FORM)
    assert (response.status, await response.text()) == (400, said)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize(
    ("authorizations", "said"),
    [
        ([None], "the payload is not shaped as Slack sends it"),
        ([{"team_id": {"id": "T1"}}], "the payload's team_id is not a Slack id"),
    ],
)
async def test_an_unsigned_event_bolt_cannot_read_is_refused_without_a_traceback(
    slack: SlackClient, caplog: pytest.LogCaptureFixture, authorizations: object, said: str
) -> None:
    """Bolt reads the authorizations' ids as it builds the request, before any signature."""
    envelope = fixture("event_app_mention.json")
    envelope["authorizations"] = authorizations
    response = await slack.http.post(
        "/slack/events", data=json.dumps(envelope), headers={"Content-Type": "application/json"}
    )
    assert (response.status, await response.text()) == (400, said)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_a_command_that_says_payload_is_answered(slack: SlackClient) -> None:
    """Bolt read any form with the word "payload" in it as an interaction's, found none, and
    answered 404: Slack showed the person "dispatch_failed"."""
    await slack.meet(ANA)
    said = await slack.ask("obstacle the payload service times out")
    assert said.startswith("You are on no team yet"), said  # the command ran
