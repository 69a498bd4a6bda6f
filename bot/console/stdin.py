"""Console input from a terminal or a pipe, without blocking the bot's loop."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import TextIO

ReadLine = Callable[[], Awaitable[str | None]]


def stdin_reader(stream: TextIO = sys.stdin) -> ReadLine:
    """Lines from a stream, read by a daemon thread so Ctrl-C never waits for Enter.

    Call it inside the running loop. After the end of input every read returns None.
    """
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        try:
            for line in iter(stream.readline, ""):
                loop.call_soon_threadsafe(lines.put_nowait, line.rstrip("\n"))
            loop.call_soon_threadsafe(lines.put_nowait, None)
        except RuntimeError:  # the loop closed while we waited for input: nothing to deliver
            return

    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    ended = False

    async def read() -> str | None:
        nonlocal ended
        if ended:
            return None
        line = await lines.get()
        ended = line is None
        return line

    return read
