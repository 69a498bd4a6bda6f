"""aiosqlite with one trip to its thread per statement, where SQLAlchemy's adapter makes four.

aiosqlite runs every sqlite3 call on the connection's own thread and wakes the event loop with
each result. SQLAlchemy's adapter makes four such calls for one statement (open a cursor,
execute, fetch the rows, close), and storage.sqlite one more for the BEGIN in front of a
transaction's first statement; the pool's reset after a commit makes another for a ROLLBACK with
nothing to undo. Each trip costs both threads a wake-up and a hand-off of the GIL, more than a
warm SQLite query itself: a `/kpi kpis` took eighteen of them for three statements.

Here a cursor's statement runs on the thread in one go: what storage.sqlite queued in front of
it (its BEGIN), the statement, all its rows (our queries are bounded; nothing streams), closing
the cursor. A COMMIT or ROLLBACK when SQLite has no transaction open returns at once: there is
nothing for the thread to do.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Generator, Sequence
from functools import partial
from threading import Thread
from typing import Any

import aiosqlite

# What one trip brings back: the cursor's description, rowcount, lastrowid and rows.
Outcome = tuple[Any, int, int | None, list[Any]]


def _run(
    connection: sqlite3.Connection,
    prelude: Sequence[str],
    statement: str,
    parameters: Any,
    many: bool,
) -> Outcome:
    """On the connection's thread: the prelude, the statement, every row, the cursor closed."""
    cursor = connection.cursor()
    try:
        for before in prelude:
            cursor.execute(before)
        if many:
            cursor.executemany(statement, parameters)
        else:
            cursor.execute(statement, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class Connection(aiosqlite.Connection):
    """An aiosqlite connection whose cursors make one trip a statement.

    `prelude` holds statements to send ahead of the next one, in the same trip (storage.sqlite
    puts a transaction's BEGIN there)."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self.prelude: list[str] = []
        self.trips = 0  # statements, COMMITs and ROLLBACKs sent to the thread: what each costs

    def cursor(self) -> Cursor:  # type: ignore[override]
        return Cursor(self)

    async def commit(self) -> None:
        self.prelude.clear()
        if self._conn.in_transaction:
            self.trips += 1
            await super().commit()

    async def rollback(self) -> None:
        self.prelude.clear()
        if self._conn.in_transaction:
            self.trips += 1
            await super().rollback()

    async def trip(self, statement: str, parameters: Any, many: bool) -> Outcome:
        prelude, self.prelude = self.prelude, []
        self.trips += 1
        outcome: Outcome = await self._execute(  # type: ignore[no-untyped-call]
            _run, self._conn, prelude, statement, parameters, many
        )
        return outcome


class Cursor:
    """What SQLAlchemy's adapter needs of an aiosqlite cursor, its rows already fetched.

    Awaitable and an async context manager, as `aiosqlite.Connection.cursor()` is: SQLAlchemy
    2.0 awaits it, 2.1 enters it."""

    arraysize = 1

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: deque[Any] = deque()

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._itself().__await__()

    async def _itself(self) -> Cursor:
        return self

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def execute(self, statement: str, parameters: Any = ()) -> Cursor:
        return await self._trip(statement, parameters, many=False)

    async def executemany(self, statement: str, parameters: Any) -> Cursor:
        return await self._trip(statement, parameters, many=True)

    async def _trip(self, statement: str, parameters: Any, many: bool) -> Cursor:
        outcome = await self._connection.trip(statement, parameters, many)
        self.description, self.rowcount, self.lastrowid, rows = outcome
        self._rows = deque(rows)
        return self

    async def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = self.arraysize if size is None else size
        return [self._rows.popleft() for _ in range(min(count, len(self._rows)))]

    async def fetchall(self) -> list[Any]:
        rows, self._rows = list(self._rows), deque()
        return rows

    async def close(self) -> None:
        self._rows.clear()


def connect(database: str, *, iter_chunk_size: int = 64, **kwargs: Any) -> Connection:
    """`aiosqlite.connect`, with our connection: SQLAlchemy's aiosqlite dialect calls it in
    place of aiosqlite's own (`async_creator_fn`, see `use_one_trip`)."""
    connection = Connection(partial(sqlite3.connect, database, **kwargs), iter_chunk_size)
    # As SQLAlchemy does for aiosqlite's own: a forgotten connection must not hold the
    # process open at exit. aiosqlite before 0.22 is itself the thread.
    thread = connection if isinstance(connection, Thread) else connection._thread
    thread.daemon = True
    return connection


def use_one_trip(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
    """The engine's `do_connect` hook: its new connections are ours."""
    cparams["async_creator_fn"] = connect
