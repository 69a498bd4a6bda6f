"""The database's time and ours, overlapped: a slice's writes run while the next is composed.

A tick writes its people a slice at a time; each slice's INSERTs keep the database busy about
as long as composing a slice's messages keeps us busy. Done one after the other, the tick
took both; here the previous slice's outbox rows, the next slice's ledger rows and what the
store says in its prompts go to the database while this slice's messages are composed, on
the one connection of the tick's
transaction (the composing gives the event loop a turn now and then, so the second statement
goes out as soon as the first comes back). On SQLite, whose statements run in a thread of ours,
they take turns as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.tick.rows import queued_ledger
from rituals.core.messages import Block
from rituals.core.tick import Candidate
from storage.outbox import OutboxRow, enqueue, record_nudges

# Prompt key -> what the store says in that prompt.
Said = Mapping[str, tuple[Block, ...]]

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


async def write_slice(
    session: AsyncSession,
    rows: Sequence[OutboxRow],
    following: Sequence[list[Candidate]],
    now: datetime,
    load: Callable[[list[Candidate]], Awaitable[Said]],
) -> tuple[set[str], Said]:
    """One slice's messages into the outbox, then the next slice's ledger rows and what the
    store says in the prompts it won (`load`): the keys the ledger took and those details
    (nothing when there is no next slice). The next slice's reads go with these writes, so
    the database never waits for us between them, and our CPU in them overlaps the
    composing."""
    await enqueue(session, rows)
    won = await record_nudges(session, queued_ledger(following, now))
    return won, await load([c for group in following for c in group if c.key in won])
