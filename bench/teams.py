"""How much a Teams message costs us: `kpicoach serve` in Teams loopback mode, over HTTP.

The server runs as its own process (TEAMS_LOOPBACK=true, SQLite) and answers into a local mock
Bot Connector (the tests' own) running in this process, which notes when each reply arrives.
Personal-chat message activities are fired at C concurrent clients, spread over many people (as
real traffic is; one chat takes at most 7 messages a second from a bot), after each person said
one word first so the round measures steady state, not first contact.

Printed for each round: the server's CPU per message (main thread, read from
/proc/PID/task/PID/stat, and the whole process; CPU time, not wall), messages per second (wall),
p50/p99 from the request to its reply reaching the connector (wall), and errors. The
`--burst` round fires messages into one chat, over Teams' 60-per-30-seconds limit: how long its
requests took, and how long until every answer had reached the chat.

    .venv/bin/python bench/teams.py [--messages 1000] [--clients 1,10] [--text kpis] [--burst 90]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.slack_ack import free_port, migrate, start, wait_ready  # noqa: E402
from tests.bot.teams.mock_connector import MockConnector  # noqa: E402
from tests.support import FIXTURES  # noqa: E402

TENANT = "bench-tenant-0000-4e1a-4b1f-9d2c"
TICKS = os.sysconf("SC_CLK_TCK")


class TimedConnector(MockConnector):
    """The tests' connector, also noting when the answer to each activity id arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}
        self.news = asyncio.Condition()

    async def _send(self, request: web.Request) -> web.Response:
        response = await super()._send(request)
        answered = request.match_info.get("activity")
        if answered and answered not in self.arrived:
            self.arrived[answered] = time.perf_counter()
        async with self.news:
            self.news.notify_all()
        return response

    async def wait_for(self, chat: str, count: int, within: float) -> None:
        """Until `count` activities reached `chat`, or `within` seconds passed."""
        async with self.news:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self.news.wait_for(lambda: len(self.to(chat)) >= count), within
                )


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """utime + stime of the process (or one of its threads), in seconds."""
    path = f"/proc/{pid}/task/{thread}/stat" if thread else f"/proc/{pid}/stat"
    fields = Path(path).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def message(connector: MockConnector, person: int, text: str) -> dict[str, Any]:
    activity: dict[str, Any] = copy.deepcopy(
        json.loads((FIXTURES / "teams" / "message_personal.json").read_text())
    )
    activity["id"] = uuid.uuid4().hex[:16]
    activity["serviceUrl"] = connector.url
    activity["from"] = {
        "id": f"29:bench-{person}",
        "name": f"Bench Person{person}",
        "aadObjectId": f"00000000-0000-4000-8000-{person:012d}",
    }
    activity["conversation"]["tenantId"] = TENANT
    activity["conversation"]["id"] = f"a:bench-chat-{person}"
    activity["channelData"]["tenant"]["id"] = TENANT
    activity["text"] = text
    return activity


async def fire(
    url: str, activities: list[dict[str, Any]], clients: int
) -> tuple[dict[str, float], list[str]]:
    """Posts every activity, `clients` at a time; when each was sent, and what failed."""
    started: dict[str, float] = {}
    errors: list[str] = []
    queue = iter(activities)

    async def client(http: ClientSession) -> None:
        for activity in queue:
            started[activity["id"]] = time.perf_counter()
            async with http.post(url, json=activity) as response:
                body = await response.read()
                if response.status not in (200, 201):
                    errors.append(f"{response.status} {body[:120]!r}")

    async with ClientSession() as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    return started, errors


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def round_(
    url: str, connector: TimedConnector, pid: int, people: int, count: int, clients: int, text: str
) -> str:
    activities = [message(connector, serial % people, text) for serial in range(count)]
    main0, all0, wall0 = cpu_seconds(pid, pid), cpu_seconds(pid), time.perf_counter()
    started, errors = await fire(url, activities, clients)
    wall = time.perf_counter() - wall0
    main, whole = cpu_seconds(pid, pid) - main0, cpu_seconds(pid) - all0
    waits = [
        (connector.arrived[i] - t) * 1000 for i, t in started.items() if i in connector.arrived
    ]
    unanswered = len(started) - len(waits)
    return (
        f"{clients:>7} {count:>8} {main / count * 1000:>11.2f} {whole / count * 1000:>10.2f} "
        f"{count / wall:>8.1f} {quantile(waits, 0.5):>8.1f} {quantile(waits, 0.99):>8.1f} "
        f"{len(errors):>6} {unanswered:>10} {rss_mib(pid):>7.0f}"
        + (f"\n  first error: {errors[0]}" if errors else "")
    )


