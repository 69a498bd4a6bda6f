"""One real server for the fuzz runs: Slack (signed, against the mock Web API), Teams in
loopback mode (against the mock Bot Connector) and the dashboard, over HTTP on a free port.

The server lives for the module, so hypothesis's examples all hit the same process: what one
example leaves behind (a half-read body, a poisoned cache, a dead task) shows in the next one.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings, load_app_config
from bot.migrate import upgrade
from bot.server import make_app
from rituals.core.context import FixedClock
from tests.bot.slack.conftest import ANA, BEN, LEA, SECRET
from tests.bot.slack.mock_slack import MockSlack
from tests.bot.teams.mock_connector import MockConnector
from tests.conftest import NOW
from tests.databases import scratch_database
from tests.fuzz.doors import Doors, LogWatch
from tests.support import ROOT


@pytest.fixture(scope="module")
def fuzz_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with scratch_database(tmp_path_factory.mktemp("fuzz"), "fuzz") as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="module")
def log_watch() -> Iterator[LogWatch]:
    watch = LogWatch()
    root = logging.getLogger()
    root.addHandler(watch)
    try:
        yield watch
    finally:
        root.removeHandler(watch)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def doors(fuzz_database: str, log_watch: LogWatch) -> AsyncIterator[Doors]:
    slack_api = MockSlack(team_id="TFUZZ0001")
    await slack_api.start()
    for user, name in ((ANA, "Ana"), (BEN, "Ben"), (LEA, "Lea")):
        slack_api.add_user(user, name)
    connector = MockConnector()
    await connector.start()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        DATABASE_URL=fuzz_database,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=f"{slack_api.url}/api/",
        TEAMS_LOOPBACK="true",
        WEB_SECRET="f" * 40,
        PUBLIC_URL="http://127.0.0.1:3978",  # plain cookie names, as the web fuzz sends them
    )
    clock = FixedClock(NOW)
    app = make_app(settings, load_app_config(ROOT / "app.yaml"), clock)
    try:
        async with TestClient(TestServer(app)) as http:
            yield Doors(http, slack_api, connector, log_watch)
    finally:
        await connector.stop()
        await slack_api.stop()
