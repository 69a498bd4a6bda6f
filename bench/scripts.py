"""One one-on-one script and one lead digest, built on years of history: time and SQL statements.

One Slack workspace, one team of 50 (a lead and 49 members), each with three active weekly KPIs,
and behind them N weeks of history: a value a week for every KPI (now and then corrected, or
with a "why did this dip?" ladder), a check-in answer a week from everyone (an obstacle, or
nothing in the way), a commitment answering most obstacles (kept, or dropped with a reason; the
last few weeks' still open, some of them overdue), a few kudos a week, an experiment finished
now and then, a one-on-one every two weeks for every pair and a couple of talking points for
the next. "Now" is Wednesday 25 November 2026, 09:00 UTC. Then it measures, for one pair (the
lead and one member), each in a fresh session already in its transaction, as the handler's is:

- script: `load_scripts` for the pair, then `rituals.one_on_ones.scripts.build`, as a lead reads;
- digest: `obstacles_of_weeks` and `digest_commitments` for this week, then `digest_body`.

It prints the median and p95 wall time over --runs builds (after one to warm up) and the SQL
statements one build sends, for each history length given, each in a database of its own: the
target is under 50 ms, and the same number of statements however long the history. It asserts
nothing.

    .venv/bin/python bench/scripts.py [--weeks 26 104] [--runs 50] [--members 50]
                                      [--database-url URL]

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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counting import Statements  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from bot.migrate import upgrade  # noqa: E402
from rituals.checkins.commands import digest_body  # noqa: E402
from rituals.checkins.store import (  # noqa: E402
    UNANSWERED_WEEKS,
    Who,
    digest_commitments,
    obstacles_of_weeks,
)
from rituals.core.messages import Mention  # noqa: E402
from rituals.core.schedule import week_monday, week_name  # noqa: E402
from rituals.one_on_ones.scripts import build  # noqa: E402
from rituals.one_on_ones.store import Pair, load_scripts  # noqa: E402
from storage.engine import make_engine, make_sessionmaker  # noqa: E402
from storage.models import (  # noqa: E402
    Base,
    Cadence,
    Commitment,
    CommitmentStatus,
    DipLadder,
    Experiment,
    Kpi,
    KpiStatus,
    KpiValue,
    Kudos,
    KudosRecipient,
    Member,
    Membership,
    Obstacle,
    OneOnOne,
    Platform,
    Role,
    TalkingPoint,
    Team,
    Workspace,
)
from tests.databases import scratch_database  # noqa: E402

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday
TODAY = NOW.date()
THIS_MONDAY = TODAY - timedelta(days=TODAY.weekday())
WEEK = week_name(TODAY)
TEAM_ID, TEAM_NAME, LEAD_ID, MEMBER_ID = 1, "Platform", 1, 2
KPI_NAMES = (("Qualified leads", "leads"), ("Cycle time", "days"), ("Activation rate", "%"))
SEED = 20261125


def person(member_id: int) -> tuple[str, str]:
    """A member's platform user id and display name."""
    return f"U{member_id:08d}", f"Person {member_id}"


def kpi_of(member_id: int, which: int = 0) -> int:
    """The id of one of a member's KPIs: each has len(KPI_NAMES), made in member order."""
    return (member_id - 1) * len(KPI_NAMES) + which + 1


