"""KPI Raw, the weekly newsletter: one team's issue over two years of history, and every
team's issue in one tick: time and SQL statements.

- issue: one team of --members (the lead included), each with three shared weekly KPIs and
  --weeks of history behind them (values, some corrected; check-ins and commitments kept;
  kudos; experiments), built as `raw preview` and the tick build it: the week's content
  loaded (`rituals.raw.store.weeks`) and written (`rituals.raw.issue.compose`, the picture
  included). Median and p95 wall time over --runs after a warm-up, the mean CPU time of a
  build, and the statements one build sends (the target: under 200 ms, and the same count
  whatever the history).
- tick: --teams teams of --team-size people, each with one shared weekly KPI and
  --tick-weeks of values and a kudos a week, KPI Raw the only ritual switched on; the whole
  tick at Friday 16:00 (`bot.scheduler.Planner.tick`), which queues every team's issue: wall
  and CPU time, issues queued and statements (the target: under 10 s for 1,000 teams; on a
  machine others share, the CPU time is the tick's own cost, and the load average is shown).

    .venv/bin/python bench/raw.py [--weeks 104] [--members 50] [--runs 20]
                                  [--teams 1000] [--team-size 10] [--tick-weeks 26]
                                  [--database-url URL] [--picture PATH]

It asserts nothing. --picture saves the team's issue picture, to look at.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counting import Statements  # noqa: E402
from scripts import NOW, TEAM_ID, TEAM_NAME, History, make_history, seed, timed  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from bot.config import load_app_config  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.scheduler import Planner  # noqa: E402
from rituals.core.messages import Image  # noqa: E402
from rituals.core.schedule import week_name  # noqa: E402
from rituals.raw.issue import compose  # noqa: E402
from rituals.raw.store import Window, weeks  # noqa: E402
from storage.engine import make_engine, make_sessionmaker  # noqa: E402
from storage.models import (  # noqa: E402
    Cadence,
    Kpi,
    KpiStatus,
    KpiValue,
    Kudos,
    KudosRecipient,
    Member,
    Membership,
    Outbox,
    Platform,
    Role,
    Team,
    Workspace,
)
from tests.databases import scratch_database  # noqa: E402

# The tick's Friday: KPI Raw goes out at 16:00 on the teams' clocks (UTC here).
FRIDAY = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
WINDOW = Window(TEAM_ID, NOW - timedelta(days=7), NOW)


async def issue_figures(url: str, weeks_: int, members: int, runs: int) -> tuple[str, bytes | None]:
    """The line of figures, and the issue's picture if it had one."""
    history = make_history(weeks_, members)
    for kpi in history.tables[Kpi]:
        kpi["shared"] = True  # co-created with the team: the team reads them
    engine = make_engine(url)
    try:
        sessions = make_sessionmaker(engine)
        print(f"seeding {weeks_} weeks for a team of {members}...", file=sys.stderr)
        await seed(sessions, history)
        statements = Statements(engine)
        said: list[str] = []
        drawn: list[bytes] = []

        async def build(session: AsyncSession) -> None:
            content = (await weeks(session, [WINDOW]))[TEAM_ID]
            blocks = compose(TEAM_NAME, week_name(NOW.date()), content, WINDOW, 20)
            said[:] = [str(len(content.numbers)), str(len(blocks))]
            drawn[:] = [b.data for b in blocks if isinstance(b, Image)]

        cpu = time.process_time()
        figures = await timed(sessions, statements, build, runs)
        cpu_ms = (time.process_time() - cpu) / (runs + 1) * 1000
    finally:
        await engine.dispose()
    values = history.count(KpiValue)
    return (
        f"issue    {figures.median_ms:<11.1f}{figures.p95_ms:<9.1f}{cpu_ms:<11.1f}"
        f"{figures.statements:<5}{members} people, {said[0]} shared KPIs logged this week, "
        f"{values:,} values over {weeks_} weeks"
    ), (drawn[0] if drawn else None)


