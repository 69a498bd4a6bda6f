"""SQLite made to behave like our PostgreSQL: foreign keys, Unicode lower(), readers that never
wait for writers, and writers that queue instead of failing.

WAL mode lets a reader see the last commit while a writer works. Each transaction begins with
its first statement: `BEGIN IMMEDIATE` when that is a write (it waits its turn on the write lock,
sqlite3's busy timeout), a plain deferred `BEGIN` when it is a read, so a command that only
reads never holds or waits for the write lock.

A transaction that read first and then writes cannot simply go on: SQLite refuses to turn a
read snapshot older than another writer's commit into a write (SQLITE_BUSY_SNAPSHOT, "database
is locked", without waiting). Having written nothing yet, it ends the read transaction and
begins again with `BEGIN IMMEDIATE`, its open savepoints made again, so its writes start from
the latest commit: what PostgreSQL's default READ COMMITTED gives every statement anyway, and
the code runs on both.

Where a transaction stands is recorded once its BEGIN has run, not when it is queued: a `BEGIN
IMMEDIATE` refused the write lock (the busy timeout ran out) began nothing, and a caller that
catches "database is locked" and goes on gets a transaction at its next statement, not
statements that each commit by themselves.

A write that is a whole transaction by itself (its statement carries the `ALONE` execution
option) is sent with no BEGIN at all: SQLite takes the write lock for it alone, waiting its turn
as `BEGIN IMMEDIATE` would, and commits it as it ends, in the same trip to the driver's thread.
"""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy.engine import Connection

from storage import sqlite_driver

# Keys in a connection's `info`: where its transaction stands, and its savepoints' names.
STATE = "kpicoach_sqlite_transaction"
SAVEPOINTS = "kpicoach_sqlite_savepoints"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
# The execution option of a write that is a whole transaction by itself: see above. Each such
# statement commits as it ends, whatever the transaction it was sent in does next.
ALONE = "kpicoach_sqlite_alone"


class State(enum.Enum):
    PENDING = "pending"  # SQLAlchemy began one; SQLite has not heard of it yet
    READING = "reading"  # a deferred BEGIN: a snapshot, no lock held against writers
    WRITING = "writing"  # BEGIN IMMEDIATE: this connection holds the write lock


# A statement sent ahead of another, and where the transaction stands once it has run.
Step = tuple[str, State | None]


def on_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless asked per connection, and our workspace scoping relies
    # on them. The driver's own transaction handling also breaks SAVEPOINT; SQLAlchemy's
    # documented recipe is to switch it off and emit BEGIN ourselves (see before_statement).
    dbapi_connection.isolation_level = None
    # SQLite's own lower() only knows ASCII; names like "Élodie" or "Über-Umsatz" must match
    # case-insensitively just as they do on PostgreSQL.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode")
    if cursor.fetchone()[0] not in ("wal", "memory"):  # persistent: set once per file
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def on_connect_for_migrations(dbapi_connection: Any, record: Any) -> None:
    on_connect(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.close()


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def begin_immediately(connection: Connection) -> None:
    """Migrations keep the write lock from the start: a schema change is one whole step."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def begin_later(connection: Connection) -> None:
    """The transaction begins with its first statement (see before_statement)."""
    connection.info[STATE] = State.PENDING
    connection.info[SAVEPOINTS] = []


def before_statement(
    connection: Connection,
    cursor: Any,
    statement: str,
    _parameters: Any,
    context: Any,
    _executemany: bool,
) -> None:
    state = connection.info.get(STATE)
    if state is None or state is State.WRITING:
        return  # outside any transaction (a PRAGMA), or holding the write lock already
    word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    writes = word in WRITES
    if state is State.PENDING and writes and _alone(context):
        return  # SQLite's own transaction for the one statement; the next one begins anew
    # Made again after a fresh BEGIN. A transaction still PENDING has none, unless it read,
    # then was refused the write lock after its read ended (below).
    savepoints: list[Step] = [(f"SAVEPOINT {n}", None) for n in connection.info[SAVEPOINTS]]
    if state is State.PENDING:
        begin = ("BEGIN IMMEDIATE", State.WRITING) if writes else ("BEGIN", State.READING)
        _ahead(connection, cursor, [begin, *savepoints])
    elif writes:  # READING: nothing written yet, so nothing is lost by starting afresh
        steps = [("COMMIT", State.PENDING), ("BEGIN IMMEDIATE", State.WRITING), *savepoints]
        _ahead(connection, cursor, steps)
    if word == "SAVEPOINT":
        connection.info[SAVEPOINTS].append(statement.split()[1])
    elif word == "RELEASE":
        _forget_savepoint(connection, statement.split()[-1])


def _alone(context: Any) -> bool:
    options = getattr(context, "execution_options", None)
    return bool(options and options.get(ALONE))


def _ahead(connection: Connection, cursor: Any, steps: list[Step]) -> None:
    """Send the statements before the one about to run: in its own trip to the driver's thread
    on our driver (storage.sqlite_driver), else one call each. Where the transaction stands is
    recorded as each has run, not before: a `BEGIN IMMEDIATE` refused the write lock ("database
    is locked") began nothing, and a caller that catches that and goes on must begin again."""
    info = connection.info

    def ran(count: int) -> None:
        for _, state in steps[:count]:
            if state is not None:
                info[STATE] = state

    driver = connection.connection.driver_connection
    if isinstance(driver, sqlite_driver.Connection):
        driver.ahead([statement for statement, _ in steps], ran)
        return
    for count, (statement, _) in enumerate(steps, 1):
        cursor.execute(statement)
        ran(count)


def ended(connection: Connection) -> None:
    """Committed or rolled back: statements until the next begin are outside any transaction.

    A connection invalidated mid-statement (a task cancelled during a query) is rolled back
    without its DBAPI connection, whose state went with it: reading `info` would reconnect."""
    if not connection.invalidated:
        connection.info.pop(STATE, None)


def _forget_savepoint(connection: Connection, name: str) -> None:
    names: list[str] = connection.info[SAVEPOINTS]
    if name in names:
        del names[names.index(name) :]