def at(day: date, hour: int) -> datetime:
    """That day at that hour, UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# --- seeding ------------------------------------------------------------------------------


@dataclass
class History:
    """The rows to insert, table by table, with the ids they are given here."""

    tables: dict[type[Base], list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, model: type[Base], **row: Any) -> int:
        rows = self.tables.setdefault(model, [])
        row.setdefault("id", len(rows) + 1)
        rows.append({"workspace_id": 1, **row})
        return int(row["id"])

    def count(self, model: type[Base]) -> int:
        return len(self.tables.get(model, []))


def team_and_kpis(history: History, members: int) -> None:
    """The workspace, the team, its members (the first the lead) and their KPIs."""
    long_ago = at(THIS_MONDAY - timedelta(weeks=200), 9)
    history.tables[Workspace] = [
        {"id": 1, "platform": Platform.SLACK, "external_id": "T0SCRIPTS", "created_at": long_ago}
    ]
    history.add(
        Team,
        name=TEAM_NAME,
        channel_id="C00000001",
        time_zone="UTC",
        settings={},
        created_at=long_ago,
    )
    for m in range(1, members + 1):
        user, name = person(m)
        history.add(
            Member,
            platform_user_id=user,
            display_name=name,
            time_zone="UTC",
            working_days="mon,tue,wed,thu,fri",
            created_at=long_ago,
        )
        history.add(
            Membership,
            team_id=TEAM_ID,
            member_id=m,
            role=Role.LEAD if m == LEAD_ID else Role.MEMBER,
            created_at=long_ago,
        )
        for name, unit in KPI_NAMES:
            history.add(
                Kpi,
                team_id=TEAM_ID,
                owner_id=m,
                proposed_by_id=m,
                name=name,
                unit=unit,
                target=Decimal(40),
                cadence=Cadence.WEEKLY,
                status=KpiStatus.ACTIVE,
                growth_goal="Get better at it",
                created_at=long_ago,
                agreed_at=long_ago,
                activated_at=long_ago,
            )


def kpi_values(history: History, rng: random.Random, weeks: int) -> None:
    """A value a week for every KPI, logged the Monday after; some corrected, some dips asked
    about."""
    for kpi in history.tables[Kpi]:
        value = Decimal(rng.randint(20, 60))
        for ago in range(weeks, 0, -1):
            monday = THIS_MONDAY - timedelta(weeks=ago)
            previous, value = value, max(Decimal(0), value + rng.randint(-6, 6))
            row = {
                "kpi_id": kpi["id"],
                "period": week_name(monday),
                "period_start": monday,
                "note": "a slow week" if rng.random() < 0.1 else None,
                "logged_by_id": kpi["owner_id"],
                "logged_at": at(monday + timedelta(weeks=1), 10),
            }
            history.add(KpiValue, value=value, **row)
            if rng.random() < 0.03:  # a correction: a newer row for the same period
                value += 1
                row["logged_at"] += timedelta(hours=3)
                history.add(KpiValue, **row, value=value)
            if value < previous and rng.random() < 0.2:
                history.add(
                    DipLadder,
                    kpi_id=kpi["id"],
                    period=row["period"],
                    member_id=kpi["owner_id"],
                    whys=["A customer churned", "Nobody followed up", "No owner for renewals"],
                    created_at=row["logged_at"] + timedelta(hours=2),
                )


def checkins(history: History, rng: random.Random, weeks: int, members: int) -> None:
    """Everyone's answer each week (this one's from most), and the lead's commitments."""
    for ago in range(weeks - 1, -1, -1):
        monday = THIS_MONDAY - timedelta(weeks=ago)
        for m in range(1, members + 1):
            if ago == 0 and rng.random() < 0.2:
                continue  # has not answered this week yet
            blocked = rng.random() < 0.4
            system = rng.choice(("the CRM", "staging", "the data warehouse"))
            obstacle = history.add(
                Obstacle,
                team_id=TEAM_ID,
                member_id=m,
                week=week_name(monday),
                text=f"Waiting on access to {system}" if blocked else None,
                kpi_id=kpi_of(m) if blocked and rng.random() < 0.5 else None,
                created_at=at(monday, 10),
            )
            if blocked:
                commitment(history, rng, obstacle, m, monday, ago, members)


def commitment(
    history: History,
    rng: random.Random,
    obstacle: int,
    member: int,
    monday: date,
    ago: int,
    members: int,
) -> None:
    """The lead's answer to one obstacle: most get one; the last weeks' are still open."""
    if rng.random() < (0.5 if ago == 0 else 0.15 if ago <= UNANSWERED_WEEKS else 0.1):
        return
    due = monday + timedelta(days=rng.randint(2, 9))
    still_open = ago == 0 or (ago <= UNANSWERED_WEEKS and rng.random() < 0.5)
    dropped = not still_open and rng.random() < 0.1
    status = CommitmentStatus.DONE
    if still_open:
        status = CommitmentStatus.OPEN
    elif dropped:
        status = CommitmentStatus.DROPPED
    history.add(
        Commitment,
        team_id=TEAM_ID,
        obstacle_id=obstacle,
        for_id=member,
        owner_id=rng.choice((LEAD_ID, member, rng.randint(1, members))),
        made_by_id=LEAD_ID,
        action="Ask IT for the access and pair on the first run",
        due=due,
        status=status,
        reason="No longer needed" if dropped else None,
        created_at=at(monday, 15),
        closed_at=None if still_open else at(due, 16),
    )


