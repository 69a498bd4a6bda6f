"""The database's time and ours, overlapped: a slice's writes run while the next is composed.

A tick writes its people a slice at a time; each slice's INSERTs keep the database busy about
as long as composing a slice's messages keeps us busy. Done one after the other, the tick
took both; here the previous slice's outbox rows and the next slice's ledger rows go to the
database while this slice's messages are composed, on the one connection of the tick's
transaction (the composing gives the event loop a turn now and then, so the second statement
goes out as soon as the first comes back). On SQLite, whose statements run in a thread of ours,
they take turns as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.tick.rows import queued_ledger
from rituals.core.tick import Candidate
from storage.outbox import OutboxRow, enqueue, record_nudges

T = TypeVar("T")
U = TypeVar("U")


async def alongside(
    write: Awaitable[T], work: Awaitable[U], *, at_once: bool = True
) -> tuple[T, U]:
    """Both at once: `write` waits on the database while `work` uses our CPU. The write goes
    first, so its statement is on its way before the work starts; a failed work still waits
    for it, so that no statement is cut off inside the transaction. Not `at_once`: the write,
    then the work (a database in our own process has no CPU of its own to overlap)."""
    if not at_once:
        written = await write
        return written, await work
    writing = asyncio.ensure_future(write)
    try:
        await asyncio.sleep(0)
        done = await work
    except BaseException:
        await asyncio.wait({writing})
        if not writing.cancelled():
            writing.exception()  # seen: the work's error is the one raised
        raise
    return await writing, done


async def write_slice(
    session: AsyncSession,
    rows: Sequence[OutboxRow],
    following: Sequence[list[Candidate]],
    now: datetime,
) -> set[str]:
    """One slice's messages into the outbox, then the next slice's ledger rows: the keys
    the ledger took (none when there is no next slice)."""
    await enqueue(session, rows)
    return await record_nudges(session, queued_ledger(following, now))
