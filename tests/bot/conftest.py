"""Fixtures of the bot's delivery tests: the mock Slack Web API and an HTTP session to reach it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientSession

from tests.bot.slack.mock_slack import MockSlack


@pytest.fixture
async def slack_api() -> AsyncIterator[MockSlack]:
    api = MockSlack()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
async def http() -> AsyncIterator[ClientSession]:
    async with ClientSession() as session:
        yield session
