"""What each benchmark counts beside time: the SQL statements an engine sends, and the most
parameters any one of them carried (an `IN` list that grows with the crew shows here)."""

from __future__ import annotations

from collections.abc import Sized

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


class Statements:
    """A running count of statements, read before and after the work being measured."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        self.widest = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: object) -> None:
        parameters, executemany = args[3], args[5]
        self.count += 1
        if not executemany and isinstance(parameters, Sized):
            self.widest = max(self.widest, len(parameters))
