"""Decline detection over a team of 50, built on years of history: time and SQL statements.

One Slack workspace, one team of 50 (a lead and 49 members), each with three active weekly KPIs
filed under the team, and behind them N weeks of history: a value a week for every KPI, logged
the Monday after, drifting a few percent up or down. About one KPI in seven fell sharply last
week (by 25 to 50%); now and then a value was corrected (a newer row for the same period), and
a few KPIs' last week was first logged as a slip that looked like a fall, then corrected back;
about one in eleven has not been logged for a month, so it is too stale to be news. "Today" is
Wednesday 25 November 2026. Then it measures, in a fresh session already in its transaction, as
a handler's is, and with the garbage collector set as `serve` sets it (all that was loaded
frozen out of its sweeps, and its thresholds raised: bot/cli.py):

- declines: `rituals.numbers.commands.team_declines` for the team, with a threshold of 20%: its
  KPIs (one query), their values of the last periods (one query), and `detect` on each KPI's
  latest period.

It prints the median and p95 wall time over --runs detections (after one to warm up), the SQL
statements one detection sends, the KPIs checked and the declines found, for each history
length given, each in a database of its own: the target is under 50 ms, and the same number of
statements however long the history. It asserts nothing.

    .venv/bin/python bench/declines.py [--weeks 26 104] [--runs 50] [--members 50]
                                       [--database-url URL]

A PostgreSQL URL (postgresql+asyncpg://user@host/db) gets a scratch database beside it for each
history length, dropped at the end; the default is a SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import sys
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counting import Statements  # noqa: E402
from scripts import (  # noqa: E402
    SEED,
    TEAM_ID,
    THIS_MONDAY,
    TODAY,
    Figures,
    History,
    at,
    seed,
    team_and_kpis,
    timed,
)
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from bot.migrate import upgrade  # noqa: E402
from rituals.core.schedule import week_name  # noqa: E402
from rituals.numbers.commands import team_declines  # noqa: E402
from rituals.numbers.declines import Decline  # noqa: E402
from rituals.numbers.store import active_team_kpis  # noqa: E402
from storage.engine import make_engine, make_sessionmaker  # noqa: E402
from storage.models import Kpi, KpiValue  # noqa: E402
from tests.databases import scratch_database  # noqa: E402

WORKSPACE_ID = 1
THRESHOLD = 20  # percent, the team setting's default
STALE_WEEKS = 4  # a stale KPI's last value is this many weeks old
SERVED_GC_THRESHOLD = (20_000, 20, 20)  # as `serve` sets it, after gc.freeze()


def falls(kpi_id: int) -> bool:
    """About one KPI in seven fell sharply last week (fixed, so a small team has some too)."""
    return kpi_id % 7 == 3


def stale(kpi_id: int) -> bool:
    """About one in eleven has not been logged for a month."""
    return kpi_id % 11 == 5 and not falls(kpi_id)


def kpi_values(history: History, rng: random.Random, weeks: int) -> None:
    """A value a week for every KPI, logged the Monday after, moving at most 8 a week from 150
    or more (never a 20% fall on its own); the last week's sharp falls, corrections and slips."""
    for kpi in history.tables[Kpi]:
        kpi_id = kpi["id"]
        value = Decimal(rng.randint(150, 400))
        last = 1 + (STALE_WEEKS - 1 if stale(kpi_id) else 0)
        for ago in range(weeks, last - 1, -1):
            monday = THIS_MONDAY - timedelta(weeks=ago)
            if ago == 1 and falls(kpi_id):
                value = (value * Decimal(rng.randint(50, 75)) / 100).quantize(Decimal(1))
            else:
                value = max(Decimal(150), value + rng.randint(-8, 8))
            row = {
                "kpi_id": kpi_id,
                "period": week_name(monday),
                "period_start": monday,
                "note": "a slow week" if rng.random() < 0.1 else None,
                "logged_by_id": kpi["owner_id"],
                "logged_at": at(monday + timedelta(weeks=1), 10),
            }
            slip = ago == 1 and not falls(kpi_id) and rng.random() < 0.05
            if slip:  # a digit dropped, corrected within the hour: no fall at all
                history.add(KpiValue, **row, value=(value / 10).quantize(Decimal(1)))
                row["logged_at"] += timedelta(minutes=40)
            elif rng.random() < 0.03:  # a correction: the first figure was a little off
                history.add(KpiValue, **row, value=value - 2)
                row["logged_at"] += timedelta(hours=3)
            history.add(KpiValue, **row, value=value)


