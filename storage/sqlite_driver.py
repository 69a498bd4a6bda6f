"""aiosqlite with at most one trip to its thread per statement, where SQLAlchemy's adapter
makes four; none for a quick read.

aiosqlite runs every sqlite3 call on the connection's own thread and wakes the event loop with
each result. SQLAlchemy's adapter makes four such calls for one statement (open a cursor,
execute, fetch the rows, close), and storage.sqlite one more for the BEGIN in front of a
transaction's first statement; the pool's reset after a commit makes another for a ROLLBACK with
nothing to undo. Each trip costs both threads a wake-up and a hand-off of the GIL, more than a
warm SQLite query itself: a `/kpi kpis` took eighteen of them for three statements.

Here a statement runs in one go: what storage.sqlite queued in front of it (its BEGIN), the
statement, all its rows (our queries are bounded; nothing streams), the cursor closed. In WAL
mode a read that took SQLite less than `INLINE_SECONDS` of CPU the last times runs so on the
event loop itself: it takes no lock a writer holds and never waits, so it is over in about the
time a trip would take. Outside WAL mode (SQLite may refuse to switch) every read goes to the
thread. Writes, and
anything that may wait for the write lock or the disk (BEGIN IMMEDIATE, a COMMIT after a
write), go to the thread. A COMMIT or ROLLBACK with no transaction open costs nothing, and one
that ends a read (it only lets go of a snapshot) runs on the loop.
"""

from __future__ import annotations

import sqlite3
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from functools import partial
from threading import Thread
from typing import Any

import aiosqlite

# What running a statement brings back: the cursor's description, rowcount, lastrowid, rows,
# and the seconds SQLite took.
Outcome = tuple[Any, int, int | None, list[Any], float]

# A read that took SQLite less than this last time runs on the event loop, where a trip to the
# thread and back costs about as much. One not seen yet, or slower last time (a larger
# workspace, a cold cache), goes to the thread and is timed there, so the loop is held up at
# most once by a read that turned slow.
INLINE_SECONDS = 0.0005
# Statements whose last time is kept: SQLAlchemy caches a few hundred; an `IN` list of every
# length is a statement of its own, so the memory starts again when it is full.
REMEMBERED = 4096
# A read once slow is remembered as slow: each quick run since halves what is remembered, so
# a statement whose cost depends on its parameters (a small workspace, then a large one)
# comes back to the loop only after many quick runs in a row, not after one.
SLOW = 1.0
_last_seconds: dict[str, float] = {}


def _quick(statement: str) -> bool:
    return _last_seconds.get(statement, INLINE_SECONDS) < INLINE_SECONDS


def _remember(statement: str, seconds: float) -> None:
    if len(_last_seconds) >= REMEMBERED:
        _last_seconds.clear()
    _last_seconds[statement] = max(seconds, _last_seconds.get(statement, 0.0) / 2)


def _run(
    connection: sqlite3.Connection,
    prelude: Sequence[str],
    statement: str,
    parameters: Any,
    many: bool,
    ran: list[str] | None = None,
) -> Outcome:
    """The prelude, the statement, every row, the cursor closed: on the connection's thread,
    or on the event loop for a quick read. `ran` gets each prelude statement SQLite ran."""
    start = time.thread_time()
    cursor = connection.cursor()
    try:
        for before in prelude:
            cursor.execute(before)
            if ran is not None:
                ran.append(before)
        if many:
            cursor.executemany(statement, parameters)
        else:
            cursor.execute(statement, parameters)
        rows = cursor.fetchall() if cursor.description else []
        took = time.thread_time() - start
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows, took
    finally:
        cursor.close()


def _reads(statement: str, prelude: Sequence[str], many: bool) -> bool:
    """A SELECT, begun (if at all) by a deferred BEGIN: it takes no lock a writer holds, so it
    never waits; nor does its transaction's end, which writes nothing."""
    return (
        not many
        and statement.lstrip()[:6].upper() == "SELECT"
        and all(before == "BEGIN" for before in prelude)
    )


