"""The outbox worker: claims due rows, sends them through their platform, records what happened.

A row is marked sent only after the platform accepted it. Failures that may pass (a 5xx, a
dropped connection) retry with exponential backoff and jitter; a 429 waits out Retry-After and
slows the whole workspace; failures that will not pass (the person left, the bot was removed)
are recorded with their reason and never retried. A row claimed by a worker that died is "in
doubt": the platform is asked whether it arrived before it is sent again; while it cannot say,
the row waits, and when it still cannot after the last attempt the row is left `in_doubt` for
an operator rather than sent blind. Where the platform keeps no record to ask (Teams, Slack
channels), it is sent again with a note on the row saying it may show twice. A worker stopped
with rows it never began to send gives them back as they were: those, at least, are not in doubt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.send_pace import Pace
from bot.sender import (
    Behind,
    CannotAsk,
    Doubt,
    Failed,
    Later,
    Result,
    Retry,
    Sender,
    Sent,
    Unsure,
)
from rituals.core.context import Clock
from storage.models import Outbox, OutboxStatus, Platform
from storage.outbox import (
    Claimed,
    ask_again,
    claim,
    mark_failed,
    mark_in_doubt,
    mark_sent,
    release,
    retry_later,
)

log = logging.getLogger(__name__)

# How long a row waits when no send slot could be taken (the database did not answer).
LATER_SECONDS = 5.0
# The least a rate limit waits: "Retry-After: 0" would have the row claimed again at once.
RATE_LIMIT_FLOOR_SECONDS = 1.0
# Results are written in groups this size (a round, by default): one transaction per group.
RECORD_EVERY = 64
# How long a stopping worker lets the sends it started finish before cancelling them.
STOP_GRACE_SECONDS = 5.0
# Outcomes that leave a row to be tried again later: whatever is behind it waits too.
PUT_OFF = (Later, Retry, Unsure, Behind)

# What a row sent again unchecked says to whoever reads `kpicoach outbox`.
RESENT_UNCHECKED = (
    "sent again after its worker stopped: the platform keeps no record to check, so it may "
    "show twice"
)


class Begun:
    """The sends a round began. Once it closes (it was cut off, or a record failed), the sends
    in flight may finish but no other begins: those are given back untried, not left to be
    cut off in their turn and sent again as rows in doubt."""

    def __init__(self) -> None:
        self.rows: set[int] = set()
        self.closed = False

    def mark(self, item: Claimed) -> None:
        """Called as the row's send begins; a closed round cancels it instead."""
        if self.closed:
            raise asyncio.CancelledError
        self.rows.add(item.id)

    def tried(self, item: Claimed) -> bool:
        """Whether the row may have gone out: its send began, or it was in doubt already (a
        worker before this one may have sent it)."""
        return item.in_doubt or item.id in self.rows


