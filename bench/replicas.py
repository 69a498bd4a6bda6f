"""Several replicas' outbox workers on one PostgreSQL database, for `fanout.py --replicas N`.

Each replica is a process of its own with its own engine, as it would be in production: the
only thing they share is the database, so the rate the mock Slack sees is the shared pace's.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web

from bot.delivery import Worker
from bot.slack.sender import SlackSender
from rituals.core.context import FixedClock
from storage.engine import make_engine, make_sessionmaker
from storage.models import Platform
from tests.bot.slack.mock_slack import MockSlack

FANOUT = Path(__file__).resolve().parent / "fanout.py"


@dataclass
class TimedMock(MockSlack):
    """The mock Slack Web API, noting when each chat.postMessage arrived."""

    arrivals: list[float] = field(default_factory=list)

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage":
            self.arrivals.append(time.perf_counter())
        return await super()._api(request)


def arrival_rate(arrivals: list[float]) -> float:
    """Messages per second between the first arrival and the last."""
    if len(arrivals) < 2:
        return 0.0
    return (len(arrivals) - 1) / (max(arrivals) - min(arrivals))


async def serve_worker(url: str, api: str, now: datetime, options: dict[str, Any]) -> None:
    """One replica: drain the outbox into the mock, then print what it sent and its CPU."""
    engine = make_engine(url)

    async def token(workspace: str) -> str:
        return "xoxb-fanout"

    try:
        async with ClientSession() as http:
            worker = Worker(
                make_sessionmaker(engine),
                {Platform.SLACK: SlackSender(token, api, http)},
                FixedClock(now),
                options["per_second"],
                batch=options["batch"],
                concurrency=options["concurrency"],
            )
            cpu = time.process_time()
            await worker.drain()
            cpu = time.process_time() - cpu
    finally:
        await engine.dispose()
    print(json.dumps({"sent": worker.sent, "cpu": cpu}), flush=True)


async def run_replicas(count: int, url: str, api: str, options: dict[str, Any]) -> list[Any]:
    """Start `count` replica processes together; what each one sent, and its CPU seconds."""
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(FANOUT),
            "--serve-worker",
            json.dumps({"url": url, "api": api, **options}),
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(count)
    ]
    results = []
    for process in processes:
        out, _ = await process.communicate()
        if process.returncode:
            raise SystemExit(f"a replica failed (exit {process.returncode})")
        results.append(json.loads(out))
    return results