class Connection(aiosqlite.Connection):
    """An aiosqlite connection whose cursors make one trip a statement.

    `prelude` holds statements to send ahead of the next one, in the same trip (storage.sqlite
    puts a transaction's BEGIN there, with `ahead`)."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self.prelude: list[str] = []
        self._heard: Callable[[int], None] | None = None  # told how much of the prelude ran
        self.trips = 0  # statements, COMMITs and ROLLBACKs sent to the thread: what each costs
        self._wrote = False  # in the open transaction: its end may write to disk
        self._wal: bool | None = None  # asked at the first read

    def cursor(self) -> Cursor:  # type: ignore[override]
        return Cursor(self)

    def ahead(self, statements: Sequence[str], heard: Callable[[int], None]) -> None:
        """Send `statements` in front of the next statement, in its trip; `heard` is told how
        many of them SQLite ran before that statement's result or error is given back, so
        that what they began is recorded only once it has: a `BEGIN IMMEDIATE` refused the
        write lock ("database is locked") began nothing."""
        self.prelude.extend(statements)
        self._heard = heard

    async def commit(self) -> None:
        await self._end(self._conn.commit)

    async def rollback(self) -> None:
        await self._end(self._conn.rollback)

    async def _end(self, how: Callable[[], None]) -> None:
        """COMMIT or ROLLBACK: nothing when no transaction is open, on the loop for a read (it
        only lets go of its snapshot), on the thread after a write (a COMMIT syncs to disk)."""
        self.prelude.clear()
        self._heard = None
        wrote, self._wrote = self._wrote, False
        if not self._conn.in_transaction:
            return
        if not wrote:
            how()
            return
        self.trips += 1
        await self._execute(how)  # type: ignore[no-untyped-call]

    async def _in_wal(self) -> bool:
        """Whether the database is in WAL mode, as SQLite says (asking to switch to it may not
        take: a file system that cannot share memory keeps the rollback journal)."""
        if self._wal is None:  # once a connection: not counted among the statements' trips
            mode = await self._execute(  # type: ignore[no-untyped-call]
                _run, self._conn, (), "PRAGMA journal_mode", (), False
            )
            self._wal = bool(mode[3]) and str(mode[3][0][0]).lower() == "wal"
        return self._wal

    async def trip(self, statement: str, parameters: Any, many: bool) -> Outcome:
        prelude, self.prelude = self.prelude, []
        heard, self._heard = self._heard, None
        went: list[str] = []  # the prelude's statements SQLite ran
        try:
            return await self._trip(prelude, went, statement, parameters, many)
        finally:
            if heard is not None:
                heard(len(went))

    async def _trip(
        self, prelude: list[str], went: list[str], statement: str, parameters: Any, many: bool
    ) -> Outcome:
        if not self._conn.in_transaction:
            self._wrote = False  # what ran before is committed: this begins afresh
        reads = _reads(statement, prelude, many)
        if not reads:
            self._wrote = True
        elif await self._in_wal() and _quick(statement):
            # In WAL mode a read takes no lock a writer holds, so it never sleeps in SQLite's
            # busy handler on the loop; in any other mode every read goes to the thread.
            try:
                outcome = _run(self._conn, prelude, statement, parameters, many, went)
            except BaseException:
                _remember(statement, SLOW)
                raise
            _remember(statement, outcome[4])
            return outcome
        self.trips += 1
        try:
            ran: Outcome = await self._execute(  # type: ignore[no-untyped-call]
                _run, self._conn, prelude, statement, parameters, many, went
            )
        except BaseException:
            if reads:
                _remember(statement, SLOW)  # a read that failed is not known to be quick
            raise
        if reads:
            _remember(statement, ran[4])
        return ran


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
        self.description, self.rowcount, self.lastrowid, rows, _ = outcome
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
    # Quick reads run on the event loop's thread, the rest on the connection's own; never both
    # at once: SQLAlchemy waits for each statement before it sends the next.
    kwargs["check_same_thread"] = False
    connection = Connection(partial(sqlite3.connect, database, **kwargs), iter_chunk_size)
    # As SQLAlchemy does for aiosqlite's own: a forgotten connection must not hold the
    # process open at exit. aiosqlite before 0.22 is itself the thread.
    thread = connection if isinstance(connection, Thread) else connection._thread
    thread.daemon = True
    return connection


def use_one_trip(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
    """The engine's `do_connect` hook: its new connections are ours."""
    cparams["async_creator_fn"] = connect
