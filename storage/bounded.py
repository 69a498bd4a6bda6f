"""Bounded `IN` lists: a query about many people or teams reads them a slice at a time.

A tick works on every person of every workspace at once. An `IN` list of that many values (or
`(lead, member)` pairs) is one parameter each: PostgreSQL parses a list of 10,000 pairs into an
expression deep enough to fail with "stack depth limit exceeded", asyncpg refuses more than
32,767 parameters, and SQLite more than 32,766. Slices of `LIMIT` keep every statement the same
size whatever the crew: a 100,000-person tick sends more statements, none of them bigger.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

# Values in one IN list. Pairs count once here and take two parameters each, so the widest
# statement stays a few thousand parameters: far from every limit above, and still few
# statements (20 for a 10,000-person check-in).
LIMIT = 500


def slices(values: Iterable[T], size: int = LIMIT) -> Iterator[list[T]]:
    """The values, in order, in lists of at most `size` (none when there are no values)."""
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def among(session: AsyncSession, column: Any, values: Collection[int]) -> ColumnElement[bool]:
    """`column IN (ids)`, for a slice of ids, as one parameter: on PostgreSQL `column =
    ANY(:ids)`, an array; on SQLite `column IN (SELECT value FROM json_each(:ids))`, the ids as
    a JSON array. The same rows and plans as an IN list, without SQLAlchemy rendering and
    binding each of the slice's values apart (near a tenth of a 10,000-person tick's CPU), and
    one statement text whatever the slice's length, so it is prepared once."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))  # type: ignore[no-any-return]
    each = func.json_each(bindparam(None, json.dumps(list(values)))).table_valued("value")
    return column.in_(select(each.c.value))  # type: ignore[no-any-return]
