"""The scheduler's ledger and the outbox: inserted once, claimed by one worker, marked when sent.

Inserts use ON CONFLICT DO NOTHING on the dedupe key, on SQLite and PostgreSQL alike, so
computing the same prompt twice (a second tick, a restart, a second replica) writes nothing.
Claims use SELECT ... FOR UPDATE SKIP LOCKED where the database has it (PostgreSQL); SQLite
renders no lock, which is why only one process may deliver from a SQLite file.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, case, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.bounded import slices
from storage.bulk import insert_ignoring
from storage.engine import upsert
from storage.models import (
    Member,
    Nudge,
    NudgeOutcome,
    Outbox,
    OutboxStatus,
    Platform,
    SendPace,
    Workspace,
)

NUDGES: Table = Nudge.__table__  # type: ignore[assignment]
OUTBOX: Table = Outbox.__table__  # type: ignore[assignment]
PACE: Table = SendPace.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class LedgerRow:
    """What a tick decided about one prompt for one person: queued, skipped or missed, once."""

    workspace_id: int
    team_id: int
    member_id: int
    ritual: str
    period: str
    dedupe_key: str
    outcome: NudgeOutcome
    reason: str | None
    decided_at: datetime

    def values(self) -> dict[str, object]:
        return {
            "workspace_id": self.workspace_id,
            "team_id": self.team_id,
            "member_id": self.member_id,
            "ritual": self.ritual,
            "period": self.period,
            "dedupe_key": self.dedupe_key,
            "outcome": self.outcome,
            "reason": self.reason,
            "decided_at": self.decided_at,
        }


@dataclass(frozen=True)
class OutboxRow:
    """One message waiting for the worker, due at `due`: the only way a row is written, so
    every writer (the tick, the dispatcher, an edge) fills the same typed fields.

    `payload` is the neutral message's JSON text (the bot encodes it: `bot.payload.stored`);
    `member_id` names the person a DM goes to, and `budget_week` the week an unprompted nudge
    counts against their budget.
    """

    workspace_id: int
    platform: Platform
    target: str
    ritual: str
    dedupe_key: str
    payload: str
    due: datetime
    member_id: int | None = None
    budget_week: str | None = None

    def values(self) -> dict[str, object]:
        return {
            "workspace_id": self.workspace_id,
            "platform": self.platform,
            "member_id": self.member_id,
            "target": self.target,
            "ritual": self.ritual,
            "dedupe_key": self.dedupe_key,
            "payload": self.payload,
            "budget_week": self.budget_week,
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": self.due,
            "created_at": self.due,
        }


async def decided_keys(
    session: AsyncSession, rituals: Collection[str], periods: Collection[str]
) -> set[str]:
    """The ledger's keys for these rituals and periods: prompts a tick has already settled."""
    if not rituals or not periods:
        return set()
    query = select(Nudge.dedupe_key).where(Nudge.ritual.in_(rituals), Nudge.period.in_(periods))
    # Through the connection: thousands of plain strings need none of the ORM's loading.
    return set((await (await session.connection()).scalars(query)).all())


async def record_nudges(session: AsyncSession, rows: Sequence[LedgerRow]) -> set[str]:
    """Write ledger rows; the keys this call wrote (a concurrent tick may have won the rest)."""
    values = [r.values() for r in rows]
    return set(await insert_ignoring(session, NUDGES, values, "dedupe_key", "dedupe_key"))


async def enqueue(session: AsyncSession, rows: Sequence[OutboxRow]) -> None:
    """Add messages to the outbox; a row whose dedupe key exists already is left alone."""
    await insert_ignoring(session, OUTBOX, [r.values() for r in rows], "dedupe_key")


async def recipients(
    session: AsyncSession, workspace_id: int, platform_user_ids: Collection[str]
) -> dict[str, int]:
    """Platform user id -> member id, for the DMs about to be queued; one query for all."""
    found: dict[str, int] = {}
    for users in slices(platform_user_ids):
        query = select(Member.platform_user_id, Member.id).where(
            Member.workspace_id == workspace_id, Member.platform_user_id.in_(users)
        )
        found.update({uid: member for uid, member in await session.execute(query)})
    return found


async def queued_keys(session: AsyncSession, keys: Collection[str]) -> set[str]:
    """Which of these keys the outbox holds already: posts that went out, or are going."""
    found: set[str] = set()
    for part in slices(keys):
        query = select(Outbox.dedupe_key).where(Outbox.dedupe_key.in_(part))
        found.update((await session.scalars(query)).all())
    return found


async def prompted(
    session: AsyncSession, ritual: str, keys: Collection[tuple[int, str]]
) -> set[tuple[int, str]]:
    """Which (team, period) pairs had this ritual's prompt queued for anyone; one query."""
    found: set[tuple[int, str]] = set()
    for part in slices(keys):
        query = (
            select(Nudge.team_id, Nudge.period)
            .where(
                Nudge.ritual == ritual,
                Nudge.outcome == NudgeOutcome.QUEUED,
                tuple_(Nudge.team_id, Nudge.period).in_(part),
            )
            .distinct()
        )
        found.update((team, period) for team, period in (await session.execute(query)).all())
    return found


