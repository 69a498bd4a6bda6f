"""botbuilder is loaded when Teams is first needed, by an activity or by a send, not at start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import update

from bot.config import AppConfig
from bot.migrate import upgrade
from bot.server import TEAMS, make_app
from bot.teams import lazy
from rituals.core.context import FixedClock
from storage.engine import make_engine, make_sessionmaker
from storage.models import Outbox, OutboxStatus
from tests.bot.teams.conftest import ANA, TeamsClient, teams_settings, text_of
from tests.bot.teams.mock_connector import MockConnector
from tests.bot.teams.support import chat_of, rows
from tests.bot.teams.test_teams import queue
from tests.databases import scratch_database
from tests.scheduling import LONG_AGO


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Nothing in its outbox, so nothing a worker finds at start sends into Teams."""
    with scratch_database(tmp_path_factory.mktemp("lazy"), "lazy") as url:
        upgrade(url)
        yield url


async def due_now(database_url: str, row_id: int) -> None:
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            await session.execute(
                update(Outbox).where(Outbox.id == row_id).values(next_attempt_at=LONG_AGO)
            )
    finally:
        await engine.dispose()


async def met_then_queued(
    database: str, config: AppConfig, clock: FixedClock, connector: MockConnector, text: str
) -> str:
    """Ana met by a server since stopped, and a nudge to her queued: the workspace's tenant."""
    app = make_app(teams_settings(database), config, clock)
    async with TestClient(TestServer(app)) as http:
        before = TeamsClient(http, connector)
        await before.meet(ANA)
        await before.deliver()
    await queue(database, before.tenant, ANA[2], text)
    return before.tenant


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
    await met_then_queued(teams_database, config, clock, connector, "A nudge after")
    app = make_app(teams_settings(teams_database), config, clock)
    async with TestClient(TestServer(app)) as http:
        after = TeamsClient(http, connector)
        await after.deliver()
        assert app[TEAMS].loaded
    assert [s for s in chat_of(after, ANA) if "A nudge after" in s.text]


async def test_a_teams_that_cannot_be_loaded_puts_rows_off_unspent_and_loads_once_it_can(
    teams_database: str,
    config: AppConfig,
    clock: FixedClock,
    connector: MockConnector,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build that fails (a broken install, say) sent nothing: the row waits, with no attempt
    spent and no doubt raised, and goes out at the send after the build succeeds."""
    tenant = await met_then_queued(teams_database, config, clock, connector, "A nudge to wait")

    def broken() -> None:
        raise ImportError("botbuilder is broken")

    monkeypatch.setattr(lazy, "_load", broken)
    app = make_app(teams_settings(teams_database), config, clock)
    async with TestClient(TestServer(app)) as http:
        after = TeamsClient(http, connector)
        await after.deliver()
        assert not app[TEAMS].loaded
        (row,) = [
            r
            for r in await rows(teams_database, Outbox, tenant)
            if r.dedupe_key.startswith("test:")
        ]
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
        assert "Teams could not be loaded: ImportError" in (row.last_error or "")
        assert row.next_attempt_at > clock.now()
        monkeypatch.undo()
        await due_now(teams_database, row.id)
        await after.deliver()
        assert app[TEAMS].loaded
    assert [s for s in chat_of(after, ANA) if "A nudge to wait" in s.text]