async def burst(url: str, connector: TimedConnector, count: int, text: str) -> str:
    """`count` messages into one chat, 10 at a time: over Teams' per-chat limits."""
    person = 10**9
    _, errors = await fire(url, [message(connector, person, "help")], 1)
    assert not errors, errors
    activities = [message(connector, person, text) for _ in range(count)]
    chat = f"a:bench-chat-{person}"
    before = len(connector.to(chat))
    requests: list[float] = []
    t0 = time.perf_counter()

    async def one(http: ClientSession, activity: dict[str, Any], gate: asyncio.Semaphore) -> None:
        async with gate:
            sent = time.perf_counter()
            async with http.post(url, json=activity) as response:
                await response.read()
            requests.append((time.perf_counter() - sent) * 1000)

    gate = asyncio.Semaphore(10)
    async with ClientSession() as http:
        await asyncio.gather(*(one(http, a, gate) for a in activities))
    answered = time.perf_counter()
    await connector.wait_for(chat, before + count, within=600)
    arrived = len(connector.to(chat)) - before
    return (
        f"burst into one chat: {count} messages; requests p50 {quantile(requests, 0.5):.0f} ms, "
        f"p99 {quantile(requests, 0.99):.0f} ms, all answered after {answered - t0:.1f} s; "
        f"{arrived} answers reached the chat after {time.perf_counter() - t0:.1f} s (wall)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000, help="per round")
    parser.add_argument("--clients", default="1,10")
    parser.add_argument("--people", type=int, default=200, help="distinct personal chats")
    parser.add_argument("--text", default="kpis", help="what each person writes to the bot")
    parser.add_argument("--burst", type=int, default=0, help="messages into one chat (0: none)")
    parser.add_argument("--profile", type=Path, help="write the server's cProfile stats here")
    args = parser.parse_args()

    connector = TimedConnector()
    await connector.start()
    folder = Path(tempfile.mkdtemp())
    port = free_port()
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'bench.db'}",
        "TEAMS_LOOPBACK": "true",
        "APP_CONFIG": str(ROOT / "app.yaml"),
        "LOG_DIR": str(folder),
        "PORT": str(port),
    }
    await migrate(env)
    profile = ["-m", "cProfile", "-o", str(args.profile)] if args.profile else []
    server = start([sys.executable, *profile, "-m", "bot", "serve"], env)
    url = f"http://127.0.0.1:{port}/api/messages"
    try:
        await wait_ready(port, server)
        print(f"server: pid {server.pid}, idle resident {rss_mib(server.pid):.0f} MiB")
        # First contact for every person, unmeasured: their rows exist from here on.
        warm = [message(connector, person, "help") for person in range(args.people)]
        _, errors = await fire(url, warm, 10)
        assert not errors, errors[:3]
        print(f"{args.people} people, each message `{args.text}` in their personal chat")
        print(
            "clients messages  main ms/msg  all ms/msg  msgs/s   p50 ms   p99 ms errors "
            "unanswered  RSS MiB"
        )
        for clients in (int(c) for c in args.clients.split(",")):
            line = await round_(
                url, connector, server.pid, args.people, args.messages, clients, args.text
            )
            print(line, flush=True)
        if args.burst:
            print(await burst(url, connector, args.burst, args.text), flush=True)
        print(f"log: {folder / (str(port) + '.log')}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        await connector.stop()


if __name__ == "__main__":
    asyncio.run(main())
