"""Alembic, driven from our settings: `kpicoach migrate` and the tests use the same path."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncConnection

import migrations
from storage.engine import make_engine


def alembic_config(database_url: str) -> Config:
    """An Alembic config with no ini file: the URL comes from settings, never from a file."""
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def migrate(database_url: str, revision: str = "head") -> str:
    """Upgrade, and say in one line where the schema was and is: what `kpicoach migrate` prints
    (Alembic's own log said it in some twenty lines, before a newcomer's first console)."""
    before = asyncio.run(_revision_of(database_url))
    upgrade(database_url, revision)
    after = asyncio.run(_revision_of(database_url))
    if before == after:
        return f"The database is up to date (schema {after})."
    if before is None:
        return f"The database is set up (schema {after})."
    return f"The database is migrated from schema {before} to {after}."


async def _revision_of(database_url: str) -> str | None:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await current_revision(connection)
    finally:
        await engine.dispose()


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def new_revision(database_url: str, message: str) -> None:
    """Autogenerate a migration from the difference between the models and the database."""
    command.revision(alembic_config(database_url), message=message, autogenerate=True)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


async def current_revision(connection: AsyncConnection) -> str | None:
    def read(sync_connection: object) -> str | None:
        return MigrationContext.configure(sync_connection).get_current_revision()  # type: ignore[arg-type]

    return await connection.run_sync(read)
