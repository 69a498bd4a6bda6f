"""A slice's writes and the next slice's composing run at once, and neither is cut off."""

from __future__ import annotations

import asyncio

import pytest

from bot.tick.overlap import alongside


async def test_the_write_goes_first_and_the_work_runs_while_it_waits() -> None:
    """The write waits for something only the work does: one after the other, it never ends."""
    seen: list[str] = []
    answered = asyncio.Event()

    async def write() -> str:
        seen.append("sent")
        await answered.wait()
        return "written"

    async def work() -> str:
        seen.append("composing")
        answered.set()
        return "composed"

    done = await asyncio.wait_for(alongside(write(), work()), timeout=30)
    assert done == ("written", "composed")
    assert seen == ["sent", "composing"]


async def test_a_failed_work_waits_for_the_write_before_it_fails() -> None:
    """The write is a statement on the tick's connection: cut off, it would leave the
    transaction mid-statement as it is rolled back."""
    seen: list[str] = []

    async def write() -> None:
        for _ in range(3):
            await asyncio.sleep(0)
        seen.append("written")

    async def work() -> None:
        raise ValueError("composing failed")

    with pytest.raises(ValueError, match="composing failed"):
        await alongside(write(), work())
    assert seen == ["written"]


async def test_cancelled_twice_it_ends_only_once_the_write_has() -> None:
    """A stop that cancels again while the tick waits for its write: the statement still runs
    on the tick's session, so the tick must not end (and roll back, or hand the session on)
    until it is over."""
    seen: list[str] = []
    composing, cut_off, answered = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def write() -> None:
        await answered.wait()
        seen.append("written")

    async def work() -> None:
        composing.set()
        try:
            await asyncio.Event().wait()  # composes until cancelled
        except asyncio.CancelledError:
            cut_off.set()
            raise

    async def tick() -> None:
        try:
            await alongside(write(), work())
        finally:
            seen.append("tick ended")

    ticking = asyncio.create_task(tick())
    await composing.wait()
    ticking.cancel()
    await cut_off.wait()  # the tick now waits for its write
    ticking.cancel()
    await asyncio.sleep(0)  # the second cancel lands
    answered.set()
    with pytest.raises(asyncio.CancelledError):
        await ticking
    assert seen == ["written", "tick ended"]


async def test_cancelled_after_composing_the_write_is_not_cut_off_but_waited_for() -> None:
    """The work is done and the tick waits for the write alone when the stop comes, twice:
    the statement is let finish rather than cancelled mid-way on the session."""
    seen: list[str] = []
    composed, answered = asyncio.Event(), asyncio.Event()

    async def write() -> None:
        await answered.wait()
        seen.append("written")

    async def work() -> None:
        composed.set()

    async def tick() -> None:
        try:
            await alongside(write(), work())
        finally:
            seen.append("tick ended")

    ticking = asyncio.create_task(tick())
    await composed.wait()  # the tick now waits for its write
    for _ in range(2):
        ticking.cancel()
        await asyncio.sleep(0)
    answered.set()
    with pytest.raises(asyncio.CancelledError):
        await ticking
    assert seen == ["written", "tick ended"]


async def test_a_failed_write_fails_the_slice_after_the_work() -> None:
    seen: list[str] = []

    async def write() -> None:
        raise RuntimeError("duplicate key")

    async def work() -> None:
        await asyncio.sleep(0)
        seen.append("composed")

    with pytest.raises(RuntimeError, match="duplicate key"):
        await alongside(write(), work())
    assert seen == ["composed"]


async def test_not_at_once_the_write_ends_before_the_work_begins() -> None:
    """SQLite's statements run in a thread of ours: they take turns with the composing."""
    seen: list[str] = []

    async def write() -> str:
        seen.append("sent")
        await asyncio.sleep(0)
        seen.append("written")
        return "written"

    async def work() -> str:
        seen.append("composing")
        return "composed"

    assert await alongside(write(), work(), at_once=False) == ("written", "composed")
    assert seen == ["sent", "written", "composing"]
