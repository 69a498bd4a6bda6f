"""The database's time and ours, overlapped: a slice's writes run while the next is composed.

A tick writes its people a slice at a time; each slice's INSERTs keep the database busy about
as long as composing a slice's messages keeps us busy. Done one after the other, the tick
took both; here the previous slice's outbox rows, the next slice's ledger rows and what the
store says of its people go to the database while this slice's messages are composed, on the
one connection of the tick's transaction (the composing gives the event loop a turn now and
then, so the second statement goes out as soon as the first comes back). On SQLite, whose
statements run in a thread of ours, they take turns as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.tick.rows import queued_ledger
from rituals.core.messages import Block
from rituals.core.tick import Candidate
from storage.outbox import OutboxRow, enqueue, record_nudges

# Prompt key -> what the store says in that prompt.
Said = Mapping[str, tuple[Block, ...]]


class Reads(Protocol):
    """The tick's reads of a slice of people's groups of prompts."""

    async def told(self, grouped: Sequence[list[Candidate]]) -> set[int]: ...
    async def said(self, sending: Sequence[Candidate]) -> Said: ...


T = TypeVar("T")
U = TypeVar("U")


async def alongside(
    write: Awaitable[T], work: Awaitable[U], *, at_once: bool = True
) -> tuple[T, U]:
    """Both at once: `write` waits on the database while `work` uses our CPU. The write goes
    first, so its statement is on its way before the work starts; a failed or cancelled work
    still waits for it, however often it is cancelled meanwhile, so that no statement is cut
    off inside the transaction. Not `at_once`: the write, then the work (a database in our own
    process has no CPU of its own to overlap)."""
    if not at_once:
        written = await write
        return written, await work
    writing = asyncio.ensure_future(write)
    try:
        await asyncio.sleep(0)
        done = await work
    except BaseException:
        await _to_its_end(writing)
        if not writing.cancelled():
            writing.exception()  # seen: the work's error is the one raised
        raise
    await _to_its_end(writing)
    return writing.result(), done


async def _to_its_end(task: asyncio.Future[T]) -> None:
    """Wait until `task` is done, and only then raise a cancel that came meanwhile. `wait` and
    `shield` give up at the first cancel and leave the task running; a second cancel (a stop
    that cancels again) would end the tick while its statement still ran on the session."""
    cancelled: asyncio.CancelledError | None = None
    while not task.done():
        try:
            await asyncio.wait({task})
        except asyncio.CancelledError as exc:
            cancelled = exc
    if cancelled is not None:
        if not task.cancelled():
            task.exception()  # seen: the cancel is the one raised
        raise cancelled


@dataclass(frozen=True)
class Next:
    """What the next slice's messages are composed from: the prompts the ledger gave this
    tick, what the store says in them, and who was nudged already this month."""

    won: set[str]
    said: Said
    told: set[int]


NOTHING = Next(set(), {}, set())


async def write_slice(
    session: AsyncSession,
    rows: Sequence[OutboxRow],
    following: Sequence[list[Candidate]],
    now: datetime,
    reads: Reads,
) -> Next:
    """One slice's messages into the outbox, then the next slice's reads and its ledger rows
    (nothing when there is no next slice). The next slice's reads go with these writes, so
    the database never waits for us between them, and our CPU in them overlaps the
    composing. Who was told this month is read before the slice's ledger rows are written:
    this tick's are not the month's first nudge."""
    await enqueue(session, rows)
    if not following:
        return NOTHING
    told = await reads.told(following)
    won = await record_nudges(session, queued_ledger(following, now))
    said = await reads.said([c for group in following for c in group if c.key in won])
    return Next(won, said, told)
