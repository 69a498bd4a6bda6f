"""SQLite's driver: one trip to its thread per statement, none for a quick read or a COMMIT
with nothing begun, and the same rows, counts and errors as aiosqlite's own cursors gave."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage import sqlite_driver
from storage.engine import make_engine
from storage.models import Platform, Workspace
from storage.sqlite import ALONE
from tests.conftest import NOW

WORKSPACES = Workspace.__table__


@pytest.fixture
async def engine(own_database: str) -> AsyncIterator[AsyncEngine]:
    if not own_database.startswith("sqlite"):
        pytest.skip("SQLite's driver; PostgreSQL's asyncpg is another")
    engine = make_engine(own_database)
    yield engine
    await engine.dispose()


@pytest.fixture(autouse=True)
def forgotten() -> None:
    """What the driver remembers of each statement's time is the process's: each test starts
    with none, whatever ran before it."""
    sqlite_driver._last_seconds.clear()


async def driver_of(connection: AsyncConnection) -> sqlite_driver.Connection:
    driver = (await connection.get_raw_connection()).driver_connection
    assert isinstance(driver, sqlite_driver.Connection)
    return driver


def workspace(external_id: str) -> dict[str, object]:
    return {"platform": Platform.SLACK, "external_id": external_id, "created_at": NOW}


async def test_a_quick_read_goes_to_the_thread_once_then_runs_on_the_loop(
    engine: AsyncEngine,
) -> None:
    async def read(connection: AsyncConnection) -> None:
        async with connection.begin():  # BEGIN rides with the first statement
            assert await connection.scalar(select(func.count()).select_from(Workspace)) == 0
            assert await connection.scalar(text("SELECT 1 + 1")) == 2

    async with engine.connect() as connection:
        driver = await driver_of(connection)
        before = driver.trips
        await read(connection)  # timed on the thread: one trip a statement, none to commit
        assert driver.trips - before == 2
        await read(connection)
        assert driver.trips - before == 2
    # Given back to the pool after its commit: no ROLLBACK with nothing to undo.
    async with engine.connect() as connection:
        assert (await driver_of(connection)) is driver
    assert driver.trips - before == 2


async def test_outside_wal_mode_every_read_goes_to_the_thread(engine: AsyncEngine) -> None:
    """Without WAL a read can wait for a writer's lock, in SQLite's busy handler: never on the
    loop. (SQLite may keep the rollback journal where WAL cannot work.)"""
    async with engine.connect() as connection:
        driver = await driver_of(connection)
        assert await driver._in_wal()
        driver._wal = False
        before = driver.trips
        for _ in range(3):
            assert await connection.scalar(text("SELECT 1 + 1")) == 2
            await connection.commit()
        assert driver.trips - before == 3


async def test_a_read_once_slow_or_failed_stays_on_the_thread_for_many_quick_runs(
    engine: AsyncEngine,
) -> None:
    """A statement whose cost depends on its parameters (a small workspace, then a large
    one) must not come back to the loop after one quick run; nor one that failed."""
    count_to = text(
        "SELECT (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
        "WHERE x < :most) SELECT count(*) FROM n)"
    )
    async with engine.connect() as connection, connection.begin():
        driver = await driver_of(connection)
        assert await connection.scalar(count_to, {"most": 1_000_000}) == 1_000_000
        before = driver.trips
        for _ in range(3):
            assert await connection.scalar(count_to, {"most": 1}) == 1
        assert driver.trips - before == 3  # quick now, but slow a moment ago: on the thread
        broken = text("SELECT no_such_column FROM workspace")
        sqlite_driver._last_seconds[str(broken)] = 0.0  # known as quick
        with pytest.raises(Exception, match="no_such_column"):
            await connection.execute(broken)
        assert not sqlite_driver._quick(str(broken))


async def test_a_slow_read_stays_on_the_thread(engine: AsyncEngine) -> None:
    """Counting to a million takes SQLite tens of milliseconds: too long to hold the loop."""
    slow = text(
        "SELECT (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
        "WHERE x < 1000000) SELECT count(*) FROM n)"
    )
    async with engine.connect() as connection:
        driver = await driver_of(connection)
        before = driver.trips
        for _ in range(2):
            assert await connection.scalar(slow) == 1_000_000
        assert driver.trips - before == 2


async def test_a_write_and_its_commit_go_to_the_thread(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        driver = await driver_of(connection)
        for external_id in ("T1", "T2"):
            before = driver.trips
            async with connection.begin():
                await connection.execute(insert(WORKSPACES).values(workspace(external_id)))
            assert driver.trips - before == 2


async def test_a_transaction_that_sent_nothing_costs_no_trip(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        driver = await driver_of(connection)
        before = driver.trips
        async with connection.begin():
            pass
        transaction = await connection.begin()
        await transaction.rollback()
        assert driver.trips == before


async def test_rows_counts_and_errors_come_back_as_the_driver_gave_them(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as connection:
        ids = (
            await connection.scalars(
                insert(WORKSPACES).returning(WORKSPACES.c.id),
                [workspace("T1"), workspace("T2"), workspace("T3")],
            )
        ).all()
        assert len(ids) == 3
        renamed = await connection.execute(
            update(WORKSPACES).where(WORKSPACES.c.id.in_(ids[:2])).values(name="renamed")
        )
        assert renamed.rowcount == 2
        rows = await connection.execute(select(WORKSPACES.c.external_id).order_by("id"))
        assert rows.fetchone() == ("T1",)
        assert rows.fetchall() == [("T2",), ("T3",)]
    async with engine.connect() as connection:
        with pytest.raises(IntegrityError):
            async with connection.begin():
                await connection.execute(insert(WORKSPACES).values(workspace("T1")))
        # The connection goes on, its failed transaction undone.
        async with connection.begin():
            assert await connection.scalar(select(func.count()).select_from(Workspace)) == 3


async def test_a_write_alone_commits_as_it_ends_and_others_wait_for_the_commit(
    engine: AsyncEngine,
) -> None:
    alone = insert(WORKSPACES).execution_options(**{ALONE: True})
    async with engine.connect() as mine, engine.connect() as other:
        driver = await driver_of(mine)
        before = driver.trips
        transaction = await mine.begin()
        await mine.execute(alone, [workspace("T1")])
        assert not driver.in_transaction
        async with other.begin():  # seen at once, by anyone
            assert await other.scalar(select(WORKSPACES.c.external_id)) == "T1"
        await mine.execute(insert(WORKSPACES).values(workspace("T2")))
        assert driver.in_transaction  # an ordinary write holds its transaction open
        await transaction.rollback()
        assert driver.trips - before == 3  # two statements, one ROLLBACK; no BEGIN, no COMMIT
    async with engine.connect() as connection:
        names = (await connection.scalars(select(WORKSPACES.c.external_id))).all()
    assert names == ["T1"]


async def test_a_first_write_that_fails_after_its_begin_leaves_the_transaction_begun(
    engine: AsyncEngine,
) -> None:
    """The BEGIN in front of a refused statement did run: the caller goes on in that same
    transaction (no second BEGIN, which SQLite refuses inside one), and its rollback undoes
    what came next."""
    async with engine.begin() as connection:
        await connection.execute(insert(WORKSPACES).values(workspace("T1")))
    async with engine.connect() as connection:
        transaction = await connection.begin()
        with pytest.raises(IntegrityError):
            await connection.execute(insert(WORKSPACES).values(workspace("T1")))
        await connection.execute(insert(WORKSPACES).values(workspace("T2")))
        await transaction.rollback()
        names = (await connection.scalars(select(WORKSPACES.c.external_id))).all()
    assert names == ["T1"]
