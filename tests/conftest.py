"""Shared fixtures: a real, migrated database; each test runs in a transaction rolled back after.

SQLite by default; set TEST_DATABASE_URL to run the same tests on PostgreSQL (CI does).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.config import AppConfig, load_app_config
from bot.dispatch import Dispatcher
from bot.grammar import build_grammar
from bot.migrate import upgrade
from rituals.core.context import FixedClock
from storage.engine import make_engine
from tests.databases import reaches_database, scratch_database
from tests.support import ROOT, Chat, seed_people

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # a Monday morning


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the whole run: a new one beside TEST_DATABASE_URL when it is
    set (so parallel workers never share one), a SQLite file otherwise."""
    with scratch_database(tmp_path_factory.mktemp("db"), "test") as url:
        upgrade(url)
        yield url


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """CI runs the suite on SQLite, then again on PostgreSQL: a test that never reaches the
    database under test (browserless units, the Teams end-to-end check on its own SQLite)
    would only run twice, so the PostgreSQL pass skips it."""
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    once = pytest.mark.skip(reason="never reaches the database: runs in the SQLite pass only")
    for item in items:
        if not reaches_database(item):
            item.add_marker(once)


@pytest.fixture
def own_database(tmp_path: Path) -> Iterator[str]:
    """A migrated database of the test's own, for work that commits: several engines or
    processes sharing it, a worker killed half-way."""
    with scratch_database(tmp_path, "own") as url:
        upgrade(url)
        yield url


@pytest.fixture
async def connection(database_url: str) -> AsyncIterator[AsyncConnection]:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            outer = await conn.begin()
            yield conn
            await outer.rollback()
    finally:
        await engine.dispose()


@pytest.fixture
def sessions(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    """Sessions whose commits become savepoints inside the test's transaction."""
    return async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def config() -> AppConfig:
    return load_app_config(ROOT / "app.yaml")


@pytest.fixture
def dispatcher(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, config: AppConfig
) -> Dispatcher:
    return Dispatcher(sessions, build_grammar(config.commands.slash), clock, config)


@pytest.fixture
async def chat(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> Chat:
    """Two Slack workspaces: T1 with lead Lea and members Ana and Ben, T2 with lead Zed."""
    async with sessions() as session, session.begin():
        await seed_people(session, clock)
    return Chat(dispatcher)
