"""The real server with the real Bolt app, over HTTP, against a local mock of Slack's servers.

Requests are signed with the signing secret exactly as Slack signs them and built from the real
payloads in ../shared/fixtures/slack. Each test gets a workspace id of its own, so the rows the
server commits never meet another test's.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from bot.config import AppConfig, Settings
from bot.migrate import upgrade
from bot.server import SCHEDULING, make_app
from bot.slack.http import SLACK
from rituals.core.context import FixedClock
from tests.bot.slack.mock_slack import ANSWER, MockSlack
from tests.databases import scratch_database
from tests.support import FIXTURES

# Copies of ../shared/fixtures/slack, kept in the repository so a fresh clone can test.
PAYLOADS = FIXTURES / "slack"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ANA, BEN, LEA = "U0AB12CD4", "U0AB12CD6", "U0AB12CD2"
PATIENT = 60.0  # seconds a command may work before its ack goes out without the answer
CHANNEL = "C0AB12CD5"
FORM, JSON = "application/x-www-form-urlencoded", "application/json"
# What a request Slack did not sign, or signed over five minutes ago, is answered (Bolt's words).
UNSIGNED = (401, {"error": "invalid request"})


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / name).read_text())
    return data


def signature(body: str, timestamp: str, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackClient:
    """Slack's side of the conversation: signed requests in Slack's shapes."""

    def __init__(self, http: TestClient, api: MockSlack) -> None:
        self.http = http
        self.api = api
        self.team = api.team_id
        bot = http.server.app.get(SLACK)
        if bot is not None:
            # However loaded the machine, a one-message answer rides in the ack: each test
            # takes the same path every run. Tests of the slow path shorten it (test_fast_path).
            bot.listeners.answer_within = PATIENT

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SECRET,
        headers: dict[str, str] | None = None,
    ) -> ClientResponse:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        response = await self.http.post(
            "/slack/events",
            data=body.encode(),
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature(body, ts, secret),
                **(headers or {}),
            },
        )
        await self._answer_in(response)
        return response

    async def _answer_in(self, response: ClientResponse) -> None:
        """An ack whose body is a message is an answer, as Slack shows it: record it where
        tests read every answer (`api.of(ANSWER)`). A modal's ack (`response_action`) is not."""
        if response.status != 200 or response.content_type != "application/json":
            return
        body = await response.json()  # read once; the caller can read it again
        message = isinstance(body, dict) and bool(body.get("text") or body.get("blocks"))
        if message and "response_action" not in body:
            self.api.acked(body)

    def command_body(self, text: str, user: str = ANA, channel: str = CHANNEL) -> str:
        payload = fixture("slash_command.json")
        payload.update(
            team_id=self.team,
            user_id=user,
            channel_id=channel,
            text=text,
            response_url=self.api.response_url(uuid.uuid4().hex),
        )
        return urlencode(payload)

    async def command(self, text: str, user: str = ANA, channel: str = CHANNEL) -> ClientResponse:
        body = self.command_body(text, user, channel)
        return await self.post(body, "application/x-www-form-urlencoded")

    async def ask(self, text: str, user: str = ANA, channel: str = CHANNEL) -> str:
        """A command, answered ephemerally: the text of every answer it got, in the ack or at
        the response_url.

        Whatever did not fit in the ack was queued before the ack went out, so once the
        backlog is empty the answer is complete.
        """
        before = len(self.api.of(ANSWER))
        response = await self.command(text, user, channel)
        assert response.status == 200, await response.text()
        await self.http.server.app[SLACK].backlog.settled()
        return "\n".join(texts(c.args) for c in self.api.of(ANSWER)[before:])

    async def deliver(self) -> int:
        """Run the outbox worker until nothing is due: messages to others (DMs, channel posts)
        go out through it, after the asker's answer."""
        await self.http.server.app[SLACK].backlog.settled()
        return await self.http.server.app[SCHEDULING].worker.drain()

    async def meet(self, *users: str) -> None:
        """First contact for each person (a welcome, then the answer), out of the way."""
        for user in users:
            await self.ask("help", user)

    async def interact(self, payload: dict[str, Any]) -> ClientResponse:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def click(
        self, value: str, user: str = ANA, action_id: str = "run-0", in_home: bool = False
    ) -> ClientResponse:
        return await self.interact(self.pressed(value, user, action_id, in_home))

    def pressed(
        self, value: str, user: str = ANA, action_id: str = "run-0", in_home: bool = False
    ) -> dict[str, Any]:
        """A button press's payload, as Slack sends it."""
        payload = fixture("block_actions.json")
        payload["team"]["id"] = self.team
        payload["user"].update(id=user, team_id=self.team)
        payload["actions"][0].update(action_id=action_id, value=value)
        payload["response_url"] = self.api.response_url(uuid.uuid4().hex)
        if in_home:
            # A button on the Home tab: no channel, no message, no response_url.
            for key in ("channel", "message", "response_url"):
                payload.pop(key)
            payload["container"] = {"type": "view", "view_id": "V0HOME"}
            payload["view"] = {"id": "V0HOME", "type": "home"}
        return payload

    async def submit(
        self, view: dict[str, Any], values: dict[str, Any], user: str = ANA
    ) -> ClientResponse:
        """Submit a modal the bot opened, the state shaped as Slack shapes it."""
        payload = fixture("view_submission.json")
        payload["team"]["id"] = self.team
        payload["user"].update(id=user, team_id=self.team)
        sent = copy.deepcopy(view)
        sent["state"] = {"values": values}
        payload["view"] = {**payload["view"], **sent}
        return await self.interact(payload)

    async def event(
        self, name: str, event: dict[str, Any] | None = None, retry: int | None = None
    ) -> ClientResponse:
        return await self.send_envelope(self.envelope(name, event), retry)

    def envelope(self, name: str, event: dict[str, Any] | None = None) -> dict[str, Any]:
        """An Events API envelope from the fixture `name`, for this workspace, a new event id."""
        envelope = fixture(name)
        envelope["team_id"] = self.team
        for authorization in envelope.get("authorizations", []):
            authorization["team_id"] = self.team
        if "team" in envelope["event"]:
            envelope["event"]["team"] = self.team
        envelope["event_id"] = f"Ev{uuid.uuid4().hex[:10].upper()}"
        envelope["event"].update(event or {})
        return envelope

    async def send_envelope(
        self, envelope: dict[str, Any], retry: int | None = None
    ) -> ClientResponse:
        headers = {}
        if retry is not None:
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(json.dumps(envelope), "application/json", headers=headers)