def recognition(history: History, rng: random.Random, weeks: int, members: int) -> None:
    """A few kudos a week, and an experiment finished every couple of months per member."""
    for ago in range(weeks - 1, -1, -1):
        monday = THIS_MONDAY - timedelta(weeks=ago)
        for _ in range(rng.randint(2, 5)):
            when = at(monday + timedelta(days=rng.randint(0, 4)), rng.randint(9, 17))
            if when > NOW:
                continue
            giver = rng.randint(1, members)
            kudos = history.add(
                Kudos,
                team_id=TEAM_ID,
                from_id=giver,
                kpi_id=kpi_of(giver) if rng.random() < 0.5 else None,
                story="Stayed late to unblock the release for all of us",
                created_at=when,
            )
            others = [m for m in range(1, members + 1) if m != giver]
            for recipient in rng.sample(others, min(len(others), rng.randint(1, 2))):
                history.add(KudosRecipient, kudos_id=kudos, member_id=recipient)
        for m in range(1, members + 1):
            if rng.random() < 1 / 8:
                started = monday - timedelta(weeks=2)
                finished = at(monday + timedelta(days=rng.randint(0, 2)), 11)
                history.add(
                    Experiment,
                    kpi_id=kpi_of(m, rng.randrange(len(KPI_NAMES))),
                    owner_id=m,
                    hypothesis="Calling back within an hour doubles the replies",
                    started_on=started,
                    review_on=monday,
                    result="It did, for the first week" if finished <= NOW else None,
                    finished_at=finished if finished <= NOW else None,
                    created_at=at(started, 9),
                )


def one_on_ones(history: History, rng: random.Random, weeks: int, members: int) -> None:
    """A one-on-one every two weeks for every pair, a talking point raised at some, and two
    waiting for the next."""
    for member in range(1, members + 1):
        if member == LEAD_ID:
            continue
        pair = {"team_id": TEAM_ID, "lead_id": LEAD_ID, "member_id": member}
        for ago in range(weeks - weeks % 2, 0, -2):
            held = NOW - timedelta(weeks=ago, hours=rng.randint(0, 6))
            meeting = history.add(
                OneOnOne,
                **pair,
                notes="Talked about the pipeline and the new dashboard",
                next_steps="Draft the renewal playbook\nShadow a support call",
                written_by_id=LEAD_ID,
                held_at=held,
            )
            if rng.random() < 0.5:
                history.add(
                    TalkingPoint,
                    **pair,
                    author_id=member,
                    text="How do I get more time for deep work?",
                    one_on_one_id=meeting,
                    created_at=held - timedelta(days=2),
                )
        for author in (LEAD_ID, member):
            history.add(
                TalkingPoint,
                **pair,
                author_id=author,
                text="Plan the handover before the holidays",
                one_on_one_id=None,
                created_at=NOW - timedelta(days=1),
            )


def make_history(weeks: int, members: int) -> History:
    rng = random.Random(SEED)
    history = History()
    team_and_kpis(history, members)
    kpi_values(history, rng, weeks)
    checkins(history, rng, weeks, members)
    recognition(history, rng, weeks, members)
    one_on_ones(history, rng, weeks, members)
    return history


async def seed(sessions: async_sessionmaker[AsyncSession], history: History) -> None:
    """Insert the history in bulk, parents first (the order the tables were filled in)."""
    async with sessions() as session, session.begin():
        for model, rows in history.tables.items():
            await session.execute(insert(model), rows)
        if session.get_bind().dialect.name == "postgresql":  # explicit ids: move sequences on
            for model in history.tables:
                table = model.__tablename__
                await session.execute(
                    text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )
            await session.execute(text("ANALYZE"))


# --- the measurement -----------------------------------------------------------------------


@dataclass
class Figures:
    median_ms: float
    p95_ms: float
    statements: str


