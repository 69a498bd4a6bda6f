"""The bulk insert of the ledger and the outbox: a slice of rows in one statement, each value
processed once.

A 10,000-person check-in writes 10,000 ledger rows and 10,000 outbox rows. Through
SQLAlchemy's executemany each row's every value was rendered, processed and bound one at a
time; yet most columns hold the same value in every row of a tick (its workspace, ritual,
period, status, time). So a column whose value is the same in every row goes once, as one
parameter, and only the columns that differ go per row:

- on PostgreSQL as one array per column, which asyncpg encodes in C and `unnest` turns back
  into rows, so the statement has a dozen parameters whatever the number of rows;
- on SQLite, which has no arrays, as a `VALUES` list of at most `PARAMETERS` parameters,
  run through the driver directly, each value processed as its column's type would.

JSON columns take their JSON text, encoded by the caller (the tick fills one text per message
kind: `bot.payload.Template`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Dialect, Integer, String, Table, TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.types import UtcDateTime

# SQLite's parameters in one statement: its old limit, far below today's, so a statement stays
# one any SQLite reads and as wide as the widest the bench reports.
PARAMETERS = 999

Rows = Sequence[Mapping[str, object]]


def is_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


@dataclass(frozen=True)
class Shape:
    """One write's statement, whatever its rows: the table, its columns, those given once,
    the column a conflict is about, and the one to return."""

    table: Table
    names: tuple[str, ...]
    same: tuple[str, ...]
    conflict: str
    returning: str | None

    @property
    def varying(self) -> list[str]:
        return [n for n in self.names if n not in self.same]

    def ending(self) -> str:
        done = f"ON CONFLICT ({self.conflict}) DO NOTHING"
        return f"{done} RETURNING {self.returning}" if self.returning else done


async def insert_ignoring(
    session: AsyncSession,
    table: Table,
    rows: Rows,
    conflict: str,
    returning: str | None = None,
) -> list[Any]:
    """Insert the rows (dicts with the same keys) in as few statements as it takes, skipping
    any whose `conflict` column is taken (ON CONFLICT DO NOTHING); the `returning` column of
    the rows written, when asked."""
    if not rows:
        return []
    names = tuple(rows[0])
    # The conflict column differs from row to row: it keeps at least one column per row.
    same = tuple(n for n in names if n != conflict and _same(rows, n))
    shape = Shape(table, names, same, conflict, returning)
    if is_postgresql(session):
        return await _unnest(session, shape, rows)
    return await _values(session, shape, rows)


def _same(rows: Rows, name: str) -> bool:
    first = rows[0][name]
    return all(row[name] == first for row in rows)


# --- PostgreSQL ---------------------------------------------------------------------------


async def _unnest(session: AsyncSession, shape: Shape, rows: Rows) -> list[Any]:
    dialect = session.get_bind().dialect
    parameters: dict[str, Any] = {}
    for name in shape.names:
        process = _processor(shape.table, name, dialect)
        if name in shape.same:
            parameters[name] = process(rows[0][name])
        else:
            parameters[name] = [process(row[name]) for row in rows]
    result = await session.execute(_unnest_statement(shape), parameters)
    return list(result.scalars().all()) if shape.returning else []


@functools.cache
def _unnest_statement(shape: Shape) -> TextClause:
    # Strings go as text: a cast to varchar(n) would cut a long value short where the
    # INSERT's own assignment rejects it.
    table = shape.table
    arrays = ", ".join(f"CAST(:{n} AS {_array_type(table, n)}[])" for n in shape.varying)
    picked = ", ".join(
        _as_json(table, n, f"CAST(:{n} AS {_array_type(table, n)})" if n in shape.same else n)
        for n in shape.names
    )
    return text(
        f"INSERT INTO {table.name} ({', '.join(shape.names)}) SELECT {picked} "
        f"FROM unnest({arrays}) AS given({', '.join(shape.varying)}) {shape.ending()}"
    )


def _array_type(table: Table, name: str) -> str:
    """The type a column's values travel in; a type not named here is refused, so a new
    column cannot be cast silently into something that bends it (a naive time, say)."""
    kind = table.c[name].type
    if isinstance(kind, Integer):
        return "bigint"  # the INSERT's assignment checks it fits the column
    if isinstance(kind, UtcDateTime):
        return "timestamptz"
    if isinstance(kind, String | JSON):
        return "text"  # strings, enums stored as their values, and JSON as its text
    raise TypeError(f"{table.name}.{name}: no array type for {kind!r} in storage.bulk")


def _as_json(table: Table, name: str, source: str) -> str:
    return f"CAST({source} AS json)" if isinstance(table.c[name].type, JSON) else source


# --- SQLite -------------------------------------------------------------------------------


async def _values(session: AsyncSession, shape: Shape, rows: Rows) -> list[Any]:
    connection = await session.connection()
    dialect = connection.dialect
    fixed = [_processor(shape.table, n, dialect)(rows[0][n]) for n in shape.same]
    processors = [(n, _processor(shape.table, n, dialect)) for n in shape.varying]
    per_statement = max(1, (PARAMETERS - len(fixed)) // len(processors))
    written: list[Any] = []
    for start in range(0, len(rows), per_statement):
        part = rows[start : start + per_statement]
        given = [process(row[n]) for row in part for n, process in processors]
        sql = _values_statement(shape, len(part))
        result = await connection.exec_driver_sql(sql, (*fixed, *given))
        if shape.returning:
            written.extend(result.scalars().all())
    return written


@functools.cache
def _values_statement(shape: Shape, count: int) -> str:
    # SQLite names a VALUES list's columns column1, column2...; the WHERE settles that ON
    # CONFLICT belongs to the INSERT, not to a join.
    column = {n: f"column{i}" for i, n in enumerate(shape.varying, 1)}
    picked = ", ".join("?" if n in shape.same else column[n] for n in shape.names)
    row = f"({', '.join('?' * len(column))})"
    return (
        f"INSERT INTO {shape.table.name} ({', '.join(shape.names)}) SELECT {picked} "
        f"FROM (VALUES {', '.join([row] * count)}) WHERE true {shape.ending()}"
    )


# --- both -----------------------------------------------------------------------------------


def _unchanged(value: Any) -> Any:
    return value


_processors: dict[tuple[Table, str, str], Callable[[Any], Any]] = {}


def _processor(table: Table, name: str, dialect: Dialect) -> Callable[[Any], Any]:
    """How one value is bound, as its column's type binds it (an enum as its value, a time in
    UTC, in SQLite's text form there); a JSON column's value is its text already. Kept per
    dialect's name: every engine has a dialect of its own, with the same processors."""
    key = (table, name, dialect.name)
    if key not in _processors:
        kind = table.c[name].type
        process = kind.dialect_impl(dialect).bind_processor(dialect)
        _processors[key] = _check_text if isinstance(kind, JSON) else process or _unchanged
    return _processors[key]


def _check_text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a JSON column takes its JSON text here, not {type(value).__name__}")
    return value