class Worker:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        senders: Mapping[Platform, Sender],
        clock: Clock,
        per_second: float,
        *,
        exclusive: bool = False,
        batch: int = 64,
        concurrency: int = 16,
        lease: timedelta = timedelta(minutes=2),
        max_attempts: int = 8,
        poll_seconds: float = 5.0,
    ) -> None:
        self.sessions = sessions
        self.senders = senders
        self.clock = clock
        self.pace = Pace(sessions, per_second)
        # The only worker on this database (SQLite): rows left `sending` are a dead run's.
        self.exclusive = exclusive
        self.batch = batch
        self.lease = lease
        self.max_attempts = max_attempts
        self.poll_seconds = poll_seconds
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        # One drain at a time per process, so whoever drains knows all that was due is done.
        self._draining = asyncio.Lock()
        self._stopping = False
        self.sent = 0

    def wake(self) -> None:
        """New rows are due: look now instead of at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        """End `run` once the round in hand is recorded. Cancelling a round instead can cut
        it off inside a transaction whose connection is then never given back; on SQLite
        that connection keeps the write lock, and the next writer gets "database is locked"."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Deliver until stopped; a failed round is logged and the next one tries again."""
        if self.exclusive:
            await self.recover()
        while not self._stopping:
            try:
                await self.drain()
            except Exception:
                log.exception("outbox round failed; trying again shortly")
            self._wake.clear()
            if self._stopping:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                # Python 3.11's wait_for (and a driver call) can swallow a cancel that lands
                # as it finishes: the loop would go on polling and the shutdown wait forever.
                raise asyncio.CancelledError

    async def recover(self) -> None:
        """Rows a killed run left `sending` become in doubt at once, not after their lease."""
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(Outbox)
                .where(
                    Outbox.status == OutboxStatus.SENDING,
                    Outbox.platform.in_(list(self.senders)),
                )
                .values(lease_until=now - timedelta(seconds=1))
            )

    async def drain(self) -> int:
        """Send everything due now; how many rows were settled."""
        total = 0
        async with self._draining:
            while not self._stopping and (settled := await self.round()):
                total += settled
        return total

    async def round(self) -> int:
        """Claim a batch and send it, recording results every few sends: a crash leaves at most
        a batch in doubt, and the rows whose results were recorded are not."""
        async with self.sessions() as session, session.begin():
            items = await claim(
                session, list(self.senders), self.clock.now(), self.batch, self.lease
            )
        begun = Begun()
        sends = self._in_order(items, begun)
        done: list[tuple[Claimed, Result]] = []
        taken: set[int] = set()
        whens: dict[int, datetime] = {}  # row id -> when it is tried again, for rows behind it
        try:
            for finished in asyncio.as_completed(sends):
                done.append(await finished)
                taken.add(done[-1][0].id)
                if len(done) >= RECORD_EVERY:
                    outcomes, done = done, []
                    await self._record(outcomes, whens)
        finally:
            # Stopping (or a failed record): no send begins any more, and those in flight get a
            # moment to finish, so what went out is recorded and none is cut off holding a
            # database connection; the rest are cancelled and waited for. Those cut off in
            # flight stay `sending`, to be asked about later; those never begun are given
            # back, since they are known not sent.
            begun.closed = True
            untried: list[Claimed] = []
            if sends:
                _, late = await asyncio.wait(sends, timeout=STOP_GRACE_SECONDS)
                for send in late:
                    send.cancel()
                ends = await asyncio.gather(*sends, return_exceptions=True)
                untried = self._ends(items, ends, begun, taken, done, whens)
            await asyncio.shield(self._record(done, whens, untried))
        return len(items)

    @staticmethod
    def _ends(
        items: list[Claimed],
        ends: list[tuple[Claimed, Result] | BaseException],
        begun: Begun,
        taken: set[int],
        done: list[tuple[Claimed, Result]],
        whens: dict[int, datetime],
    ) -> list[Claimed]:
        """The rows a cut-off round never tried, to give back; the outcomes not recorded yet
        go to `done`. A row never tried behind one to the same target that is held back (cut
        off in flight and left `sending` until its claim runs out, or put off) is not given
        back due at once: a worker started meanwhile (a restart, a replica) would send it
        first. It waits behind that row, as a row put off behind it does."""
        untried: list[Claimed] = []
        held: dict[tuple[Platform, int, str], Claimed] = {}  # target -> the row held back
        for item, outcome in zip(items, ends, strict=True):
            key = (item.platform, item.workspace_id, item.target)
            if isinstance(outcome, tuple):
                if item.id not in taken:
                    done.append(outcome)
                if isinstance(outcome[1], PUT_OFF):
                    held[key] = item
            elif begun.tried(item):  # left `sending`: asked about once its claim runs out
                whens[item.id] = item.lease_until
                held[key] = item
            elif key in held:
                done.append((item, Behind(held[key].id)))
                held[key] = item
            else:
                untried.append(item)
        return untried

    def _in_order(
        self, items: list[Claimed], begun: Begun
    ) -> list[asyncio.Future[tuple[Claimed, Result]]]:
        """A send for each row; rows to one target wait for the one before them (claims come in
        due order), while different targets go at once. Sent side by side, a conversation's
        messages could arrive in any order."""
        last: dict[tuple[Platform, int, str], asyncio.Future[tuple[Claimed, Result]]] = {}
        sends: list[asyncio.Future[tuple[Claimed, Result]]] = []
        for item in items:
            key = (item.platform, item.workspace_id, item.target)
            send = asyncio.ensure_future(self._deliver(item, begun, last.get(key)))
            sends.append(send)
            last[key] = send
        return sends

    async def _deliver(
        self,
        item: Claimed,
        begun: Begun,
        ahead: asyncio.Future[tuple[Claimed, Result]] | None = None,
    ) -> tuple[Claimed, Result]:
        if ahead is not None:
            await asyncio.wait([ahead])
            before = None if ahead.cancelled() or ahead.exception() else ahead.result()
            if before is not None and isinstance(before[1], PUT_OFF):
                return item, Behind(before[0].id)
        async with self._slots:
            result = await self._attempt(item, begun)
        if isinstance(result, Retry | Unsure) and result.after is not None:
            try:
                await self.pace.pause(item.workspace_id, result.after)
            except Exception:  # the row's result must still be recorded; it waits anyway
                log.exception("could not pause workspace %s for every worker", item.workspace)
        return item, result

    async def _attempt(self, item: Claimed, begun: Begun) -> Result:
        sender = self.senders[item.platform]
        try:
            note = None
            if item.in_doubt:
                try:
                    arrived = await sender.delivered(item)
                except CannotAsk as exc:
                    if item.attempts < self.max_attempts:
                        return Unsure(exc.reason, exc.after)
                    log.warning("outbox %s: still in doubt, left for an operator", item.id)
                    return Doubt(f"in doubt, not sent again: {exc.reason}")
                if arrived:
                    log.info("outbox %s had arrived before its worker stopped", item.id)
                    return Sent()
                if arrived is None:
                    log.warning("outbox %s: %s", item.id, RESENT_UNCHECKED)
                    note = RESENT_UNCHECKED
            waited = await self._slot(item)
            if waited is not None:
                return waited
            begun.mark(item)
            result = await sender.send(item)
            return Sent(note) if isinstance(result, Sent) and note else result
        except Exception as exc:
            # It may have failed after the platform took it: ask before sending again.
            log.exception("outbox %s: sending failed", item.id)
            return Unsure(f"{type(exc).__name__}: {exc}")

    async def _slot(self, item: Claimed) -> Later | None:
        """Wait for the workspace's next send slot; a Later instead when there is none to
        have, or the wait (another replica's 429, say) outlasted this claim's lease, after
        which another worker may hold the row: nothing was sent, so it is no doubt and no
        attempt, and the record is written only if the row is still ours."""
        try:
            await self.pace.wait(item.workspace_id)
        except Exception as exc:
            log.exception("outbox %s: no send slot", item.id)
            return Later(LATER_SECONDS, f"no send slot: {type(exc).__name__}: {exc}")
        if self.clock.now() >= item.lease_until:
            return Later(0.0, "its claim ran out while it waited for the workspace's pace")
        return None

    async def _record(
        self,
        outcomes: list[tuple[Claimed, Result]],
        whens: dict[int, datetime] | None = None,
        untried: list[Claimed] | None = None,
    ) -> None:
        """Each outcome, and the rows given back untried, in one transaction; `whens` keeps
        each put-off row's next try, for the rows behind it, across the round's records."""
        whens = {} if whens is None else whens
        if not outcomes and not untried:
            return
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            await release(session, untried or [])
            sent = [i for i, r in outcomes if isinstance(r, Sent) and r.note is None]
            await mark_sent(session, sent, now)
            self.sent += len(sent)
            for item, result in outcomes:
                if isinstance(result, Sent) and result.note is not None:
                    await mark_sent(session, [item], now, result.note)
                    self.sent += 1
                elif isinstance(result, Failed):
                    await self._fail(session, item, result.reason)
                elif isinstance(result, Doubt):
                    await mark_in_doubt(session, item, result.reason)
                elif isinstance(result, Retry | Unsure):
                    whens[item.id] = await self._later(session, item, result, now)
                elif isinstance(result, Later):
                    when = now + put_off(result.after)
                    await retry_later(session, item, when, result.reason, counts=False)
                    whens[item.id] = when
                elif isinstance(result, Behind):
                    # As long as the row ahead, and no attempt; its id is smaller, so it is first.
                    whens[item.id] = whens.get(result.ahead, now)
                    reason = f"waits behind outbox row {result.ahead}, to the same target"
                    # A row in doubt stays in doubt: it is asked about before it is sent.
                    wait = ask_again if item.in_doubt else retry_later
                    await wait(session, item, whens[item.id], reason, counts=False)

    async def _fail(self, session: AsyncSession, item: Claimed, reason: str) -> None:
        log.warning("outbox %s to %s failed: %s", item.id, item.target, reason)
        await mark_failed(session, item, reason)

    async def _later(
        self, session: AsyncSession, item: Claimed, result: Retry | Unsure, now: datetime
    ) -> datetime:
        """Put off, or failed for good; when it is tried again (now, once failed)."""
        if result.after is not None:  # rate limited: wait as asked; it costs no attempt
            when = now + put_off(max(result.after, RATE_LIMIT_FLOOR_SECONDS))
        elif item.attempts >= self.max_attempts:
            await self._fail(
                session, item, f"gave up after {item.attempts} attempts: {result.reason}"
            )
            return now
        else:
            when = now + timedelta(seconds=backoff(item.attempts))
        if isinstance(result, Unsure):
            await ask_again(session, item, when, result.reason)
        else:
            await retry_later(session, item, when, result.reason, counts=result.after is None)
        return when


def put_off(seconds: float) -> timedelta:
    """A wait rounded up to the millisecond: `timedelta` rounds to the nearest microsecond, so
    a chat full by a hair would be due again at once, before it has room, and one drain would
    claim and put it off in a loop that never ends (a clock that stands still, as in tests)."""
    return timedelta(milliseconds=math.ceil(seconds * 1000))


def backoff(attempt: int) -> float:
    """Seconds before retry number `attempt`: 5 s doubling to an hour, with jitter so that a
    recovered platform is not hit by every waiting row at the same instant."""
    return float(min(3600, 5 * 2 ** (attempt - 1))) * random.uniform(0.5, 1.0)
