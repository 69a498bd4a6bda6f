"""The property every fuzz example is held to, at each of the three doors.

Whatever comes in: never a 5xx, never a traceback in the response, in what the bot sends
anyone (Slack's Web API and response_urls, Teams' connector) or in the log, and the server
still answers /healthz afterwards. A refusal is a 4xx or a reply in plain words.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, settings

from bot.server import SCHEDULING
from bot.slack.http import SLACK
from tests.bot.slack.mock_slack import MockSlack
from tests.bot.teams.mock_connector import MockConnector

# A fixed seed and no saved examples: the same examples every run, so a failure is a bug,
# not luck, and prints the request that found it. Bounded, to keep `make test` quick.
FUZZ = settings(
    derandomize=True,
    database=None,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=False,
)

TRACEBACK_SIGNS = ("Traceback (most recent call last)", 'File "/', "Error:\n")


class LogWatch(logging.Handler):
    """Every record logged while the fuzz runs, to look for errors and tracebacks."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _bad_record(record: logging.LogRecord) -> bool:
    """An error, or anything carrying a traceback: a warning that names what was refused is fine."""
    return (
        record.levelno >= logging.ERROR
        or record.exc_info is not None
        or any(sign in record.getMessage() for sign in TRACEBACK_SIGNS)
    )


def _shows_traceback(text: str) -> bool:
    return any(sign in text for sign in TRACEBACK_SIGNS[:2])


class Doors:
    """The running server and the mocks it talks to (not a dataclass: hypothesis prints it
    beside every failing example, and its mocks hold every call)."""

    def __init__(
        self, http: TestClient, slack_api: MockSlack, connector: MockConnector, logs: LogWatch
    ) -> None:
        self.http = http
        self.slack_api = slack_api
        self.connector = connector
        self.logs = logs

    def __repr__(self) -> str:
        return "Doors()"

    async def exchange(self, what: str, request: Awaitable[ClientResponse]) -> tuple[int, str]:
        """Send one request and hold what follows to the property: its status and body."""
        calls, sent, logged = (
            len(self.slack_api.calls),
            len(self.connector.sent),
            len(self.logs.records),
        )
        response = await request
        body = await response.text(errors="replace")
        assert response.status < 500, f"{what}: {response.status} {body[:500]}"
        assert not _shows_traceback(body), f"{what}: a traceback in the response: {body[:2000]}"
        await self.settle()
        said = [json.dumps(c.args, ensure_ascii=False) for c in self.slack_api.calls[calls:]]
        said += [json.dumps(s.activity, ensure_ascii=False) for s in self.connector.sent[sent:]]
        for text in said:
            assert not _shows_traceback(text), f"{what}: the bot sent a traceback: {text[:2000]}"
        bad = [r for r in self.logs.records[logged:] if _bad_record(r)]
        assert not bad, f"{what}: logged {[self.logs.format(r) for r in bad]}"
        health = await self.http.get("/healthz")
        assert health.status == 200, f"after {what}: /healthz {health.status}"
        return response.status, body

    async def settle(self) -> None:
        """Wait for the work queued after Slack's ack, then send what it queued for others."""
        app = self.http.server.app
        await app[SLACK].backlog.settled()
        await app[SCHEDULING].worker.drain()
