"""Resident memory of an idle server: the whole app (Slack over HTTP, the Teams endpoint, the
tick and the outbox worker) started on a migrated SQLite file, then left alone for a moment.

Prints the resident set now (VmRSS) and at its peak (VmHWM), and which heavy optional
libraries were imported by then (matplotlib is imported by the first chart drawn).

    .venv/bin/python bench/memory.py [--idle-seconds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402

from bot.config import Settings, load_app_config  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.server import make_app  # noqa: E402
from rituals.core.context import SystemClock  # noqa: E402

HEAVY = ("matplotlib", "botbuilder.core", "PIL.Image")


def status(field: str) -> float:
    """A /proc/self/status figure in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


async def idle(url: str, seconds: float) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        DATABASE_URL=url,
        SLACK_BOT_TOKEN="xoxb-memory",
        SLACK_SIGNING_SECRET="memory-bench",
        SLACK_API_URL="http://127.0.0.1:9/api/",
    )
    app = make_app(settings, load_app_config(ROOT / "app.yaml"), SystemClock())
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        await asyncio.sleep(seconds)
        loaded = ", ".join(f"{m} {'yes' if m in sys.modules else 'no'}" for m in HEAVY)
        print(f"idle server: resident {status('VmRSS'):.0f} MiB, peak {status('VmHWM'):.0f} MiB")
        print(f"imported: {loaded}")
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-seconds", type=float, default=2.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'memory.db'}"
        upgrade(url)
        asyncio.run(idle(url, args.idle_seconds))


if __name__ == "__main__":
    main()
