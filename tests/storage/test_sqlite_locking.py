"""SQLite: readers never hold the write lock, and a reader that turns writer still gets its turn.

Two engines on one file stand for two requests (or two processes). Before WAL and the lazy
`BEGIN`, every transaction took the write lock at its start, so a writer waited behind any
open read until sqlite3's busy timeout ran out and failed with "database is locked".
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from storage.engine import make_engine, make_sessionmaker
from storage.models import Platform, Workspace
from tests.conftest import NOW


@pytest.fixture
async def two(own_database: str) -> AsyncIterator[list[async_sessionmaker[AsyncSession]]]:
    """Two engines on one SQLite file, with one workspace in it."""
    if not own_database.startswith("sqlite"):
        pytest.skip("SQLite's locking; PostgreSQL has its own MVCC")
    engines = [make_engine(own_database), make_engine(own_database)]
    try:
        first = make_sessionmaker(engines[0])
        async with first() as session, session.begin():
            session.add(Workspace(platform=Platform.SLACK, external_id="T1", created_at=NOW))
        yield [make_sessionmaker(e) for e in engines]
    finally:
        for engine in engines:
            await engine.dispose()


async def _rename(sessions: async_sessionmaker[AsyncSession], name: str) -> None:
    async with sessions() as session, session.begin():
        await session.execute(update(Workspace).values(external_id=name))


async def test_the_file_is_in_wal_mode(two: list[async_sessionmaker[AsyncSession]]) -> None:
    async with two[0]() as session:
        assert await session.scalar(text("PRAGMA journal_mode")) == "wal"


async def test_a_write_goes_through_while_a_read_is_open(
    two: list[async_sessionmaker[AsyncSession]],
) -> None:
    reader, writer = two
    async with reader() as session, session.begin():
        assert await session.scalar(select(Workspace.external_id)) == "T1"
        await _rename(writer, "T2")  # waited out the busy timeout, then failed, before
        # The read sees its own snapshot to its end.
        assert await session.scalar(select(Workspace.external_id)) == "T1"
    async with reader() as session:
        assert await session.scalar(select(Workspace.external_id)) == "T2"


async def test_a_read_that_turns_into_a_write_after_another_commit_is_not_refused(
    two: list[async_sessionmaker[AsyncSession]],
) -> None:
    """SQLite refuses to upgrade a snapshot older than another commit (SQLITE_BUSY_SNAPSHOT):
    the transaction starts afresh before its first write, keeping its savepoint."""
    mine, other = two
    async with mine() as session, session.begin():
        assert await session.scalar(select(func.count()).select_from(Workspace)) == 1
        await _rename(other, "T2")
        async with session.begin_nested():
            session.add(Workspace(platform=Platform.SLACK, external_id="T3", created_at=NOW))
            await session.flush()
        nested = await session.begin_nested()
        session.add(Workspace(platform=Platform.SLACK, external_id="T4", created_at=NOW))
        await session.flush()
        await nested.rollback()  # the savepoint made again after the upgrade undoes T4 alone
    async with other() as session:
        names = (await session.scalars(select(Workspace.external_id))).all()
    assert sorted(names) == ["T2", "T3"]


@pytest.fixture
async def locked_out(own_database: str) -> AsyncIterator[tuple[AsyncEngine, sqlite3.Connection]]:
    """An engine whose writers wait 50 ms for the write lock, and a connection of sqlite3's
    own, in no transaction yet, to hold that lock."""
    if not own_database.startswith("sqlite"):
        pytest.skip("SQLite's locking; PostgreSQL has its own MVCC")
    engine = make_engine(f"{own_database}?timeout=0.05")
    holder = sqlite3.connect(str(make_url(own_database).database), isolation_level=None)
    try:
        yield engine, holder
    finally:
        holder.close()
        await engine.dispose()


async def _refused(connection: AsyncConnection, holder: sqlite3.Connection) -> None:
    """A write on `connection` while `holder` keeps the write lock past the busy timeout."""
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError, match="database is locked"):
        await connection.execute(insert(Workspace).values(**_workspace("T1")))
    holder.execute("ROLLBACK")


def _workspace(external_id: str) -> dict[str, object]:
    return {"platform": Platform.SLACK, "external_id": external_id, "created_at": NOW}


async def _names(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.scalars(select(Workspace.external_id))).all())


async def test_a_transaction_whose_first_write_was_refused_the_lock_begins_with_the_next(
    locked_out: tuple[AsyncEngine, sqlite3.Connection],
) -> None:
    """Its `BEGIN IMMEDIATE` failed ("database is locked"), and the caller went on with the
    same transaction. It was recorded as begun all the same, so the next write went with no
    BEGIN, committed by itself, and outlived the rollback."""
    engine, holder = locked_out
    async with engine.connect() as connection:
        transaction = await connection.begin()
        await _refused(connection, holder)
        await connection.execute(insert(Workspace).values(**_workspace("T2")))
        await transaction.rollback()
    assert await _names(engine) == []


async def test_a_read_whose_write_was_refused_the_lock_begins_again_with_its_savepoint(
    locked_out: tuple[AsyncEngine, sqlite3.Connection],
) -> None:
    """A read turning writer ends its read transaction before `BEGIN IMMEDIATE`: refused the
    lock, it is in no transaction, and the next write begins one and makes its savepoint
    again, rather than run by itself with no savepoint to roll back to."""
    engine, holder = locked_out
    async with engine.connect() as connection:
        transaction = await connection.begin()
        assert await connection.scalar(select(func.count()).select_from(Workspace)) == 0
        nested = await connection.begin_nested()
        await _refused(connection, holder)
        await connection.execute(insert(Workspace).values(**_workspace("T2")))
        await nested.rollback()
        await connection.execute(insert(Workspace).values(**_workspace("T3")))
        await transaction.commit()
    assert await _names(engine) == ["T3"]
