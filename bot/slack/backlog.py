"""Work that follows an ack, done by a few workers in arrival order: what a button, an event or
a modal asks for, and a command's answer when it did not fit in the ack (a modal to open, more
than one message, or work still running when the ack had to go).

A listener acks, queues a small job and returns, so Bolt's request objects are freed at once.
A burst of commands then waits here as a short list of closures rather than as thousands of
live requests: the event loop stays free to ack, and the garbage collector has little to sweep.
The list is bounded: when it is full, a listener waits for room before it returns (Bolt sends
the ack when the listener returns), so a flood slows Slack's requests down instead of queueing
answers that would arrive long after anyone waits for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


class Backlog:
    def __init__(self, workers: int, limit: int) -> None:
        self.workers = workers
        self._queue: asyncio.Queue[Job] = asyncio.Queue(limit)
        self._tasks: list[asyncio.Task[None]] = []
        self._beside: set[asyncio.Task[None]] = set()

    async def put(self, job: Job) -> None:
        """Queue the job; while the backlog is full, wait for a worker to take one."""
        self._start()
        await self._queue.put(job)

    def push(self, job: Job) -> None:
        """Queue the job without waiting, for work already under way (a slow command whose
        ack must not wait for room too): when the backlog is full it runs beside the workers."""
        self._start()
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            task = asyncio.create_task(self._run(job))
            self._beside.add(task)
            task.add_done_callback(self._beside.discard)

    async def settled(self) -> None:
        """Wait until every queued job has run (tests, and a graceful stop)."""
        await self._queue.join()
        while self._beside:
            await asyncio.gather(*self._beside, return_exceptions=True)

    def _start(self) -> None:
        if not self._tasks:  # started on first use, inside the running loop
            self._tasks = [asyncio.create_task(self._work()) for _ in range(self.workers)]

    async def close(self, grace: float = 10.0) -> None:
        """Finish what was acked (for a while), then stop the workers."""
        if self._queue.qsize():
            log.info("finishing %d queued Slack jobs before stopping", self._queue.qsize())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.settled(), grace)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await self._run(job)
            finally:
                self._queue.task_done()

    async def _run(self, job: Job) -> None:
        try:
            await job()  # jobs report their own failures; this is the last net
        except Exception:
            log.exception("a Slack job failed")
