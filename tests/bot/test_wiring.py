"""The schema check a server starts with, read without alembic, agrees with alembic."""

from __future__ import annotations

from pathlib import Path

from bot.migrate import head_revision
from bot.wiring import code_revision, database_revision
from storage.engine import make_engine


def test_the_code_revision_is_alembics_head() -> None:
    assert code_revision() == head_revision()


async def test_the_database_revision_is_the_head_once_migrated(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await database_revision(connection) == head_revision()
    finally:
        await engine.dispose()


async def test_an_empty_database_has_no_revision(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    try:
        async with engine.connect() as connection:
            assert await database_revision(connection) is None
    finally:
        await engine.dispose()