async def script(session: AsyncSession) -> None:
    """What `script with @Person 2` does once it has found the pair."""
    pair = Pair(TEAM_ID, LEAD_ID, MEMBER_ID)
    data = (await load_scripts(session, {pair: NOW - timedelta(weeks=2)}, NOW))[pair]
    build(data, Mention(*person(LEAD_ID)), Mention(*person(MEMBER_ID)), TEAM_NAME, True, "en")


def digest(people: list[Who]) -> Callable[[AsyncSession], Awaitable[None]]:
    """What `digest` does once it knows the team, the week and who is on it."""

    async def run(session: AsyncSession) -> None:
        earliest = week_name(week_monday(WEEK) - timedelta(weeks=UNANSWERED_WEEKS))
        obstacles = await obstacles_of_weeks(session, [(TEAM_ID, WEEK)], earliest)
        ids = [o.id for o in obstacles]
        commitments = await digest_commitments(session, [TEAM_ID], ids, TODAY)
        digest_body(TEAM_NAME, WEEK, people, obstacles, commitments, TODAY)

    return run


async def timed(
    sessions: async_sessionmaker[AsyncSession],
    statements: Statements,
    work: Callable[[AsyncSession], Awaitable[None]],
    runs: int,
) -> Figures:
    """One warm-up, then `runs` builds, each in a session of its own with its transaction
    begun (on SQLite, that is a statement of its own: BEGIN IMMEDIATE)."""
    timings: list[float] = []
    counts: set[int] = set()
    for i in range(runs + 1):
        async with sessions() as session:
            await session.connection()
            before, start = statements.count, time.perf_counter()
            await work(session)
            elapsed, sent = time.perf_counter() - start, statements.count - before
        if i:
            timings.append(elapsed * 1000)
            counts.add(sent)
    timings.sort()
    p95 = timings[math.ceil(len(timings) * 0.95) - 1]
    sql = str(min(counts)) if len(counts) == 1 else f"{min(counts)}-{max(counts)}"
    return Figures(statistics.median(timings), p95, sql)


async def measure(
    url: str, weeks: int, members: int, runs: int
) -> tuple[History, Figures, Figures]:
    history = make_history(weeks, members)
    engine = make_engine(url)
    try:
        sessions = make_sessionmaker(engine)
        print(f"seeding {weeks} weeks of history for {members} people...", file=sys.stderr)
        await seed(sessions, history)
        statements = Statements(engine)
        team = [Who(m, *person(m)) for m in range(1, members + 1) if m != LEAD_ID]
        scripts = await timed(sessions, statements, script, runs)
        digests = await timed(sessions, statements, digest(team), runs)
    finally:
        await engine.dispose()
    return history, scripts, digests


def seeded(history: History, weeks: int, members: int) -> str:
    counts = [
        (KpiValue, "KPI values"),
        (Obstacle, "obstacles"),
        (Commitment, "commitments"),
        (Kudos, "kudos"),
        (Experiment, "experiments"),
        (OneOnOne, "one-on-ones"),
        (TalkingPoint, "talking points"),
        (DipLadder, "dip ladders"),
    ]
    said = ", ".join(f"{history.count(model):,} {what}" for model, what in counts)
    return f"seeded: {said} ({weeks} weeks, {members} people)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, nargs="+", default=[26, 104])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--members", type=int, default=50, help="the lead included")
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    args = parser.parse_args()
    if args.members < 2 or min(args.weeks) < 1 or args.runs < 1:
        parser.error("give at least two members, a week of history and one run")
    print(f"{'history':<9}{'build':<9}{'median ms':<11}{'p95 ms':<8}SQL")
    longest = None
    with tempfile.TemporaryDirectory() as folder:
        for weeks in args.weeks:
            with scratch_database(Path(folder), f"scripts{weeks}w", args.database_url) as url:
                upgrade(url)
                history, *figures = asyncio.run(measure(url, weeks, args.members, args.runs))
            for build_name, f in zip(("script", "digest"), figures, strict=True):
                print(
                    f"{f'{weeks}w':<9}{build_name:<9}{f.median_ms:<11.2f}{f.p95_ms:<8.2f}"
                    f"{f.statements}",
                    flush=True,
                )
            if longest is None or weeks >= longest[1]:
                longest = (history, weeks)
    assert longest is not None
    print(seeded(longest[0], longest[1], args.members))


if __name__ == "__main__":
    main()
