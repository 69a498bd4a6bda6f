"""Resident memory of `kpicoach serve`: idle, and after a burst of work.

The server runs as its own process, as in production (migrated first by `kpicoach migrate` in
another process, on a fresh SQLite file), once Slack-only (over HTTP, against the tests' mock
Slack Web API) and once with Teams on as well (loopback mode, against the tests' mock Bot
Connector). Printed for each: the resident set idle (VmRSS), then after the load (signed
`/kpi kpis` slash commands at 50 clients for Slack; personal-chat messages at 10 clients for
Teams, every answer waited for) now and at its peak (VmHWM), and which heavy optional
libraries the process had loaded by then (read from its own /proc/PID/maps).

    .venv/bin/python bench/memory.py [--idle-seconds 2] [--seconds 5] [--teams-messages 500]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.slack_ack import (  # noqa: E402
    SECRET,
    TEAM,
    USER,
    first_contact,
    free_port,
    migrate,
    round_at,
    start,
    wait_ready,
)
from bench.teams import TimedConnector, fire, message  # noqa: E402
from tests.bot.slack.mock_slack import MockSlack  # noqa: E402

HEAVY = ("matplotlib", "botbuilder.core", "msrest", "PIL.Image", "alembic", "jinja2")


def status(pid: int, field: str) -> float:
    """A /proc/PID/status figure in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


def loaded(log: Path) -> str:
    """Which heavy optional libraries the server imported: it runs with PYTHONPROFILEIMPORTTIME,
    so its log names every module it imported."""
    imported = {line.rsplit("|", 1)[-1].strip() for line in log.read_text().splitlines()}
    return ", ".join(f"{name} {'yes' if name in imported else 'no'}" for name in HEAVY)


async def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**env, "PORT": str(port)}
    await migrate(env)
    server = start([sys.executable, "-m", "bot", "serve"], {**env, "PYTHONPROFILEIMPORTTIME": "1"})
    await wait_ready(port, server)
    return server, port


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


async def slack_only(folder: Path, idle: float, seconds: int) -> None:
    api = MockSlack(team_id=TEAM)
    api.add_user(USER, "Bench")
    await api.start()
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'slack.db'}",
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"{api.url}/api/",
        "APP_CONFIG": str(ROOT / "app.yaml"),
        "LOG_DIR": str(folder),
    }
    server, port = await serve(env)
    try:
        await asyncio.sleep(idle)
        print(f"slack-only idle: resident {status(server.pid, 'VmRSS'):.0f} MiB")
        url = f"http://127.0.0.1:{port}/slack/events"
        await first_contact(url, api)
        load = argparse.Namespace(seconds=seconds, text="kpis")
        figures = await round_at(url, 50, 60.0, load)  # every answer waited for
        print(
            f"slack-only after {figures['answers']} `/kpi kpis` answered at 50 clients "
            f"({figures['errors']} errors, {figures['lost']} lost): resident "
            f"{status(server.pid, 'VmRSS'):.0f} MiB, peak {status(server.pid, 'VmHWM'):.0f} MiB"
        )
        print(f"  imported: {loaded(folder / f'{port}.log')}")
    finally:
        stop(server)
        await api.stop()


async def teams_on(folder: Path, idle: float, messages: int) -> None:
    connector = TimedConnector()
    await connector.start()
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'teams.db'}",
        "TEAMS_LOOPBACK": "true",
        "APP_CONFIG": str(ROOT / "app.yaml"),
        "LOG_DIR": str(folder),
    }
    server, port = await serve(env)
    try:
        await asyncio.sleep(idle)
        print(f"teams-on idle: resident {status(server.pid, 'VmRSS'):.0f} MiB")
        url = f"http://127.0.0.1:{port}/api/messages"
        activities = [message(connector, serial % 200, "kpis") for serial in range(messages)]
        _, errors = await fire(url, activities, 10)
        print(
            f"teams-on after {messages} messages at 10 clients ({len(errors)} errors): resident "
            f"{status(server.pid, 'VmRSS'):.0f} MiB, peak {status(server.pid, 'VmHWM'):.0f} MiB"
        )
        print(f"  imported: {loaded(folder / f'{port}.log')}")
    finally:
        stop(server)
        await connector.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-seconds", type=float, default=2.0)
    parser.add_argument("--seconds", type=int, default=5, help="of Slack load")
    parser.add_argument("--teams-messages", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        await slack_only(Path(folder), args.idle_seconds, args.seconds)
        await teams_on(Path(folder), args.idle_seconds, args.teams_messages)


if __name__ == "__main__":
    asyncio.run(main())
