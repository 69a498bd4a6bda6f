"""SQLite: readers never hold the write lock, and a reader that turns writer still gets its turn.

Two engines on one file stand for two requests (or two processes). Before WAL and the lazy
`BEGIN`, every transaction took the write lock at its start, so a writer waited behind any
open read until sqlite3's busy timeout ran out and failed with "database is locked".
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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