async def budget_used(session: AsyncSession, weeks: Collection[str]) -> dict[tuple[int, str], int]:
    """(member id, week) -> unprompted DMs queued or sent to them that week."""
    if not weeks:
        return {}
    query = (
        select(Outbox.member_id, Outbox.budget_week, func.count())
        .where(Outbox.budget_week.in_(weeks), Outbox.status != OutboxStatus.FAILED)
        .group_by(Outbox.member_id, Outbox.budget_week)
    )
    rows = await session.execute(query)
    return {(m, w): n for m, w, n in rows if m is not None and w is not None}


@dataclass(frozen=True)
class Claimed:
    """A row a worker holds until its lease ends; in_doubt when a worker died while sending it."""

    id: int
    platform: Platform
    workspace: str  # the platform's id of the workspace (Slack team id, Teams tenant)
    workspace_id: int  # ours, which keys the workspace's send pace
    target: str
    ritual: str
    payload: dict[str, Any]
    attempts: int
    in_doubt: bool
    # This claim's lease end, which is also its token: a record is written only while the row
    # still carries it, so a worker whose lease ran out cannot overwrite a newer claim's result.
    lease_until: datetime


async def claim(
    session: AsyncSession,
    platforms: Collection[Platform],
    now: datetime,
    limit: int,
    lease: timedelta,
) -> list[Claimed]:
    """Take up to `limit` rows that are due, or whose worker's lease ran out, for this worker.

    Each row is written `sending` only if it is still due: on SQLite (no row locks) another
    worker in this process may have taken it since it was read (PostgreSQL skipped those
    already). A worker that lost every row it read reads again, now holding the write lock,
    rather than take "nothing claimed" for "nothing due"."""
    due = and_(Outbox.status == OutboxStatus.PENDING, Outbox.next_attempt_at <= now)
    stale = and_(Outbox.status == OutboxStatus.SENDING, Outbox.lease_until < now)
    for _ in range(2):
        # Rows in doubt first, then the due ones in the index's order: one query with OR
        # between them read and sorted every due row for each batch.
        rows = await _claimable(session, platforms, stale, Outbox.lease_until, limit)
        rows += await _claimable(session, platforms, due, Outbox.next_attempt_at, limit - len(rows))
        if not rows:
            return []
        taken = await session.scalars(
            update(Outbox)
            .where(Outbox.id.in_([row.id for row in rows]), or_(due, stale))
            .values(
                status=OutboxStatus.SENDING,
                lease_until=now + lease,
                attempts=Outbox.attempts + 1,
            )
            .returning(Outbox.id)
            .execution_options(synchronize_session=False)
        )
        mine = set(taken.all())
        if mine:
            return [_claimed(row, now + lease) for row in rows if row.id in mine]
    return []


async def _claimable(
    session: AsyncSession,
    platforms: Collection[Platform],
    condition: Any,
    order: Any,
    limit: int,
) -> list[Any]:
    if limit <= 0:
        return []
    query = (
        select(
            Outbox.id,
            Outbox.platform,
            Workspace.external_id,
            Outbox.workspace_id,
            Outbox.target,
            Outbox.ritual,
            Outbox.payload,
            Outbox.attempts,
            Outbox.status,
        )
        .join(Workspace, Workspace.id == Outbox.workspace_id)
        .where(condition, Outbox.platform.in_(platforms))
        .order_by(order, Outbox.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Outbox)
    )
    return list((await session.execute(query)).all())


def _claimed(row: Any, lease_until: datetime) -> Claimed:
    return Claimed(
        row.id,
        row.platform,
        row.external_id,
        row.workspace_id,
        row.target,
        row.ritual,
        row.payload,
        row.attempts + 1,
        row.status is OutboxStatus.SENDING,
        lease_until,
    )


def _held(rows: Collection[Claimed]) -> Any:
    """The rows, as long as they are still `sending` under these claims."""
    return and_(
        Outbox.id.in_([r.id for r in rows]),
        Outbox.status == OutboxStatus.SENDING,
        Outbox.lease_until.in_({r.lease_until for r in rows}),
    )


async def _settle(session: AsyncSession, rows: Collection[Claimed], **values: Any) -> None:
    if rows:
        await session.execute(
            update(Outbox)
            .where(_held(rows))
            .values(**values)
            .execution_options(synchronize_session=False)
        )


async def mark_sent(
    session: AsyncSession, rows: Collection[Claimed], now: datetime, note: str | None = None
) -> None:
    """Sent; `note` stays on the row for an operator (it was sent again, unchecked)."""
    await _settle(
        session, rows, status=OutboxStatus.SENT, sent_at=now, lease_until=None, last_error=note
    )


