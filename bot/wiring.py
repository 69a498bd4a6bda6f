"""The composition root: settings in, the parts of a running bot out. Nothing at import time."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

import migrations
from bot.config import AppConfig, ConfigError
from bot.dispatch import Dispatcher
from bot.grammar import build_grammar
from rituals.core.context import Clock
from storage.engine import make_sessionmaker

VERSIONS = Path(migrations.__file__).parent / "versions"
# `revision: str = "0017"` and `down_revision: str | None = "0016"` (or a tuple, for a merge).
HEADER = re.compile(r"^(down_)?revision\b[^=\n]*=(.*)$", re.MULTILINE)


def make_dispatcher(engine: AsyncEngine, config: AppConfig, clock: Clock) -> Dispatcher:
    return Dispatcher(
        make_sessionmaker(engine),
        build_grammar(config.commands.slash),
        clock,
        config,
    )


async def check_schema(engine: AsyncEngine) -> None:
    """Refuse to run on a database the code's migrations have not reached."""
    try:
        async with engine.connect() as connection:
            current = await database_revision(connection)
    except Exception as exc:
        raise ConfigError(f"cannot open the database: {exc}".splitlines()[0]) from None
    head = code_revision()
    if current != head:
        raise ConfigError(
            f"the database is at migration {current or 'none'} but the code needs {head}: "
            "run `kpicoach migrate`"
        )


def code_revision() -> str | None:
    """The newest migration's id, read from the migration files' headers.

    Alembic (7 MiB resident, more with the mako and pygments it brings) would answer the same;
    a serving process would then carry it for its whole life to ask this once, so it is loaded
    only by `kpicoach migrate`. tests/bot/test_wiring.py checks both agree.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        for down, value in HEADER.findall(path.read_text()):
            (parents if down else revisions).update(re.findall(r"[\"'](\w+)[\"']", value))
    heads = revisions - parents
    if len(heads) > 1:
        raise ConfigError(f"the migrations have several heads ({', '.join(sorted(heads))})")
    return next(iter(heads), None)


async def database_revision(connection: AsyncConnection) -> str | None:
    """The migration the database is at (alembic's own table), None when it has none."""

    def read(sync: Connection) -> str | None:
        if not inspect(sync).has_table("alembic_version"):
            return None
        found = sync.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return str(found) if found is not None else None

    return await connection.run_sync(read)
