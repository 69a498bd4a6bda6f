"""The skills heat-map of a team of 50 on two years of history: time and SQL statements.

One Slack workspace, one team (a lead and --members - 1 members), --skills skills on its list,
and behind them N months of history: every person rates themselves on every skill once a
month (ratings are only added, so two years is 24 rows per person and skill: 18,000 for 50
people and 15 skills), a third of them show their whole row, and mentorship sprints run in
pairs the whole time (one finished per person every few months). "Now" is Wednesday 25
November 2026, 09:00 UTC. Then it measures, for one member asking, in a fresh session already
in its transaction, as the handler's is:

- load: `rituals.skills.store.heat_map`, the four statements the map is read with;
- draw: `heat_map_png` and `heat_map_sketch`, the picture and the console's grid;
- total: both, which is what `skills` spends beyond the gate.

It prints the median and p95 wall time over --runs (after one to warm up), the median CPU
time of a draw (every thread of the process: on a machine others share, what the picture
itself costs) and the SQL statements one load sends, for each history length given, each in
a database of its own: the target is under 200 ms for the total, and the same number of
statements however long the history. It saves the last picture to --picture. It asserts nothing.

    .venv/bin/python bench/heatmap.py [--months 3 24] [--runs 30] [--members 50] [--skills 15]
                                      [--picture skills-heatmap.png] [--database-url URL]

A PostgreSQL URL (postgresql+asyncpg://user@host/db) gets a scratch database beside it for each
history length, dropped at the end; the default is a SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counting import Statements  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from bot.migrate import upgrade  # noqa: E402
from rituals.skills.picture import heat_map_png, heat_map_sketch  # noqa: E402
from rituals.skills.store import MapData, heat_map  # noqa: E402
from storage.engine import make_engine, make_sessionmaker  # noqa: E402
from storage.models import (  # noqa: E402
    Base,
    Member,
    Membership,
    Mentorship,
    Platform,
    Role,
    Skill,
    SkillRating,
    SkillShare,
    SprintStatus,
    Team,
    Workspace,
)
from tests.databases import scratch_database  # noqa: E402

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday
TEAM_ID, VIEWER_ID = 1, 2
SKILL_NAMES = (
    "Discovery calls",
    "Negotiation",
    "Forecasting",
    "Objection handling",
    "Account planning",
    "SQL",
    "Code review",
    "Testing",
    "System design",
    "Incident response",
    "Copywriting",
    "SEO",
    "Coaching conversations",
    "Facilitation",
    "Interviewing",
    "Process mapping",
    "Vendor management",
    "Scheduling",
    "Lean methods",
    "Product demos",
)
SEED = 20261125


def history(members: int, skills: int, months: int) -> dict[type[Base], list[dict[str, Any]]]:
    """Every row to insert, table by table."""
    rng = random.Random(SEED)
    long_ago = NOW - timedelta(days=31 * (months + 2))
    ws = {"workspace_id": 1}
    tables: dict[type[Base], list[dict[str, Any]]] = {
        Workspace: [
            {"id": 1, "platform": Platform.SLACK, "external_id": "T0HEATMAP", "created_at": NOW}
        ],
        Team: [
            {
                "id": TEAM_ID,
                **ws,
                "name": "Platform",
                "time_zone": "UTC",
                "settings": {},
                "created_at": long_ago,
            }
        ],
    }
    tables[Member] = [
        {
            "id": m,
            **ws,
            "platform_user_id": f"U{m:08d}",
            "display_name": f"Person {m:02d}",
            "time_zone": "UTC",
            "working_days": "mon,tue,wed,thu,fri",
            "created_at": long_ago,
        }
        for m in range(1, members + 1)
    ]
    tables[Membership] = [
        {
            **ws,
            "team_id": TEAM_ID,
            "member_id": m,
            "role": Role.LEAD if m == 1 else Role.MEMBER,
            "created_at": long_ago,
        }
        for m in range(1, members + 1)
    ]
    tables[Skill] = [
        {
            "id": s,
            **ws,
            "team_id": TEAM_ID,
            "name": SKILL_NAMES[s - 1],
            "name_key": SKILL_NAMES[s - 1].lower(),
            "proposed_by_id": 1,
            "created_at": long_ago,
        }
        for s in range(1, skills + 1)
    ]
    ratings = []
    for month in range(months, 0, -1):
        at = NOW - timedelta(days=30 * month)
        for m in range(1, members + 1):
            for s in range(1, skills + 1):
                # Most climb a level a year or so; where each starts varies by person and skill.
                grown = (months - month) // 18
                level = min(4, 1 + (m * 7 + s * 5) % 3 + grown + (rng.random() < 0.1))
                ratings.append(
                    {
                        **ws,
                        "team_id": TEAM_ID,
                        "skill_id": s,
                        "member_id": m,
                        "level": level,
                        "rated_at": at,
                    }
                )
    tables[SkillRating] = ratings
    tables[SkillShare] = [
        {**ws, "team_id": TEAM_ID, "member_id": m, "shared_at": long_ago}
        for m in range(1, members + 1, 3)
    ]
    sprints = []
    for month in range(0, months, 3):  # each person learns something every quarter
        start = (NOW - timedelta(days=30 * (months - month))).date()
        for m in range(2, members + 1):
            mentor = 2 + (m + month) % (members - 1)
            if mentor == m:
                continue
            sprints.append(
                {
                    **ws,
                    "team_id": TEAM_ID,
                    "skill_id": 1 + (m + month) % skills,
                    "learner_id": m,
                    "mentor_id": mentor,
                    "goal": "get to solid on it",
                    "status": SprintStatus.DONE,
                    "asked_at": NOW - timedelta(days=30 * (months - month)),
                    "started_on": start,
                    "halfway_on": start + timedelta(days=7),
                    "ends_on": start + timedelta(days=14),
                    "learner_lookback": "I can do it alone now",
                    "finished_at": NOW - timedelta(days=30 * (months - month) - 14),
                }
            )
    tables[Mentorship] = sprints
    return tables


async def seed(
    sessions: async_sessionmaker[AsyncSession], rows: dict[type[Base], list[Any]]
) -> None:
    async with sessions() as session, session.begin():
        for model, batch in rows.items():
            for start in range(0, len(batch), 5000):
                await session.execute(insert(model), batch[start : start + 5000])


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


async def timed(
    sessions: async_sessionmaker[AsyncSession],
    runs: int,
    work: Callable[[AsyncSession], Awaitable[object]],
) -> list[float]:
    """Wall times (ms) of `work` in a fresh session each, after one untimed warm-up."""
    times = []
    for n in range(runs + 1):
        async with sessions() as session, session.begin():
            started = time.perf_counter()
            await work(session)
            if n:
                times.append((time.perf_counter() - started) * 1000)
    return times


async def measure(url: str, args: argparse.Namespace, months: int) -> tuple[str, bytes]:
    engine = make_engine(url)
    try:
        sessions = make_sessionmaker(engine)
        rows = history(args.members, args.skills, months)
        await seed(sessions, rows)
        async with sessions() as session:
            team = await session.get(Team, TEAM_ID)
        assert team is not None
        counter = Statements(engine)
        found: list[MapData] = []

        async def load(session: AsyncSession) -> None:
            found.append(await heat_map(session, team, VIEWER_ID))

        before = counter.count
        await load_once(sessions, load)
        statements = counter.count - before
        loads = await timed(sessions, args.runs, load)
        data = found[-1]
        draws, cpu, picture = [], [], b""
        for n in range(args.runs + 1):
            started, used = time.perf_counter(), time.process_time()
            picture = await asyncio.to_thread(heat_map_png, "Platform: skills", data)
            heat_map_sketch(data)
            if n:
                draws.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - used) * 1000)
        totals = [a + b for a, b in zip(loads, draws, strict=True)]
        ratings = len(rows[SkillRating])
        label = f"{months}mo/{ratings}"
        line = (
            f"{label:<14} {statistics.median(loads):>8.1f} {p95(loads):>8.1f} "
            f"{statistics.median(draws):>8.1f} {p95(draws):>8.1f} "
            f"{statistics.median(totals):>8.1f} {p95(totals):>8.1f} {statements:>4} "
            f"{len(data.rows):>4} {len(picture) // 1024:>4} {statistics.median(cpu):>8.1f}"
        )
        return line, picture
    finally:
        await engine.dispose()


async def load_once(
    sessions: async_sessionmaker[AsyncSession], work: Callable[[AsyncSession], Awaitable[None]]
) -> None:
    async with sessions() as session, session.begin():
        await work(session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, nargs="+", default=[3, 24])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--skills", type=int, default=15, choices=range(1, len(SKILL_NAMES) + 1))
    parser.add_argument("--picture", type=Path, default=Path("skills-heatmap.png"))
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(
        f"{'history/rows':<14} {'load':>8} {'p95':>8} {'draw':>8} {'p95':>8} {'total':>8} "
        f"{'p95':>8} {'SQL':>4} {'rows':>4} {'KB':>4} {'draw CPU':>8}   (ms; {args.members} "
        f"people, {args.skills} skills)"
    )
    picture = b""
    for months in args.months:
        # A PostgreSQL URL gets a scratch database beside it; none, a SQLite file in `folder`.
        with (
            tempfile.TemporaryDirectory() as folder,
            scratch_database(Path(folder), f"heatmap{months}", args.database_url or None) as url,
        ):
            upgrade(url)
            line, picture = asyncio.run(measure(url, args, months))
        print(line, flush=True)
    args.picture.write_bytes(picture)
    print(f"picture: {args.picture.resolve()}")


if __name__ == "__main__":
    main()
