"""Fan-out of one weekly check-in: the tick that queues it, the worker that sends it, the memory.

One Slack workspace, 10,000 members in 100 teams (team settings left empty, so app.yaml's
Monday 10:00 check-in applies), every member in a zone that is UTC+0 in November, so one tick at
Monday 10:00 finds all of them due. Last week's fan-out is ticked and marked sent first, so the
ledger holds the history it would hold in steady state and the process is warm. Then it measures

- enqueue: the wall time of `Planner.tick` writing 10,000 ledger rows and outbox rows;
- send: the outbox worker draining them into a mock Slack Web API without a rate limit, which
  runs in a process of its own (its CPU is not ours): messages per second, and our CPU per
  message (this process's CPU time over the drain, the database driver's thread included);
- memory: the peak resident set of this process, which holds the planner and the worker.

It checks that every member was queued once and that the mock received every row exactly once.

    .venv/bin/python bench/fanout.py [--members 10000] [--teams 100] [--database-url URL]

With `--replicas 3 --per-second 10` (PostgreSQL only) the drain is three worker processes on
one database instead, sharing one workspace's pace: it prints the rate the mock received them
at, and how many rows it received more than once. (10 msg/s: try `--members 300`.)

A PostgreSQL URL (postgresql+asyncpg://user@host/db) gets a scratch database beside it,
dropped at the end; the default is a SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp import ClientSession  # noqa: E402
from counting import Statements  # noqa: E402
from replicas import TimedMock, arrival_rate, run_replicas, serve_worker  # noqa: E402
from sqlalchemy import func, insert, select, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker  # noqa: E402

from bot.config import load_app_config  # noqa: E402
from bot.delivery import Worker  # noqa: E402
from bot.delivery_lock import only_worker  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.scheduler import Planner, TickReport  # noqa: E402
from bot.slack.sender import SlackSender  # noqa: E402
from rituals.core.context import FixedClock  # noqa: E402
from rituals.core.schedule import week_name  # noqa: E402
from storage.engine import make_engine, make_sessionmaker  # noqa: E402
from storage.models import (  # noqa: E402
    Member,
    Membership,
    Outbox,
    OutboxStatus,
    Platform,
    Role,
    Team,
    Workspace,
)
from tests.databases import scratch_database  # noqa: E402

SLACK_TEAM = "T0FANOUT1"
# A Monday in November, a few seconds into 10:00 UTC: check-in time in every zone below.
NOW = datetime(2026, 11, 16, 10, 0, 20, tzinfo=UTC)
LONG_AGO = datetime(2026, 1, 5, tzinfo=UTC)
SEED_SLICE = 10_000  # people written per statement while seeding
# UTC+0 in November, each its own zone to the scheduler.
ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Atlantic/Reykjavik",
    "Atlantic/Canary",
    "Africa/Abidjan",
    "Africa/Accra",
    "Africa/Dakar",
    "UTC",
)


# --- the mock Slack, in a process of its own --------------------------------------------------


async def serve_mock() -> None:
    """Print the Web API's URL; when stdin closes, print what arrived as JSON and stop."""
    api = TimedMock(team_id=SLACK_TEAM)
    print(await api.start(), flush=True)
    idle = time.process_time()  # what starting took; serving is the rest
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    posts = api.of("chat.postMessage")
    ids = [
        ((c.args.get("metadata") or {}).get("event_payload") or {}).get("outbox_id") for c in posts
    ]
    summary = {
        "posts": len(posts),
        "ids": sorted(i for i in ids if i is not None),
        "other_calls": len(api.calls) - len(posts),
        "cpu": time.process_time() - idle,
        "rate": arrival_rate(api.arrivals),
    }
    print(json.dumps(summary), flush=True)
    await api.stop()


@dataclass
class MockProcess:
    process: asyncio.subprocess.Process
    url: str

    @classmethod
    async def start(cls) -> MockProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--serve-mock",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        if not line.startswith(b"http"):
            raise RuntimeError(f"the mock Slack did not start: {line!r}")
        return cls(process, line.decode().strip())

    async def summary(self) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.close()
        result: dict[str, Any] = json.loads(await self.process.stdout.read())
        await self.process.wait()
        return result

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


# --- seeding ------------------------------------------------------------------------------


def team_rows(teams: int) -> list[dict[str, Any]]:
    return [
        {
            "id": t + 1,
            "workspace_id": 1,
            "name": f"Team {t + 1:03d}",
            "channel_id": f"C{t + 1:08d}",
            "time_zone": "UTC",
            "settings": {},
            "created_at": LONG_AGO,
        }
        for t in range(teams)
    ]


