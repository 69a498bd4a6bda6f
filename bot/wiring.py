"""The composition root: settings in, the parts of a running bot out. Nothing at import time."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import AppConfig, ConfigError
from bot.dispatch import Dispatcher
from bot.grammar import build_grammar
from bot.migrate import current_revision, head_revision
from rituals.core.context import Clock
from storage.engine import make_sessionmaker


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
            current = await current_revision(connection)
    except Exception as exc:
        raise ConfigError(f"cannot open the database: {exc}".splitlines()[0]) from None
    head = head_revision()
    if current != head:
        raise ConfigError(
            f"the database is at migration {current or 'none'} but the code needs {head}: "
            "run `kpicoach migrate`"
        )
