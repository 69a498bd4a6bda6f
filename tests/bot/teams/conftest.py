"""The real server with the real CloudAdapter, over HTTP, against a local mock Bot Connector.

Activities are built from the real payloads in ../shared/fixtures/teams, with their
`serviceUrl` pointed at the mock. Each test gets a tenant of its own, so the rows the server
commits never meet another test's.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from bot.config import AppConfig, Settings
from bot.migrate import upgrade
from bot.server import SCHEDULING, make_app
from rituals.core.context import FixedClock
from tests.bot.teams.mock_connector import MockConnector, Sent
from tests.databases import scratch_database
from tests.support import FIXTURES

PAYLOADS = FIXTURES / "teams"
BOT = "28:9a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b"
ANA = ("29:1GcS4EyB-ana", "Ana Ruiz", "6be2a34f-4e1a-4b1f-9d2c-1a2b3c4d5e6f")
BEN = ("29:1bEnOkAfOr", "Ben Okafor", "0b0b0b0b-4e1a-4b1f-9d2c-1a2b3c4d5e6f")
LEA = ("29:1lEaLeA", "Lea Hart", "1e1e1e1e-4e1a-4b1f-9d2c-1a2b3c4d5e6f")
CHANNEL = "19:a1b2c3d4e5f6@thread.tacv2"
PERSONAL = "a:personal-chat-with-"


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / name).read_text())
    return data


class TeamsClient:
    """Teams' side of the conversation: activities in the Bot Framework's shapes."""

    def __init__(self, http: TestClient, connector: MockConnector) -> None:
        self.http = http
        self.connector = connector
        self.tenant = str(uuid.uuid4())

    def activity(self, name: str, person: tuple[str, str, str] = ANA) -> dict[str, Any]:
        activity = copy.deepcopy(fixture(name))
        teams_id, display, aad = person
        activity["id"] = uuid.uuid4().hex[:13]
        activity["serviceUrl"] = self.connector.url
        activity["from"] = {"id": teams_id, "name": display, "aadObjectId": aad}
        activity["conversation"]["tenantId"] = self.tenant
        activity["channelData"]["tenant"]["id"] = self.tenant
        if activity["conversation"].get("conversationType") == "personal":
            activity["conversation"]["id"] = PERSONAL + teams_id
        return activity

    async def post(
        self, activity: dict[str, Any] | str, headers: dict[str, str] | None = None
    ) -> ClientResponse:
        body = activity if isinstance(activity, str) else json.dumps(activity)
        return await self.http.post(
            "/api/messages",
            data=body.encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    async def say(
        self, text: str, person: tuple[str, str, str] = ANA, channel: bool = False
    ) -> list[Sent]:
        """A message to the bot; what the bot sent back into that conversation."""
        if channel:
            activity = self.activity("message_channel_mention.json", person)
            activity["text"] = f"<at>kpi-coach</at> {text}"
            activity["entities"] = activity["entities"][:1]
        else:
            activity = self.activity("message_personal.json", person)
            activity["text"] = text
        return await self.send(activity)

    async def send(self, activity: dict[str, Any]) -> list[Sent]:
        before = len(self.connector.sent)
        response = await self.post(activity)
        assert response.status in (200, 201), await response.text()
        return self.connector.sent[before:]

    async def submit(
        self, value: dict[str, Any], person: tuple[str, str, str] = ANA, card: str | None = None
    ) -> list[Sent]:
        """An Action.Submit from the card `card` (a fresh card each time unless named)."""
        activity = self.activity("message_card_submit.json", person)
        activity["value"] = value
        activity["replyToId"] = card or uuid.uuid4().hex[:13]
        return await self.send(activity)

    async def meet(self, *people: tuple[str, str, str]) -> None:
        """First contact for each person, out of the way."""
        for person in people:
            await self.say("help", person)

    async def deliver(self) -> int:
        """Run the outbox worker until nothing is due."""
        return await self.http.server.app[SCHEDULING].worker.drain()


def text_of(sent: list[Sent]) -> str:
    return "\n".join(s.text for s in sent)


@pytest.fixture(scope="session")
def teams_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with scratch_database(tmp_path_factory.mktemp("teams"), "teams") as url:
        upgrade(url)
        yield url


@pytest.fixture
async def connector() -> AsyncIterator[MockConnector]:
    mock = MockConnector()
    await mock.start()
    for person in (ANA, BEN, LEA):
        mock.add_member(*person)
    yield mock
    await mock.stop()


def teams_settings(database_url: str, **env: str) -> Settings:
    """Loopback mode unless a test says otherwise: the tests post from this machine, unsigned."""
    env = {"TEAMS_LOOPBACK": "true", **env}
    return Settings(_env_file=None, DATABASE_URL=database_url, **env)  # type: ignore[call-arg]


@pytest.fixture
async def teams(
    teams_database: str, config: AppConfig, clock: FixedClock, connector: MockConnector
) -> AsyncIterator[TeamsClient]:
    app = make_app(teams_settings(teams_database), config, clock)
    async with TestClient(TestServer(app)) as http:
        client = TeamsClient(http, connector)
        yield client
        # What the last command queued goes out now, so no worker round is cut off mid-write
        # (holding the database) when the server stops.
        await client.deliver()
