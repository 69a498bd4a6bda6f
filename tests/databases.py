"""Databases of a test's own, for tests that must commit (a real server) or go down to base."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.config import async_database_url
from storage.engine import make_engine


@contextmanager
def scratch_database(folder: Path, prefix: str, given: str | None = None) -> Iterator[str]:
    """An empty database beside `given` (TEST_DATABASE_URL by default): a new PostgreSQL
    database dropped afterwards, a SQLite file in `folder` when none is given, or any other
    URL as it is."""
    given = given or os.environ.get("TEST_DATABASE_URL")
    if not given:
        yield f"sqlite+aiosqlite:///{folder / f'{prefix}.db'}"
        return
    url = make_url(async_database_url(given))
    if url.get_backend_name() != "postgresql":
        yield url.render_as_string(hide_password=False)
        return
    admin = url.render_as_string(hide_password=False)
    name = f"kpicoach_{prefix}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(admin, f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(admin, f'DROP DATABASE "{name}" WITH (FORCE)'))


async def _admin(url: str, statement: str) -> None:
    engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


# What a function names when it opens the database under test.
_ROUTES = {"scratch_database", "TEST_DATABASE_URL"}


def reaches_database(item: pytest.Item) -> bool:
    """Whether the test, or a fixture it uses, opens the database under test: every way there
    goes through `scratch_database` (or reads TEST_DATABASE_URL itself)."""
    functions = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)
    if info is not None:
        for definitions in info.name2fixturedefs.values():
            functions.extend(definition.func for definition in definitions)
    return any(_names_a_route(function) for function in functions)


def _names_a_route(function: object) -> bool:
    code = getattr(function, "__code__", None)
    if code is None:
        return False
    named = set(code.co_names) | {c for c in code.co_consts if isinstance(c, str)}
    return bool(named & _ROUTES)