def people(
    start: int, end: int, members: int, teams: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for members start..end and their seats: teams are contiguous blocks of members,
    the first of each its lead."""
    member_rows = [
        {
            "id": i + 1,
            "workspace_id": 1,
            "platform_user_id": f"U{i + 1:08d}",
            "display_name": f"Person {i + 1}",
            "time_zone": ZONES[i % len(ZONES)],
            "working_days": "mon,tue,wed,thu,fri",
            "created_at": LONG_AGO,
        }
        for i in range(start, end)
    ]
    seats = [
        {
            "workspace_id": 1,
            "team_id": i * teams // members + 1,
            "member_id": i + 1,
            "role": Role.LEAD
            if i == 0 or i * teams // members != (i - 1) * teams // members
            else Role.MEMBER,
            "created_at": LONG_AGO,
        }
        for i in range(start, end)
    ]
    return member_rows, seats


async def seed(url: str, members: int, teams: int) -> None:
    """The workspace, its teams and people, written a slice at a time: the rows of 100,000
    people at once would be this process's peak memory, not the tick's."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        workspace = {"id": 1, "platform": Platform.SLACK, "external_id": SLACK_TEAM}
        await session.execute(insert(Workspace), [{**workspace, "created_at": LONG_AGO}])
        await session.execute(insert(Team), team_rows(teams))
        for start in range(0, members, SEED_SLICE):
            member_rows, seats = people(start, min(start + SEED_SLICE, members), members, teams)
            await session.execute(insert(Member), member_rows)
            await session.execute(insert(Membership), seats)
    if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        async with engine.begin() as connection:
            for table in ("workspace", "team", "member", "membership"):
                await connection.execute(
                    text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )
    await engine.dispose()


# --- the measurement -----------------------------------------------------------------------


async def steady(engine: AsyncEngine) -> None:
    """PostgreSQL's planner statistics as autovacuum keeps them in a live database: the bench
    writes weeks of history in seconds, faster than autovacuum analyzes it, and a planner that
    thinks the ledger empty picks plans no running installation would get."""
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE"))


@dataclass
class Figures:
    report: TickReport
    tick_cpu: float
    tick_peak: float  # MB: the peak resident set when the tick was done
    tick_statements: int
    widest: int
    sent: int
    drain_seconds: float
    drain_cpu: float
    drain_statements: int
    delivered_ids: set[int]
    mock: dict[str, Any]
    shares: list[dict[str, Any]]  # per replica with --replicas: what each sent, its CPU


async def measure(url: str, args: argparse.Namespace) -> Figures:
    config = load_app_config(ROOT / "app.yaml")
    engine = make_engine(url)
    statements = Statements(engine)
    sessions = make_sessionmaker(engine)
    planner = Planner(sessions, config, [Platform.SLACK])
    mock = await MockProcess.start()
    try:
        # Steady state: last week's check-in (Monday) and one-on-ones (Wednesday) were queued
        # and sent, so the ledger has them and this tick has only this week's to decide.
        for days in (7, 5):
            then = NOW - timedelta(days=days)
            await planner.tick(then)
            async with sessions() as session, session.begin():
                await session.execute(
                    update(Outbox)
                    .where(Outbox.status != OutboxStatus.SENT)
                    .values(status=OutboxStatus.SENT, sent_at=then)
                )
        await steady(engine)

        before, tick_cpu = statements.count, time.process_time()
        report = await planner.tick(NOW)
        tick_cpu = time.process_time() - tick_cpu
        tick_statements = statements.count - before
        tick_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
        if (report.queued, report.messages) != (args.members, args.members) or (
            report.held or report.skipped or report.missed
        ):
            raise SystemExit(
                f"expected {args.members} check-ins queued, one message each, and nothing "
                f"held, skipped or missed; the tick reported {report}"
            )

        if args.replicas > 1:
            options = {
                "per_second": args.per_second,
                "batch": args.batch,
                "concurrency": args.concurrency,
                "now": (NOW + timedelta(seconds=1)).isoformat(),
            }
            before, cpu, wall = statements.count, time.process_time(), time.perf_counter()
            shares = await run_replicas(args.replicas, url, mock.url, options)
            wall = time.perf_counter() - wall
            cpu = sum(r["cpu"] for r in shares)  # the replicas'; this process only waits
            sent = sum(r["sent"] for r in shares)
            drain_statements = -1  # in the replicas' engines, not counted here
        else:
            shares = []
            sent, wall, cpu, drain_statements = await drain(sessions, statements, mock, url, args)
        summary = await mock.summary()
        async with sessions() as session:
            week = week_name(NOW.date())
            this_week = select(Outbox.id).where(
                Outbox.budget_week == week, Outbox.status == OutboxStatus.SENT
            )
            delivered = set((await session.scalars(this_week)).all())
            unsent = await session.scalar(
                select(func.count()).where(Outbox.status != OutboxStatus.SENT)
            )
        if unsent:
            raise SystemExit(f"{unsent} outbox rows were not sent")
    finally:
        await mock.stop()
        await engine.dispose()
    return Figures(
        report,
        tick_cpu,
        tick_peak,
        tick_statements,
        statements.widest,
        sent,
        wall,
        cpu,
        drain_statements,
        delivered,
        summary,
        shares,
    )


async def drain(
    sessions: async_sessionmaker[AsyncSession],
    statements: Statements,
    mock: MockProcess,
    url: str,
    args: argparse.Namespace,
) -> tuple[int, float, float, int]:
    """One worker in this process: what it sent, the wall and CPU seconds, its statements."""

    async def token(workspace: str) -> str:
        return "xoxb-fanout"

    with only_worker(url) as exclusive:
        async with ClientSession() as http:
            sender = SlackSender(token, mock.url, http)
            worker = Worker(
                sessions,
                {Platform.SLACK: sender},
                FixedClock(NOW + timedelta(seconds=1)),
                args.per_second,
                exclusive=exclusive,
                batch=args.batch,
                concurrency=args.concurrency,
            )
            before = statements.count
            cpu, wall = time.process_time(), time.perf_counter()
            await worker.drain()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return worker.sent, wall, cpu, statements.count - before


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def show(figures: Figures, args: argparse.Namespace, backend: str, baseline: float) -> None:
    r, n = figures.report, figures.sent
    print(
        f"fan-out of one check-in: {args.members} members in {args.teams} teams, one Slack "
        f"workspace, {backend}; tick at {NOW:%a %Y-%m-%d %H:%M:%S} UTC; worker batch "
        f"{args.batch}, concurrency {args.concurrency}"
    )
    per_message = figures.drain_cpu / max(n, 1) * 1000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    rows = [
        (
            "enqueue",
            f"{r.queued} rows",
            f"{r.seconds:.2f} s",
            f"(target < 1 s) {verdict(r.seconds < 1)}",
            f"our CPU {figures.tick_cpu:.2f} s; {figures.tick_statements} SQL statements, the "
            f"widest {figures.widest} parameters; {r.messages} outbox rows",
        ),
        (
            "send",
            f"{n} messages",
            f"{figures.drain_seconds:.2f} s",
            f"{n / figures.drain_seconds:.0f} msg/s",
            f"{figures.drain_statements} SQL statements"
            if figures.drain_statements >= 0
            else f"{len(figures.shares)} worker processes",
        ),
        (
            "overhead",
            f"{n} messages",
            f"{per_message:.3f} ms/msg",
            "(paced: not the target)"
            if figures.shares
            else f"(target < 0.5 ms) {verdict(per_message < 0.5)}",
            f"our CPU {figures.drain_cpu:.2f} s; the mock's {figures.mock['cpu']:.2f} s"
            + (" (the replicas' CPU, waits for their slots included)" if figures.shares else ""),
        ),
        (
            "memory",
            "peak RSS",
            f"{peak:.0f} MB",
            f"(target < 200 MB) {verdict(peak < 200)}",
            f"this process (imports alone {baseline:.0f} MB; {figures.tick_peak:.0f} MB by the "
            "end of the tick), seeding, three ticks, the worker",
        ),
    ]
    for label, what, value, target, note in rows:
        print(f"{label:<10}{what:<16}{value:>13}   {target:<24}{note}")
    if figures.shares:
        twice = len(figures.mock["ids"]) - len(set(figures.mock["ids"]))
        each = "/".join(str(r["sent"]) for r in figures.shares)
        print(
            f"{'shared':<10}{len(figures.shares)} replicas{'':<6}"
            f"{figures.mock['rate']:>9.2f} msg/s   (pace {args.per_second:g}/s shared)   "
            f"sent twice: {twice}; sent by each replica {each}, as the mock received them"
        )
    ids = figures.mock["ids"]
    once = (
        figures.mock["posts"] == len(ids) == len(set(ids)) == n
        and set(ids) == figures.delivered_ids
        and len(figures.delivered_ids) == r.messages
    )
    print(
        f"{'delivered':<10}{len(set(ids))} of {r.messages} "
        f"{'exactly once' if once else 'NOT exactly once'}: the mock got "
        f"{figures.mock['posts']} chat.postMessage, {len(set(ids))} distinct outbox ids"
    )
    if not once:
        raise SystemExit("delivery was not exactly once")


def run(url: str, args: argparse.Namespace) -> None:
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    upgrade(url)
    asyncio.run(seed(url, args.members, args.teams))
    figures = asyncio.run(measure(url, args))
    show(figures, args, make_url(url).get_backend_name(), baseline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    parser.add_argument("--per-second", type=float, default=1e6, help="the worker's pace")
    worker = inspect.signature(Worker).parameters
    parser.add_argument(
        "--batch", type=int, default=worker["batch"].default, help="rows a worker claims at once"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=worker["concurrency"].default,
        help="sends a worker has under way at once",
    )
    parser.add_argument(
        "--replicas", type=int, default=1, help="worker processes sharing the pace (PostgreSQL)"
    )
    parser.add_argument("--serve-mock", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_mock:
        asyncio.run(serve_mock())
        return
    if args.serve_worker:
        options = json.loads(args.serve_worker)
        now = datetime.fromisoformat(options["now"])
        asyncio.run(serve_worker(options["url"], options["api"], now, options))
        return
    if args.replicas > 1 and not (args.database_url or "").startswith("postgresql"):
        parser.error("--replicas needs --database-url postgresql+asyncpg://...: SQLite has one")
    if not 0 < args.teams <= args.members // 2:
        parser.error("give at least two members per team (a lead and someone to lead)")
    with (
        tempfile.TemporaryDirectory() as folder,
        scratch_database(Path(folder), "fanout", args.database_url) as url,
    ):
        run(url, args)


if __name__ == "__main__":
    main()
