"""Engine and session factory. The caller owns the transaction: queries never commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import sqlite, sqlite_driver

# Connections kept open: a server's commands at once (bot.slack.app.RUNNING), its backlog
# workers, the replay check, the outbox worker and the tick all hold one at times. Fewer, and
# every burst opened and closed connections beyond the pool (a new PostgreSQL session, or a
# new SQLite thread, each time); the overflow is for what is rarer still.
POOL_SIZE = 16
POOL_OVERFLOW = 8


def make_engine(url: str, *, foreign_keys: bool = True) -> AsyncEngine:
    """An async engine for the URL, with SQLite made to honour foreign keys, in WAL mode, its
    reads never waiting for the write lock (see storage.sqlite).

    Migrations turn foreign keys off (SQLite's batch mode rebuilds a table by dropping it,
    which would cascade into every table that points at it) and take the write lock from the
    start: a schema change is one step.
    """
    engine = create_async_engine(
        url,
        pool_pre_ping=not url.startswith("sqlite"),
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
    )
    if engine.dialect.name == "sqlite":
        sync_engine: Engine = engine.sync_engine
        # Each statement one trip to aiosqlite's thread, not four (see storage.sqlite_driver).
        event.listen(sync_engine, "do_connect", sqlite_driver.use_one_trip)
        if foreign_keys:
            event.listen(sync_engine, "connect", sqlite.on_connect)
            event.listen(sync_engine, "begin", sqlite.begin_later)
            event.listen(sync_engine, "before_cursor_execute", sqlite.before_statement)
            for ending in ("commit", "rollback"):
                event.listen(sync_engine, ending, sqlite.ended)
        else:
            event.listen(sync_engine, "connect", sqlite.on_connect_for_migrations)
            event.listen(sync_engine, "begin", sqlite.begin_immediately)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def upsert(session: AsyncSession, table: Table) -> Any:
    """An INSERT that can take ON CONFLICT, in the dialect the session speaks: SQLite and
    PostgreSQL spell it alike, but SQLAlchemy builds it per dialect."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite_dialect.insert)(table)


def works_apart(session: AsyncSession) -> bool:
    """Whether the database works in a process of its own (PostgreSQL), so that our CPU and
    its can be busy at once; SQLite works in a thread of ours, under our interpreter's lock,
    where a statement written meanwhile only takes turns with what we compute."""
    return session.get_bind().dialect.name != "sqlite"