async def mark_in_doubt(session: AsyncSession, row: Claimed, reason: str) -> None:
    """Nobody could learn whether it arrived: it waits for an operator, never sent blind."""
    await _settle(
        session, [row], status=OutboxStatus.IN_DOUBT, lease_until=None, last_error=reason[:300]
    )


async def resend(session: AsyncSession, row_id: int, now: datetime) -> bool:
    """An operator's word on a row in doubt (or failed): send it now, as a fresh row."""
    done = await session.execute(
        update(Outbox)
        .where(
            Outbox.id == row_id,
            Outbox.status.in_([OutboxStatus.IN_DOUBT, OutboxStatus.FAILED]),
        )
        .values(
            status=OutboxStatus.PENDING,
            next_attempt_at=now,
            attempts=0,
            lease_until=None,
            last_error="resent by an operator",
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(done, "rowcount", 0))


async def retry_later(
    session: AsyncSession, row: Claimed, when: datetime, error: str, *, counts: bool = True
) -> None:
    """Back to pending until `when`; a rate limit (counts=False) costs the row no attempt."""
    await _settle(
        session,
        [row],
        status=OutboxStatus.PENDING,
        next_attempt_at=when,
        lease_until=None,
        last_error=error[:300],
        attempts=Outbox.attempts - (0 if counts else 1),
    )


async def ask_again(
    session: AsyncSession, row: Claimed, when: datetime, reason: str, *, counts: bool = True
) -> None:
    """In doubt: it stays `sending`, and when its lease runs out a worker asks the platform
    whether it arrived before sending it again; a row not tried (counts=False) costs no
    attempt."""
    await _settle(
        session,
        [row],
        lease_until=when,
        last_error=reason[:300],
        attempts=Outbox.attempts - (0 if counts else 1),
    )


async def release(session: AsyncSession, rows: Collection[Claimed]) -> None:
    """Claimed but never tried (their worker stopped first): pending and due as before the
    claim, its attempt given back, nothing in doubt. Only rows still under these claims: one
    whose lease ran out and that another worker took is that worker's. One statement."""
    attempts = Outbox.attempts - 1
    await _settle(session, rows, status=OutboxStatus.PENDING, lease_until=None, attempts=attempts)


async def mark_failed(session: AsyncSession, row: Claimed, reason: str) -> None:
    await _settle(
        session, [row], status=OutboxStatus.FAILED, lease_until=None, last_error=reason[:300]
    )


async def take_slots(
    session: AsyncSession, workspace_id: int, now: float, interval: float, count: int
) -> float:
    """Reserve the workspace's next `count` send slots, `interval` seconds apart and none
    before `now` (seconds since the epoch); the first of them. One atomic UPDATE ... RETURNING,
    so workers on several replicas never get the same slot."""
    start = case((SendPace.next_slot > now, SendPace.next_slot), else_=now)
    reserve = (
        update(SendPace)
        .where(SendPace.workspace_id == workspace_id)
        .values(next_slot=start + count * interval)
        .returning(SendPace.next_slot)
    )
    end = await session.scalar(reserve)
    if end is None:  # the workspace's first send: its row, then the same claim
        first = {"workspace_id": workspace_id, "next_slot": now}
        insert = upsert(session, PACE).values(first)
        await session.execute(insert.on_conflict_do_nothing(index_elements=["workspace_id"]))
        end = await session.scalar(reserve)
    assert end is not None
    return float(end) - count * interval


async def hold_sends(session: AsyncSession, workspace_id: int, until: float) -> None:
    """No send slot before `until` for this workspace, on any worker (a 429's Retry-After)."""
    first = {"workspace_id": workspace_id, "next_slot": until}
    later = case((SendPace.next_slot > until, SendPace.next_slot), else_=until)
    insert = upsert(session, PACE).values(first)
    await session.execute(
        insert.on_conflict_do_update(index_elements=["workspace_id"], set_={"next_slot": later})
    )


@dataclass(frozen=True)
class Backlog:
    counts: dict[str, int]  # status -> rows
    oldest_due: datetime | None  # the longest-waiting pending row's due time


async def backlog(session: AsyncSession) -> Backlog:
    counts = await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))
    oldest = await session.scalar(
        select(func.min(Outbox.next_attempt_at)).where(Outbox.status == OutboxStatus.PENDING)
    )
    return Backlog({status.value: n for status, n in counts}, oldest)


async def rows_with_status(
    session: AsyncSession, statuses: Collection[OutboxStatus], limit: int
) -> Sequence[Outbox]:
    """The newest rows in these states, for operators."""
    query = (
        select(Outbox)
        .where(Outbox.status.in_(statuses))
        .order_by(Outbox.next_attempt_at.desc(), Outbox.id.desc())
        .limit(limit)
    )
    return (await session.scalars(query)).all()
