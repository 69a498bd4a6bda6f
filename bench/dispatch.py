"""How long one command takes from text to replies, on a real migrated database.

This is the budget a Slack ack has to fit in (3 s, and we want well under 100 ms), so it is
measured per command with the store warm: parse, resolve the person, run the ritual, commit.

    .venv/bin/python bench/dispatch.py [--runs 300] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from counting import Statements

from bot.config import load_app_config
from bot.console.demo import seed_demo
from bot.dispatch import Dispatcher, Identity
from bot.grammar import build_grammar
from bot.migrate import upgrade
from rituals.core.context import SystemClock
from storage.engine import make_engine, make_sessionmaker
from storage.models import Platform

ROOT = Path(__file__).resolve().parent.parent


def who(user: str) -> Identity:
    return Identity(Platform.CONSOLE, "demo", "Demo", user, user, "UTC", "mon,tue,wed,thu,fri")


async def measure(url: str, runs: int) -> None:
    """Print the median and p95 time and the SQL statements per command."""
    config = load_app_config(ROOT / "app.yaml")
    engine = make_engine(url)
    statements = Statements(engine)
    sessions = make_sessionmaker(engine)
    clock = SystemClock()
    async with sessions() as session, session.begin():
        await seed_demo(session, clock, "mon,tue,wed,thu,fri")
    dispatcher = Dispatcher(sessions, build_grammar("/kpi"), clock, config)
    for user in ("ana", "ben"):  # past the first-contact welcome, which is not what we time
        await dispatcher.greet(who(user))
    await dispatcher.handle_text(who("ana"), 'propose "Qualified leads" target 10 per week')

    cases = {
        "help": ("ana", "help"),
        "kpis (list)": ("ana", "kpis"),
        "bad input": ("ana", "propose x target ten per week"),
        "propose + retire": ("ben", None),
    }
    print(f"{'command':<18}{'median ms':>10}{'p95 ms':>9}{'SQL/cmd':>9}")
    for name, (user, text) in cases.items():
        timings = []
        before = statements.count
        for i in range(runs):
            start = time.perf_counter()
            if text is None:
                replies = await dispatcher.handle_text(
                    who(user), f'propose "Metric {i}" target 5 per week'
                )
                heading = replies[0].text.splitlines()[0]  # type: ignore[union-attr]
                kpi_id = heading.removeprefix("Proposed #").split(":")[0]
                await dispatcher.handle_text(who(user), f"retire {kpi_id} benchmark")
            else:
                await dispatcher.handle_text(who(user), text)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        per = (statements.count - before) / runs
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{name:<18}{statistics.median(timings):>10.2f}{p95:>9.2f}{per:>9.1f}")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        upgrade(url)
        asyncio.run(measure(url, args.runs))


if __name__ == "__main__":
    main()