def make_history(weeks: int, members: int) -> History:
    history = History()
    team_and_kpis(history, members)
    kpi_values(history, random.Random(SEED), weeks)
    return history


# --- the measurement -----------------------------------------------------------------------


@dataclass
class Result:
    figures: Figures
    kpis: int
    declines: int


async def measure(url: str, weeks: int, members: int, runs: int) -> tuple[str, Result]:
    """Seed, then time as a served bot would: the history summed up and let go, and what is
    left kept out of the collector's sweeps, with `serve`'s thresholds (bot/cli.py)."""
    history = make_history(weeks, members)
    summary = seeded(history, weeks, members)
    defaults = gc.get_threshold()
    engine = make_engine(url)
    try:
        sessions = make_sessionmaker(engine)
        print(f"seeding {weeks} weeks of history for {members} people...", file=sys.stderr)
        await seed(sessions, history)
        del history
        gc.collect()
        gc.freeze()
        gc.set_threshold(*SERVED_GC_THRESHOLD)
        statements = Statements(engine)
        found: list[tuple[Kpi, Decline]] = []

        async def detection(session: AsyncSession) -> None:
            found[:] = await team_declines(session, WORKSPACE_ID, TEAM_ID, TODAY, THRESHOLD)

        figures = await timed(sessions, statements, detection, runs)
        async with sessions() as session:
            kpis = len(await active_team_kpis(session, WORKSPACE_ID, TEAM_ID))
    finally:
        gc.set_threshold(*defaults)
        gc.unfreeze()
        await engine.dispose()
    return summary, Result(figures, kpis, len(found))


def seeded(history: History, weeks: int, members: int) -> str:
    rows = history.tables[KpiValue]
    periods = len({(r["kpi_id"], r["period"]) for r in rows})
    kpis = history.tables[Kpi]
    return (
        f"seeded: {len(rows):,} KPI values ({len(rows) - periods:,} of them corrected), "
        f"{sum(falls(k['id']) for k in kpis)} sharp falls last week, "
        f"{sum(stale(k['id']) for k in kpis)} stale KPIs ({weeks} weeks, {members} people)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, nargs="+", default=[26, 104])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--members", type=int, default=50, help="the lead included")
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    args = parser.parse_args()
    if args.members < 2 or min(args.weeks) < 1 or args.runs < 1:
        parser.error("give at least two members, a week of history and one run")
    print(
        f"decline detection for a team of {args.members}, threshold {THRESHOLD}%: "
        "target under 50 ms"
    )
    print(f"{'history':<9}{'median ms':<11}{'p95 ms':<8}{'SQL':<5}{'KPIs':<6}declines")
    longest: tuple[str, int] | None = None
    with tempfile.TemporaryDirectory() as folder:
        for weeks in args.weeks:
            with scratch_database(Path(folder), f"declines{weeks}w", args.database_url) as url:
                upgrade(url)
                summary, r = asyncio.run(measure(url, weeks, args.members, args.runs))
            f = r.figures
            print(
                f"{f'{weeks}w':<9}{f.median_ms:<11.2f}{f.p95_ms:<8.2f}{f.statements:<5}"
                f"{r.kpis:<6}{r.declines}",
                flush=True,
            )
            if longest is None or weeks >= longest[1]:
                longest = (summary, weeks)
    assert longest is not None
    print(longest[0])


if __name__ == "__main__":
    main()
