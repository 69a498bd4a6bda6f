"""The console's demo clock: a week of scheduled nudges in a few lines, through the real worker."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from bot.config import AppConfig
from bot.console.chat import ConsoleSender
from bot.console.demo import seed_demo
from bot.scheduler import scheduling
from bot.wiring import make_dispatcher
from rituals.core.context import FixedClock, ShiftedClock
from storage.engine import make_engine, make_sessionmaker
from storage.models import Platform
from tests.bot.console.support import demo_chat

SATURDAY = datetime(2026, 11, 21, tzinfo=UTC)


async def console_with_clock(url: str, config: AppConfig, script: list[str]) -> str:
    engine = make_engine(url)
    # Saturday 21 November, 00:00 UTC: the demo team is new, its first check-in is Monday.
    clock = ShiftedClock(FixedClock(SATURDAY))
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            await seed_demo(session, clock, "mon,tue,wed,thu,fri")
        out = io.StringIO()
        chat = demo_chat(make_dispatcher(engine, config, clock), script, out, clock=clock)
        async with scheduling(engine, config, {Platform.CONSOLE: ConsoleSender(chat)}, clock) as r:
            chat.rhythm = r
            await chat.run()
        return out.getvalue()
    finally:
        await engine.dispose()


async def test_moving_the_clock_shows_each_nudge_at_its_local_time(
    own_database: str, config: AppConfig
) -> None:
    transcript = await console_with_clock(
        own_database,
        config,
        [":clock +2d", ":clock +1d", "3", ":clock +2h", ":clock +9w", ":clock soon", ":quit"],
    )
    before, _, after = transcript.partition("ana> :clock +1d")
    assert "nudge:" not in before  # nothing on the weekend
    # Lea in Berlin, Ana in Lisbon, Ben in New York: each at ten o'clock their own time.
    assert after.count("-- nudge: Mon 10:00 their time, DM to") == 3
    order = [after.index(f"DM to {name} --") for name in ("Lea", "Ana", "Ben")]
    assert order == sorted(order)
    # Ana's own nudge has buttons she can press; the others' buttons are not hers.
    assert "-> snooze 2h" in after
    assert "Snoozed until" in after
    assert "Say how far to move, 15 minutes to 31 days ahead" in after
    assert after.count("Say how far to move") == 2
