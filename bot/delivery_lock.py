"""One outbox worker per SQLite file: SQLite has no row locks, so two workers on one file
could send a row twice. PostgreSQL needs no such lock (workers claim rows with SKIP LOCKED)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import make_url

from bot.config import ConfigError


@contextlib.contextmanager
def only_worker(database_url: str) -> Iterator[bool]:
    """On SQLite, hold a lock file beside the database for as long as this process delivers.

    SQLite has no row locks, so two workers on one file could send a row twice. Yields whether
    this worker is the only one (SQLite); raises ConfigError if another process holds the lock.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        yield False
        return
    if not url.database or url.database == ":memory:":
        yield True
        return
    database = Path(url.database).resolve()
    # The lock is taken on the database file itself, so it holds for the file, not for a name
    # of it: a second process reaching the same file through a hard link or another path finds
    # it held. (flock does not touch SQLite's own byte-range locks.) The note beside it only
    # says who holds it.
    holding: IO[bytes] = database.open("ab")
    note: IO[str] = database.with_suffix(".worker.lock").open("a+")
    handles: tuple[IO[Any], ...] = (holding, note)
    try:
        try:
            fcntl.flock(holding, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            note.seek(0)
            holder = note.read().strip() or "another process"
            raise ConfigError(
                f"{holder} already runs the scheduler on {url.database}. SQLite allows one: "
                "stop it, or use PostgreSQL (DATABASE_URL) to run several."
            ) from None
        note.seek(0)
        note.truncate()
        note.write(f"kpicoach (pid {os.getpid()})")
        note.flush()
        yield True
    finally:
        for handle in handles:
            handle.close()
