"""Alembic owns the schema: upgrade from empty, downgrade to base, and no drift from the models."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url

from bot.config import async_database_url
from bot.migrate import downgrade, head_revision, upgrade
from storage.engine import make_engine
from storage.models import Base


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A database of its own, so going down to base disturbs no other test."""
    given = os.environ.get("TEST_DATABASE_URL")
    if not given:
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
        return
    url = make_url(async_database_url(given))
    name = f"kpicoach_migrations_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(url.render_as_string(hide_password=False), f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(url.render_as_string(hide_password=False), f'DROP DATABASE "{name}"'))


async def _admin(url: str, statement: str) -> None:
    engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _inspect(url: str) -> tuple[set[str], list[object]]:
    def read(connection: Connection) -> tuple[set[str], list[object]]:
        tables = set(inspect(connection).get_table_names())
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return tables, list(compare_metadata(context, Base.metadata))

    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(read)
    finally:
        await engine.dispose()


def test_upgrade_from_empty_matches_the_models_and_downgrades_to_base(empty_database: str) -> None:
    upgrade(empty_database)
    tables, diff = asyncio.run(_inspect(empty_database))
    assert set(Base.metadata.tables) <= tables
    assert diff == [], f"models and migrations differ; run `kpicoach new-migration`: {diff}"

    downgrade(empty_database, "base")
    tables, _ = asyncio.run(_inspect(empty_database))
    assert tables <= {"alembic_version"}

    upgrade(empty_database)  # and back up again, so every downgrade is reversible
    tables, diff = asyncio.run(_inspect(empty_database))
    assert set(Base.metadata.tables) <= tables
    assert diff == []


def test_there_is_one_head() -> None:
    assert head_revision() is not None


def test_upgrading_keeps_existing_people(empty_database: str) -> None:
    """A database with a member at 0001 upgrades to head, the member given the new defaults."""
    upgrade(empty_database, "0001")

    async def seed_and_read(statement: str) -> list[tuple[object, ...]]:
        engine = make_engine(empty_database)
        try:
            async with engine.begin() as connection:
                if statement.startswith("INSERT"):
                    await connection.execute(text(statement))
                    return []
                return [tuple(r) for r in await connection.execute(text(statement))]
        finally:
            await engine.dispose()

    asyncio.run(
        seed_and_read(
            "INSERT INTO workspace (id, platform, external_id, name, created_at) "
            "VALUES (1, 'slack', 'T1', 'T1', '2026-01-01 00:00:00+00:00')"
        )
    )
    asyncio.run(
        seed_and_read(
            "INSERT INTO member (id, workspace_id, platform_user_id, display_name, time_zone, "
            "working_days, is_active, created_at) VALUES (1, 1, 'U1', 'Ana', 'UTC', 'mon', true, "
            "'2026-01-01 00:00:00+00:00')"
        )
    )
    upgrade(empty_database)
    rows = asyncio.run(
        seed_and_read("SELECT display_name, work_start, is_admin, nudges_paused FROM member")
    )
    assert rows == [("Ana", "09:00", False, False)]
