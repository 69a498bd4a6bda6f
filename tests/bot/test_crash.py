"""`kpicoach serve` killed with SIGKILL half-way through a fan-out, then started again.

Real processes on a real database, posting to a mock of Slack's Web API in this process: the
mock is where messages are counted, because that is what people would see.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.settings import WEEKDAYS
from storage.engine import make_engine, make_sessionmaker
from storage.models import Member, Outbox, OutboxStatus
from tests.bot.slack.mock_slack import MockSlack, received
from tests.scheduling import Someone, outbox, seed_team
from tests.support import ROOT

PEOPLE = 300
RATE = 100  # messages a second into the workspace (app.yaml's delivery section)
LATENCY = 0.05  # seconds Slack takes per post: several posts are in flight at any moment
EVERY_DAY = ",".join(WEEKDAYS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def seed(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    """A team whose weekly check-in came due three minutes ago, by the real clock, for people
    who may be reached right now: every day a working day, working hours around now (the
    default 09:00-17:00 would hold an evening run's check-ins till morning), quiet hours far
    from now."""
    due = now.replace(second=0, microsecond=0) - timedelta(minutes=3)  # may be yesterday
    quiet = due + timedelta(hours=12)
    people = [Someone(f"U{i:07d}", "UTC", working_days=EVERY_DAY) for i in range(PEOPLE)]
    settings: dict[str, object] = {
        "enabled": "checkin",
        "checkin_day": WEEKDAYS[due.weekday()],
        "checkin_time": f"{due:%H:%M}",
    }
    async with sessions() as session, session.begin():
        await seed_team(session, people, workspace="T0AB12CD3", settings=settings)
        await session.execute(
            update(Member).values(
                work_start=f"{due - timedelta(hours=1):%H:%M}",
                work_end=f"{due + timedelta(hours=6):%H:%M}",
                quiet_start=f"{quiet:%H:%M}",
                quiet_end=f"{quiet + timedelta(minutes=1):%H:%M}",
            )
        )


def arrived_ids(api: MockSlack) -> set[int]:
    return {
        post["metadata"]["event_payload"]["outbox_id"]
        for posts in api.history.values()
        for post in posts
    }


def serve(tmp_path: Path, name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    # Run outside the project folder, so that no developer's .env changes the mode.
    with (tmp_path / f"{name}.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"], cwd=tmp_path, env=env, stdout=log, stderr=log
        )


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:]


async def wait_until(
    done: Callable[[], bool],
    within: float,
    what: str,
    process: subprocess.Popen[bytes],
    log: Path,
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not done():
        if process.poll() is not None:
            raise AssertionError(f"the server exited ({process.returncode}):\n{tail(log)}")
        if loop.time() > deadline:
            raise AssertionError(f"{what}: not within {within} s\n{tail(log)}")
        await asyncio.sleep(0.005)


async def test_a_server_killed_mid_fan_out_and_restarted_sends_each_person_one_message(
    own_database: str, tmp_path: Path
) -> None:
    """Everyone gets their check-in exactly once, although the first process died (SIGKILL)
    with a third of them sent, and with posts Slack had accepted still unrecorded as sent.

    The restarted process queues nothing again (the ledger's keys), asks Slack's DM history
    about each row the dead one left `sending` and sends only those that never arrived, then
    the rest. On PostgreSQL a dead worker's rows wait out their lease, since another replica
    may still be sending them; the test moves those leases into the past rather than wait the
    two minutes.
    """
    api = MockSlack(latency=LATENCY)
    api_url = await api.start()
    config = yaml.safe_load((ROOT / "app.yaml").read_text(encoding="utf-8"))
    config["delivery"] = {"per_workspace_per_second": RATE}
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft"))},
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": own_database,
        "APP_CONFIG": str(tmp_path / "app.yaml"),
        "SLACK_BOT_TOKEN": "xoxb-crash-test",
        "SLACK_SIGNING_SECRET": "crash-test-secret",
        "SLACK_API_URL": api_url,
    }
    engine = make_engine(own_database)
    sessions = make_sessionmaker(engine)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        await seed(sessions, datetime.now(UTC))

        first = serve(tmp_path, "first", {**env, "PORT": str(free_port())})
        processes.append(first)
        await wait_until(
            lambda: received(api).total() >= PEOPLE // 3,
            30,
            "a third of the check-ins",
            first,
            tmp_path / "first.log",
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        await asyncio.sleep(5 * LATENCY)  # posts in flight when it died still land at Slack

        arrived = received(api).total()
        assert PEOPLE // 3 <= arrived < PEOPLE * 2 // 3, arrived  # killed mid-way
        rows = await outbox(sessions)
        assert len(rows) == PEOPLE
        in_doubt = {r.id for r in rows if r.status is OutboxStatus.SENDING}
        # The case that could send twice: Slack took these, the dead process never said so.
        assert in_doubt & arrived_ids(api), "the kill left no accepted post unrecorded"
        assert not {r.id for r in rows if r.status is OutboxStatus.SENT} - arrived_ids(api)
        if engine.dialect.name == "postgresql":
            async with sessions() as session, session.begin():
                await session.execute(
                    update(Outbox)
                    .where(Outbox.status == OutboxStatus.SENDING)
                    .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
                )
        checks_before = len(api.of("conversations.history"))

        second = serve(tmp_path, "second", {**env, "PORT": str(free_port())})
        processes.append(second)
        await wait_until(
            lambda: len(received(api)) == PEOPLE,
            60,
            "a check-in for everyone",
            second,
            tmp_path / "second.log",
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while {r.status for r in await outbox(sessions)} != {OutboxStatus.SENT}:
            assert loop.time() < deadline, Counter(r.status for r in await outbox(sessions))
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)  # a late duplicate would show by now
        second.terminate()
        second.wait(10)

        assert received(api) == Counter({f"D{i:07d}": 1 for i in range(PEOPLE)})
        posted = Counter(
            c.args["metadata"]["event_payload"]["outbox_id"] for c in api.of("chat.postMessage")
        )
        assert sorted(posted) == [r.id for r in rows]
        assert set(posted.values()) == {1}
        # Each row left in doubt was looked up once in its DM's history.
        assert len(api.of("conversations.history")) - checks_before == len(in_doubt)
        assert len(await outbox(sessions)) == PEOPLE
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        await engine.dispose()
        await api.stop()
