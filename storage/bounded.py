"""Bounded `IN` lists: a query about many people or teams reads them a slice at a time.

A tick works on every person of every workspace at once. An `IN` list of that many values (or
`(lead, member)` pairs) is one parameter each: PostgreSQL parses a list of 10,000 pairs into an
expression deep enough to fail with "stack depth limit exceeded", asyncpg refuses more than
32,767 parameters, and SQLite more than 32,766. Slices of `LIMIT` keep every statement the same
size whatever the crew: a 100,000-person tick sends more statements, none of them bigger.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

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