def tick_history(teams: int, size: int, weeks_: int) -> History:
    """Teams of `size`, KPI Raw on, one shared weekly KPI each person, a value a week logged
    the Monday after, and a kudos a week in each team."""
    rng = random.Random(20261127)
    history = History()
    long_ago = FRIDAY - timedelta(weeks=200)
    history.tables[Workspace] = [
        {"id": 1, "platform": Platform.SLACK, "external_id": "T0RAW", "created_at": long_ago}
    ]
    monday = (FRIDAY - timedelta(days=4)).date()
    member = 0
    for t in range(1, teams + 1):
        history.add(
            Team,
            name=f"Team {t}",
            channel_id=f"C{t:08d}",
            time_zone="UTC",
            settings={"enabled": ["raw"]},
            created_at=long_ago,
        )
        first = member + 1
        for i in range(size):
            member += 1
            history.add(
                Member,
                platform_user_id=f"U{member:08d}",
                display_name=f"Person {member}",
                time_zone="UTC",
                working_days="mon,tue,wed,thu,fri",
                created_at=long_ago,
            )
            history.add(
                Membership,
                team_id=t,
                member_id=member,
                role=Role.LEAD if i == 0 else Role.MEMBER,
                created_at=long_ago,
            )
            kpi = history.add(
                Kpi,
                team_id=t,
                owner_id=member,
                proposed_by_id=member,
                name=f"Qualified leads {i}",
                unit="leads",
                target=Decimal(40),
                cadence=Cadence.WEEKLY,
                status=KpiStatus.ACTIVE,
                growth_goal="Get better at it",
                created_at=long_ago,
                agreed_at=long_ago,
                activated_at=long_ago,
                shared=True,
            )
            value = rng.randint(20, 60)
            for ago in range(weeks_ - 1, -1, -1):
                start = monday - timedelta(weeks=ago + 1)
                value = max(0, value + rng.randint(-8, 8))
                history.add(
                    KpiValue,
                    kpi_id=kpi,
                    period=week_name(start),
                    period_start=start,
                    value=Decimal(value),
                    note="a slow week" if rng.random() < 0.1 else None,
                    logged_by_id=member,
                    logged_at=datetime.combine(start + timedelta(weeks=1), datetime.min.time(), UTC)
                    + timedelta(hours=10),
                )
        for ago in range(weeks_):
            kudos = history.add(
                Kudos,
                team_id=t,
                from_id=first,
                story="sat with them through the demo prep and took the notes",
                created_at=FRIDAY - timedelta(weeks=ago, days=1),
            )
            history.add(KudosRecipient, kudos_id=kudos, member_id=first + 1)
    return history


async def tick_figures(url: str, teams: int, size: int, weeks_: int) -> str:
    history = tick_history(teams, size, weeks_)
    engine = make_engine(url)
    try:
        sessions = make_sessionmaker(engine)
        print(f"seeding {teams} teams of {size}, {weeks_} weeks...", file=sys.stderr)
        await seed(sessions, history)
        statements = Statements(engine)
        config = load_app_config(ROOT / "app.yaml")
        planner = Planner(sessions, config, [Platform.SLACK])
        before, start, cpu = statements.count, time.perf_counter(), time.process_time()
        await planner.tick(FRIDAY)
        elapsed, sent = time.perf_counter() - start, statements.count - before
        used = time.process_time() - cpu
        async with sessions() as session:
            issues = await session.scalar(
                select(func.count()).select_from(Outbox).where(Outbox.ritual == "raw")
            )
    finally:
        await engine.dispose()
    # Wall time on a shared machine waits for other processes; CPU time (every thread of
    # this process, the pictures' worker thread included) is what the tick itself costs.
    load = os.getloadavg()[0]
    return (
        f"tick     {elapsed:<9.2f}{used:<11.2f}{sent:<5}{issues} issues queued for {teams} teams "
        f"of {size}, {history.count(KpiValue):,} values over {weeks_} weeks "
        f"(load average {load:.1f} on {os.cpu_count()} CPUs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--members", type=int, default=50, help="the lead included")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--team-size", type=int, default=10)
    parser.add_argument("--tick-weeks", type=int, default=26)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    parser.add_argument("--picture", default=None, help="save the issue's picture here")
    args = parser.parse_args()
    if min(args.weeks, args.tick_weeks, args.runs, args.teams) < 1 or args.members < 2:
        parser.error("give at least a week, a run, a team and two members")
    if args.team_size < 2:
        parser.error("a team needs at least two people")
    print(f"{'build':<9}{'median ms':<11}{'p95 ms':<9}{'CPU ms':<11}{'SQL':<5}what")
    with tempfile.TemporaryDirectory() as folder:
        with scratch_database(Path(folder), "raw_issue", args.database_url) as url:
            upgrade(url)
            line, drawn = asyncio.run(issue_figures(url, args.weeks, args.members, args.runs))
            print(line, flush=True)
            if args.picture and drawn:
                Path(args.picture).write_bytes(drawn)
        print(f"{'build':<9}{'wall s':<9}{'CPU s':<11}{'SQL':<5}what")
        with scratch_database(Path(folder), "raw_tick", args.database_url) as url:
            upgrade(url)
            print(asyncio.run(tick_figures(url, args.teams, args.team_size, args.tick_weeks)))


if __name__ == "__main__":
    main()
