"""Engine and session factory. The caller owns the transaction: queries never commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless asked per connection, and our workspace scoping relies
    # on them. The driver's own transaction handling also breaks SAVEPOINT; SQLAlchemy's
    # documented recipe is to switch it off and emit BEGIN ourselves (see _on_sqlite_begin).
    dbapi_connection.isolation_level = None
    # SQLite's own lower() only knows ASCII; names like "Élodie" or "Über-Umsatz" must match
    # case-insensitively just as they do on PostgreSQL.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_sqlite_connect_for_migrations(dbapi_connection: Any, record: Any) -> None:
    _on_sqlite_connect(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.close()


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _on_sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock up front, so concurrent transactions in one process wait
    # their turn (sqlite3's busy timeout) instead of failing when a read turns into a write.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, foreign_keys: bool = True) -> AsyncEngine:
    """An async engine for the URL, with SQLite made to honour foreign keys.

    Migrations turn them off: SQLite's batch mode rebuilds a table by dropping it, which would
    cascade into every table that points at it.
    """
    engine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        sync_engine: Engine = engine.sync_engine
        on_connect = _on_sqlite_connect if foreign_keys else _on_sqlite_connect_for_migrations
        event.listen(sync_engine, "connect", on_connect)
        event.listen(sync_engine, "begin", _on_sqlite_begin)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def upsert(session: AsyncSession, table: Table) -> Any:
    """An INSERT that can take ON CONFLICT, in the dialect the session speaks: SQLite and
    PostgreSQL spell it alike, but SQLAlchemy builds it per dialect."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
