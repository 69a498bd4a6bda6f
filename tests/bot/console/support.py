"""Steps the console tests share: a scripted session run through the real console, and its
transcript read back (a turn, a DM, a proposed KPI's number)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.console.chat import ConsoleChat, ReadLine
from bot.console.demo import seed_demo
from bot.dispatch import Dispatcher
from rituals.core.context import FixedClock, ShiftedClock


def lines(script: Iterable[str]) -> ReadLine:
    pending = list(script)

    async def read() -> str | None:
        return pending.pop(0) if pending else None

    return read


def demo_chat(
    dispatcher: Dispatcher,
    script: Iterable[str],
    out: io.StringIO,
    speaker: str = "ana",
    clock: ShiftedClock | None = None,
) -> ConsoleChat:
    """A console chat as the demo runs one: weekdays, UTC, each typed line echoed so that the
    transcript reads like the screen, `script` typed as `speaker`."""
    return ConsoleChat(
        dispatcher,
        lines(script),
        out,
        speaker=speaker,
        working_days="mon,tue,wed,thu,fri",
        default_time_zone="UTC",
        echo=True,
        clock=clock,
    )


async def run_console(
    dispatcher: Dispatcher,
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    script: list[str],
) -> str:
    async with sessions() as session, session.begin():
        await seed_demo(session, clock, "mon,tue,wed,thu,fri")
    out = io.StringIO()
    chat = demo_chat(dispatcher, script, out)
    await chat.run()
    return out.getvalue()


def turn(transcript: str, prompt: str) -> str:
    """What the console showed after the one line typed at `prompt` (e.g. "lea> digest"),
    up to the next prompt of the chat."""
    assert transcript.count(f"\n{prompt}\n") == 1, prompt
    after = transcript.split(f"\n{prompt}\n", 1)[1]
    return re.split(r"\n[a-z]+> ", after, maxsplit=1)[0]


def flat(text: str) -> str:
    """The words, without the console's line wrapping."""
    return " ".join(text.split())


def dm(shown: str, to: str) -> str:
    """The DM to `to` among what a turn showed: its lines, up to the next DM or the end."""
    assert shown.count(f"(direct message to {to})") == 1, shown
    return shown.split(f"(direct message to {to})\n", 1)[1].split("(direct message to")[0]


PROPOSE = 'propose "Qualified leads" target 10 leads per week growth "run discovery calls alone"'


def proposed(transcript: str) -> str:
    found = re.search(r"== Proposed #(\d+): Qualified leads ==", transcript)
    assert found, transcript
    return found[1]