def text_objects(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every text object in a message's blocks (or a view's), in order."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(body.get("blocks", []))
    return found


def texts(body: dict[str, Any]) -> str:
    """Every piece of text in a message's blocks (or a view's), as Slack would receive it."""
    return "\n".join(node["text"] for node in text_objects(body))


def typed(text: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": text}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server commits, so Slack's tests get a migrated database of their own."""
    with scratch_database(tmp_path_factory.mktemp("slack"), "slack") as url:
        upgrade(url)
        yield url


@pytest.fixture
async def slack_api() -> AsyncIterator[MockSlack]:
    api = MockSlack(team_id=f"T{uuid.uuid4().hex[:9].upper()}")
    await api.start()
    api.add_user(ANA, "Ana", tz="Europe/Berlin")
    api.add_user(BEN, "Ben", tz="America/Los_Angeles")
    api.add_user(LEA, "Lea", tz="Pacific/Auckland")
    yield api
    await api.stop()


def slack_settings(database_url: str, api: MockSlack, **values: str) -> Settings:
    env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET, **values}
    return Settings(  # type: ignore[call-arg]
        _env_file=None, DATABASE_URL=database_url, SLACK_API_URL=f"{api.url}/api/", **env
    )


@pytest.fixture
async def slack(
    database_url: str, config: AppConfig, clock: FixedClock, slack_api: MockSlack
) -> AsyncIterator[SlackClient]:
    app = make_app(slack_settings(database_url, slack_api), config, clock)
    async with TestClient(TestServer(app)) as http:
        client = SlackClient(http, slack_api)
        yield client
        # What the last command queued goes out now, so no worker round is cut off mid-write
        # (holding the database) when the server stops.
        await client.deliver()
