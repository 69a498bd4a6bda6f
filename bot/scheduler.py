"""The tick: what is due now, written once to the ledger and the outbox; and the clock that runs it.

APScheduler only ticks. Each tick recomputes, from the database, which prompts are due at this
minute for every person (their zone, working days, quiet hours, leave, snooze, budget) and
inserts them under unique keys, so two ticks, a restart or a second replica never queue one
twice, and prompts missed while the process was down go out late (within their grace) or are
recorded as missed. Jobs live in memory with fixed ids: APScheduler 3 cannot share a job
store between processes, and does not need to, because the database decides.

Which prompts, reminders and hooks there are comes from the registry (`bot.tick` holds the
steps that read it); this module runs them in order and turns what they decide into ledger
and outbox rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.delivery import Worker
from bot.delivery_lock import only_worker
from bot.sender import Sender
from bot.tick import hooks
from bot.tick.budget import groups
from bot.tick.calendar import Calendar
from bot.tick.compose import Composer
from bot.tick.crews import candidates, crews
from bot.tick.overlap import Said, alongside, write_slice
from bot.tick.reminders import due_reminders
from bot.tick.report import TickReport
from bot.tick.rows import dm_row, ledger_row, prompt_row, row_of
from rituals.core.context import Clock
from rituals.core.messages import Block
from rituals.core.nudges import told_this_month
from rituals.core.schedule import Verdict
from rituals.core.settings import RitualSettings
from rituals.core.tick import Asked, Candidate, Crew
from storage.bounded import LIMIT, slices
from storage.engine import make_sessionmaker, works_apart
from storage.models import NudgeOutcome, Platform, Role
from storage.outbox import LedgerRow, OutboxRow, decided_keys, enqueue, record_nudges
from storage.roster import SeatRow, seats_on, teams_on

log = logging.getLogger(__name__)

TICK_SECONDS = 60
# Objects a tick makes between two young collections (Python's default is 700).
TICK_GC_OBJECTS = 50_000
# People whose messages are composed between two turns of the event loop (see `_messages`).
YIELD_EVERY = 50
# How long stopping waits for the worker to record its round before cutting it off.
STOP_SECONDS = 30.0


@dataclass
class Planner:
    sessions: async_sessionmaker[AsyncSession]
    settings: RitualSettings
    platforms: Collection[Platform]
    last_tick: datetime | None = None
    last_report: TickReport = field(default_factory=TickReport)
    calendar: Calendar = field(default_factory=Calendar)

    async def tick(self, now: datetime) -> TickReport:
        started = time.perf_counter()
        report = TickReport()
        with collector_paused():
            await self._tick(now, report)
        report.seconds = time.perf_counter() - started
        self.last_tick, self.last_report = now, report
        if report.queued or report.missed:
            log.info("tick %s: %s", now.isoformat(timespec="minutes"), report)
        return report

    async def _tick(self, now: datetime, report: TickReport) -> None:
        async with self.sessions() as session, session.begin():
            teams = await teams_on(session, self.platforms)
            seats = await seats_on(session, self.platforms)
            every = crews(teams, seats, self.settings, self.calendar, now)
            # What is settled already is skipped before any person's arithmetic is done.
            occs = [o for c in every for r in c.rounds for o in r.occurrences.values()]
            known = await decided_keys(session, {o.ritual for o in occs}, {o.period for o in occs})
            found = candidates(every, self.settings, self.calendar, now, known)
            fresh = await hooks.open_and_skip(session, found, now)
            await self._settle(session, fresh, now, report)
            await self._remind(session, every, seats, now, report)
            await self._close(session, every, seats, now, report)

    def _asked(self, c: Candidate, now: datetime) -> Asked:
        crew = c.crew
        today = self.calendar.today(c.seat.time_zone, now)
        return Asked(c.key, c.occ, crew.team, crew.rituals, c.seat, crew.lead, crew.people, today)

    async def _said(
        self, session: AsyncSession, sending: Sequence[Candidate], now: datetime
    ) -> Said:
        """Prompt key -> what the store says in it: bulk queries per kind of prompt, each
        loader given at most `LIMIT` prompts at a time so its `IN` lists stay bounded."""
        said: dict[str, tuple[Block, ...]] = {}
        for spec in {c.spec.kind: c.spec for c in sending}.values():
            if spec.load is not None:
                mine = [c for c in sending if c.spec.kind == spec.kind]
                for part in slices(mine, LIMIT):
                    asked = [self._asked(c, now) for c in part]
                    said.update(await spec.load(session, asked, now))
        return said

    async def _settle(
        self, session: AsyncSession, fresh: list[Candidate], now: datetime, report: TickReport
    ) -> None:
        """Ledger first: only the prompts this tick wins get an outbox row. The prompts go
        `LIMIT` people at a time, ledger, details and outbox rows together, so what a tick
        holds at once does not grow with the crowd; a slice's writes overlap the composing
        of the next (bot.tick.overlap)."""
        passed = [c for c in fresh if c.decision.verdict is not Verdict.DUE]
        for part in slices(passed, LIMIT):
            ledger = [
                ledger_row(c, OUTCOMES[c.decision.verdict], c.decision.reason, now) for c in part
            ]
            won = await record_nudges(session, ledger)
            for row in ledger:
                if row.dedupe_key in won and row.outcome is NudgeOutcome.SKIPPED:
                    report.skipped += 1
                elif row.dedupe_key in won:
                    report.missed += 1
        due = [c for c in fresh if c.decision.verdict is Verdict.DUE]
        budget = self.settings.nudges.weekly_budget
        grouped = await groups(session, due, budget, self.calendar, now, report)
        composer = Composer()
        parts = list(slices(grouped, LIMIT))
        apart = works_apart(session)
        reads = _Reads(self, session, now)
        # The first slice's reads and ledger rows; each later slice's go alongside.
        ahead = await write_slice(session, [], parts[0] if parts else [], now, reads)
        told: set[int] = set()
        rows: list[OutboxRow] = []
        for at, people in enumerate(parts):
            # These people's messages are composed while the database writes the slice
            # before's messages and the next slice's ledger rows, and reads what the next
            # slice's prompts say: its time and ours overlap.
            following = parts[at + 1] if at + 1 < len(parts) else []
            written = len(rows)
            told |= ahead.told
            this = ahead
            ahead, rows = await alongside(
                write_slice(session, rows, following, now, reads),
                self._messages(people, this.won, this.said, told, composer, now, report),
                at_once=apart,
            )
            report.messages += written
        await enqueue(session, rows)
        report.messages += len(rows)

    async def _messages(
        self,
        grouped: Sequence[list[Candidate]],
        won: set[str],
        said: Mapping[str, tuple[Block, ...]],
        told: set[int],
        composer: Composer,
        now: datetime,
        report: TickReport,
    ) -> list[OutboxRow]:
        """An outbox row per message these people won. It lets the event loop run every
        `YIELD_EVERY` people, so the statements written meanwhile go out as soon as the
        ones before come back."""
        rows: list[OutboxRow] = []
        for n, group in enumerate(grouped, 1):
            mine = [_with_details(c, said.get(c.key)) for c in group if c.key in won]
            if mine:
                seat = mine[0].seat
                week = (
                    self.calendar.budget_week(seat.time_zone, now)
                    if mine[0].spec.budgeted
                    else None
                )
                rows.append(
                    prompt_row(composer, mine, week, now, manners=seat.member_id not in told)
                )
                told.add(seat.member_id)
                report.queued += len(mine)
            if n % YIELD_EVERY == 0:
                await asyncio.sleep(0)
        return rows

    async def _remind(
        self,
        session: AsyncSession,
        every: Sequence[Crew],
        seats: Sequence[SeatRow],
        now: datetime,
        report: TickReport,
    ) -> None:
        """A commitment's owner hears of it on its due day, and an experiment's owner on its
        look-back day, when their working day starts.

        Not counted against the nudge budget: the owner took it on, and asked to be held to it.
        """
        served = {c.team.id: c for c in every}
        due = await due_reminders(session, served, seats, self.settings, self.calendar, now)
        outcomes = {
            Verdict.DUE: NudgeOutcome.QUEUED,
            Verdict.SKIPPED: NudgeOutcome.SKIPPED,
            Verdict.MISSED: NudgeOutcome.MISSED,
        }
        ledger: list[LedgerRow] = []
        sending: dict[str, OutboxRow] = {}
        for found in due:
            item, team, seat, decision = found.reminder, found.team, found.seat, found.decision
            ledger.append(
                LedgerRow(
                    team.workspace_id,
                    team.id,
                    seat.member_id,
                    item.kind,
                    found.occ.period,
                    item.key,
                    outcomes[decision.verdict],
                    decision.reason or None,
                    now,
                )
            )
            if decision.verdict is Verdict.DUE:
                message = item.message(seat, self.calendar.today(seat.time_zone, now))
                sending[item.key] = dm_row(team, seat, item.kind, item.key, message, None, now)
        if not ledger:
            return
        won = await record_nudges(session, ledger)
        rows = [row for key, row in sending.items() if key in won]
        await enqueue(session, rows)
        report.queued += len(rows)
        report.messages += len(rows)

    async def _close(
        self,
        session: AsyncSession,
        every: Sequence[Crew],
        seats: Sequence[SeatRow],
        now: datetime,
        report: TickReport,
    ) -> None:
        """Team posts that close a ritual (a purpose workshop's answers, a quarter's review, a
        pulse, a month's vote). Each goes out once (its outbox key), to the team channel, or
        to the lead when the team has none."""
        leads = {s.team_id: s for s in seats if s.role is Role.LEAD}
        rows = []
        for post in await hooks.close(session, every, now, self.settings):
            row = row_of(post, leads, now)
            if row is not None:
                rows.append(row)
        await enqueue(session, rows)
        report.messages += len(rows)


@dataclass(frozen=True)
class _Reads:
    """A tick's reads of a slice of people, for `write_slice`."""

    planner: Planner
    session: AsyncSession
    now: datetime

    async def told(self, grouped: Sequence[list[Candidate]]) -> set[int]:
        return await told_this_month(self.session, (g[0].seat for g in grouped), self.now)

    async def said(self, sending: Sequence[Candidate]) -> Said:
        return await self.planner._said(self.session, sending, self.now)


OUTCOMES = {Verdict.SKIPPED: NudgeOutcome.SKIPPED, Verdict.MISSED: NudgeOutcome.MISSED}


def _with_details(c: Candidate, details: tuple[Block, ...] | None) -> Candidate:
    """The candidate with what the store says in its prompt (most say nothing more)."""
    return replace(c, prompt=replace(c.prompt, details=details)) if details else c


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Garbage collections during a tick look only at what the tick made: a big fan-out makes
    tens of thousands of objects, which set off full collections that walked the whole heap
    each time (a third of the tick's CPU at 10,000 people). The heap as it was is frozen for
    the tick, so the tick's own cycles are still collected, and thawed after."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(TICK_GC_OBJECTS, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def start_scheduler(
    jobs: dict[str, tuple[Callable[[], Awaitable[object]], float]],
) -> AsyncIOScheduler:
    """Run each job every so many seconds. One instance of a job at a time, and runs missed
    while the loop was busy merge into one."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    for job_id, (job, seconds) in jobs.items():
        scheduler.add_job(
            job,
            "interval",
            seconds=seconds,
            id=job_id,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(seconds),
            replace_existing=True,
        )
    scheduler.start()
    return scheduler


@dataclass
class Scheduling:
    """The tick and the worker of one process, as the server and the console run them."""

    planner: Planner
    worker: Worker
    clock: Clock

    _ticking: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def tick(self) -> TickReport:
        async with self._ticking:
            report = await self.planner.tick(self.clock.now())
        if report.messages:
            self.worker.wake()
        return report

    async def stop(self, delivering: asyncio.Task[None]) -> None:
        """Let a tick in hand and the worker's round finish, rather than cancel them inside a
        transaction (see `Worker.stop`); a worker stuck past `STOP_SECONDS` is cancelled."""
        async with self._ticking:
            self.worker.stop()
        _, late = await asyncio.wait({delivering}, timeout=STOP_SECONDS)
        if late:
            delivering.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await delivering


@contextlib.asynccontextmanager
async def scheduling(
    engine: AsyncEngine,
    config: AppConfig,
    senders: Mapping[Platform, Sender],
    clock: Clock,
    extra_jobs: Mapping[str, tuple[Callable[[], Awaitable[object]], float]] | None = None,
) -> AsyncIterator[Scheduling]:
    """Tick every minute and deliver until the block ends; on SQLite, as the only process."""
    with only_worker(engine.url.render_as_string(hide_password=False)) as exclusive:
        sessions = make_sessionmaker(engine)
        rhythm = Scheduling(
            Planner(sessions, config, list(senders)),
            Worker(
                sessions,
                senders,
                clock,
                config.delivery.per_workspace_per_second,
                exclusive=exclusive,
            ),
            clock,
        )
        try:
            await rhythm.tick()  # at once: catch up on what came due while we were down
        except Exception:
            log.exception("the first tick failed; the next one will try again")
        delivering = asyncio.create_task(rhythm.worker.run(), name="outbox-worker")
        scheduler = start_scheduler({"tick": (rhythm.tick, TICK_SECONDS), **(extra_jobs or {})})
        try:
            yield rhythm
        finally:
            scheduler.shutdown(wait=False)
            await rhythm.stop(delivering)
