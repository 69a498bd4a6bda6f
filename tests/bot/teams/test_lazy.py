"""botbuilder is loaded when Teams is first needed, by an activity or by a send, not at start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import AppConfig
from bot.migrate import upgrade
from bot.server import TEAMS, make_app
from rituals.core.context import FixedClock
from tests.bot.teams.conftest import ANA, TeamsClient, teams_settings, text_of
from tests.bot.teams.mock_connector import MockConnector
from tests.bot.teams.support import chat_of
from tests.bot.teams.test_teams import queue
from tests.databases import scratch_database


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Nothing in its outbox, so nothing a worker finds at start sends into Teams."""
    with scratch_database(tmp_path_factory.mktemp("lazy"), "lazy") as url:
        upgrade(url)
        yield url


async def test_teams_is_loaded_by_the_first_activity_which_is_answered(
    empty_database: str, config: AppConfig, clock: FixedClock, connector: MockConnector
) -> None:
    app = make_app(teams_settings(empty_database), config, clock)
    async with TestClient(TestServer(app)) as http:
        assert not app[TEAMS].loaded
        said = text_of(await TeamsClient(http, connector).say("help", ANA))
        assert "kpi-coach" in said
        assert app[TEAMS].loaded


async def test_a_process_that_took_no_activity_yet_sends_what_the_outbox_holds(
    teams_database: str, config: AppConfig, clock: FixedClock, connector: MockConnector
) -> None:
    """After a restart, a nudge to someone the bot met before goes out before anyone writes."""
    app = make_app(teams_settings(teams_database), config, clock)
    async with TestClient(TestServer(app)) as http:
        before = TeamsClient(http, connector)
        await before.meet(ANA)
        await before.deliver()
    await queue(teams_database, before.tenant, ANA[2], "A nudge after the restart")
    app = make_app(teams_settings(teams_database), config, clock)
    async with TestClient(TestServer(app)) as http:
        after = TeamsClient(http, connector)
        await after.deliver()
        assert app[TEAMS].loaded
    assert [s for s in chat_of(after, ANA) if "A nudge after the restart" in s.text]
