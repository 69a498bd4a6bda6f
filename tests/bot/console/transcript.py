"""Console sessions for tests: a script of lines in, the whole transcript out."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.console.chat import ConsoleChat, ConsoleSender, ReadLine
from bot.console.demo import seed_demo
from bot.dispatch import Dispatcher
from bot.scheduler import scheduling
from bot.wiring import make_dispatcher
from rituals.core.context import Clock, FixedClock, ShiftedClock
from storage.engine import make_engine, make_sessionmaker
from storage.models import Platform

WORKING_DAYS = "mon,tue,wed,thu,fri"


def lines(script: Iterable[str]) -> ReadLine:
    pending = list(script)

    async def read() -> str | None:
        return pending.pop(0) if pending else None

    return read


def console(
    dispatcher: Dispatcher,
    script: list[str],
    out: io.StringIO,
    clock: ShiftedClock | None = None,
    exports: Path = Path("exports"),
) -> ConsoleChat:
    return ConsoleChat(
        dispatcher,
        lines(script),
        out,
        speaker="ana",
        working_days=WORKING_DAYS,
        default_time_zone="UTC",
        echo=True,
        exports=exports,
        clock=clock,
    )


async def session_of(
    dispatcher: Dispatcher,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    script: list[str],
    exports: Path = Path("exports"),
) -> str:
    """The demo team, then the script spoken as Ana (until `:as`): the transcript."""
    async with sessions() as session, session.begin():
        await seed_demo(session, clock, WORKING_DAYS)
    out = io.StringIO()
    await console(dispatcher, script, out, exports=exports).run()
    return out.getvalue()


async def clocked_session_of(
    url: str, config: AppConfig, start: datetime, script: list[str]
) -> str:
    """The same with the demo's clock and scheduler, so `:clock +1d` brings the nudges."""
    engine = make_engine(url)
    clock = ShiftedClock(FixedClock(start))
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            await seed_demo(session, clock, WORKING_DAYS)
        out = io.StringIO()
        chat = console(make_dispatcher(engine, config, clock), script, out, clock=clock)
        async with scheduling(engine, config, {Platform.CONSOLE: ConsoleSender(chat)}, clock) as r:
            chat.rhythm = r
            await chat.run()
        return out.getvalue()
    finally:
        await engine.dispose()
