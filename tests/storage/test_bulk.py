"""The ledger's and the outbox's bulk writes: once per key, every field as it was given.

On PostgreSQL they go as arrays through `unnest`, on SQLite as a VALUES list (storage.bulk),
a column that holds one value in every row as one parameter: both must write a key once, say
which keys they wrote, and store what they were given, as SQLAlchemy's own insert stores it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.context import Clock
from storage.bulk import _array_type
from storage.models import (
    Member,
    Nudge,
    NudgeOutcome,
    Outbox,
    OutboxStatus,
    Platform,
    Team,
    Workspace,
)
from storage.outbox import LedgerRow, OutboxRow, enqueue, record_nudges
from tests.support import seed_people

NOW = datetime(2026, 11, 23, 9, 30, 7, 123456, tzinfo=UTC)


async def _someone(session: AsyncSession, clock: Clock) -> tuple[int, int, int]:
    """A workspace, team and member the rows may name (their foreign keys hold)."""
    await seed_people(session, clock)
    member = (await session.scalars(select(Member).order_by(Member.id))).first()
    assert member is not None
    team = await session.scalar(select(Team.id).where(Team.workspace_id == member.workspace_id))
    assert team is not None
    return member.workspace_id, team, member.id


def _ledger(ids: tuple[int, int, int], key: str, reason: str | None = None) -> LedgerRow:
    workspace, team, member = ids
    return LedgerRow(
        workspace, team, member, "checkin", "2026-W48", key, NudgeOutcome.QUEUED, reason, NOW
    )


async def test_the_ledger_writes_each_key_once_and_says_which_it_wrote(
    sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    async with sessions() as session, session.begin():
        ids = await _someone(session, clock)
        first = await record_nudges(session, [_ledger(ids, "a"), _ledger(ids, "b", "merged")])
        # A second tick computing the same prompts, and one more: only the new one is won,
        # and a key given twice in one slice is written once.
        again = await record_nudges(
            session, [_ledger(ids, "b"), _ledger(ids, "c"), _ledger(ids, "c"), _ledger(ids, "a")]
        )
        rows = (await session.scalars(select(Nudge).order_by(Nudge.dedupe_key))).all()
    assert (first, again) == ({"a", "b"}, {"c"})
    assert [(r.dedupe_key, r.reason) for r in rows] == [("a", None), ("b", "merged"), ("c", None)]
    assert {(r.outcome, r.decided_at, r.member_id, r.team_id) for r in rows} == {
        (NudgeOutcome.QUEUED, NOW, ids[2], ids[1])
    }


async def test_the_outbox_keeps_the_first_row_of_a_key_with_every_field(
    sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    payload = {"blocks": [{"text": 'a "quoted" name, a\\slash, ünï \U0001f600'}], "to": None}
    text = json.dumps(payload)
    due = NOW + timedelta(minutes=5)
    async with sessions() as session, session.begin():
        workspace, _, member = await _someone(session, clock)
        dm = OutboxRow(
            workspace, Platform.SLACK, "U1", "checkin", "dm", text, due, member, "2026-W48"
        )
        post = OutboxRow(workspace, Platform.SLACK, "C1", "pulse", "post", '{"blocks": []}', due)
        await enqueue(session, [dm, post])
        await enqueue(session, [OutboxRow(workspace, Platform.SLACK, "U2", "x", "dm", "{}", NOW)])
        rows = (await session.scalars(select(Outbox).order_by(Outbox.dedupe_key))).all()
    got = [
        (r.dedupe_key, r.target, r.ritual, r.payload, r.member_id, r.budget_week, r.platform)
        for r in rows
    ]
    assert got == [
        ("dm", "U1", "checkin", payload, member, "2026-W48", Platform.SLACK),
        ("post", "C1", "pulse", {"blocks": []}, None, None, Platform.SLACK),
    ]
    assert {(r.status, r.attempts, r.next_attempt_at, r.created_at) for r in rows} == {
        (OutboxStatus.PENDING, 0, due, due)
    }


async def test_a_value_too_long_for_its_column_is_refused_not_cut_short(
    sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """PostgreSQL checks a column's length on INSERT; an array cast to varchar(n)[] on the
    way in would have cut the value silently instead. (SQLite checks no lengths.)"""
    async with sessions() as session:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite keeps strings of any length")
        async with session.begin():
            ids = await _someone(session, clock)
        with pytest.raises(DBAPIError, match="too long"):
            async with session.begin():
                await record_nudges(session, [_ledger(ids, "k" * 121)])


def test_a_column_type_it_cannot_carry_safely_is_refused_not_cast_into_text() -> None:
    """A naive DateTime would travel as the host's local time into timestamptz: refused."""
    table = Table("t", MetaData(), Column("id", Integer), Column("at", DateTime()))
    assert _array_type(table, "id") == "bigint"
    with pytest.raises(TypeError, match=r"t\.at: no array type"):
        _array_type(table, "at")


async def test_a_crowd_is_written_whole_each_value_as_the_orm_would_bind_it(
    sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """More rows than one SQLite statement takes, a column that differs only in the last row,
    and the stored form of every value (an enum, a time) read back raw, beside a row the ORM
    wrote: what the tick writes must be what every query of the store expects."""
    async with sessions() as session, session.begin():
        ids = await _someone(session, clock)
        crowd = [_ledger(ids, f"k{n}") for n in range(1200)]
        crowd[-1] = _ledger(ids, "k1199", "merged into k0")
        won = await record_nudges(session, crowd)
        session.add(Nudge(**{**_ledger(ids, "orm").values(), "decided_at": NOW}))
        await session.flush()
        raw = (
            await (await session.connection()).exec_driver_sql(
                "SELECT dedupe_key, outcome, decided_at, reason FROM nudge "
                "WHERE dedupe_key IN ('k0', 'k1199', 'orm')"
            )
        ).all()
    assert won == {f"k{n}" for n in range(1200)}
    by_key = {key: rest for key, *rest in raw}
    assert by_key["k0"][:2] == by_key["orm"][:2] == by_key["k1199"][:2]
    assert (by_key["k0"][2], by_key["k1199"][2]) == (None, "merged into k0")


async def test_a_json_column_takes_its_text_not_a_dict(
    sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    async with sessions() as session, session.begin():
        workspace, _, _ = await _someone(session, clock)
        row = OutboxRow(workspace, Platform.SLACK, "U1", "x", "k", {}, NOW)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="JSON text"):
            await enqueue(session, [row])


async def test_a_workspace_deleted_takes_its_ledger_with_it_through_its_members(
    sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """The ledger has no key of its own to the workspace (migration 0020): the member's holds
    it, and the rows go when the workspace does."""
    async with sessions() as session, session.begin():
        ids = await _someone(session, clock)
        await record_nudges(session, [_ledger(ids, "gone")])
    async with sessions() as session, session.begin():
        await session.execute(delete(Workspace).where(Workspace.id == ids[0]))
    async with sessions() as session:
        assert (await session.scalars(select(Nudge.dedupe_key))).all() == []
