"""What a person feels on Slack: `/kpi` timed until its answer is visible, beside a bare Bolt app.

Both servers run as their own processes on loopback, each the real thing: `kpicoach serve`
(Bolt inside our aiohttp server, SQLite, the Web API a local mock) and bench/bare_bolt.py, a Bolt
app whose one listener only acks. A load generator in a process of its own fires signed slash
commands from 1 and 50 closed-loop clients (each sends its next command when the ack comes back,
as Slack does while people keep typing). Every command carries its own response_url, served by a
small aiohttp receiver inside the generator, so one clock times each command until its answer is
visible: the ack itself when the ack carries the answer, else the first post to its response_url.

Printed per round (wall milliseconds, on the generator's clock): ack p50/p99, answer-visible
p50/p99, acks per second, complete answers per second (visible within the round), errors (not
200, or no connection), answers lost (acked, never visible within --grace seconds), the share
of answers that rode in the ack, our server's CPU milliseconds per answer, and the generator's
own CPU (% of one core: near 100 it, not the server, would be the bottleneck). Then the ratio
of one client's answer-visible p50 to bare Bolt's ack p50, in the same run.

    .venv/bin/python bench/slack_ack.py [--seconds 5] [--clients 1,50] [--text kpis] [--grace 30]
        [--database-url postgresql+asyncpg://...]  (a scratch database beside it; default SQLite)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bot.slack.mock_slack import MockSlack  # noqa: E402
from tests.databases import scratch_database  # noqa: E402

SECRET = "bench-signing-secret"
USER = "U0BENCH01"
TEAM = "T0BENCH01"
GENERATE = "--generate"  # how the parent starts the load generator: this file, in its own process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def signed(text: str, response_url: str, serial: int) -> tuple[str, dict[str, str]]:
    """A slash command as Slack signs it; each its own trigger id, as Slack sends each once
    (our server refuses a signature it has seen)."""
    body = urlencode(
        {
            "token": "x",
            "team_id": TEAM,
            "team_domain": "bench",
            "channel_id": "C0BENCH01",
            "channel_name": "bench",
            "user_id": USER,
            "user_name": "bench",
            "command": "/kpi",
            "text": text,
            "api_app_id": "A0BENCH01",
            "response_url": response_url,
            "trigger_id": f"1.2.{serial}.{time.perf_counter_ns()}",
        }
    )
    ts = str(int(time.time()))
    sig = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sig,
    }
    return body, headers


def carries_answer(raw: bytes) -> bool:
    """An ack whose body is a message: Slack shows it at once."""
    if not raw.startswith(b"{"):
        return False
    body = json.loads(raw)
    return isinstance(body, dict) and bool(body.get("text") or body.get("blocks"))


# --- the load generator (its own process) --------------------------------------------------


async def generate(
    url: str, clients: int, seconds: float, text: str, grace: float
) -> dict[str, Any]:
    """Closed-loop clients, and the receiver their response_urls point at, on one clock."""
    seen: dict[int, float] = {}  # serial -> when its first response_url post arrived
    pending: set[int] = set()  # after the round: the acked answers not seen yet
    all_seen = asyncio.Event()

    async def receive(request: web.Request) -> web.Response:
        serial = int(request.match_info["serial"])
        seen.setdefault(serial, time.perf_counter())
        pending.discard(serial)
        if not pending:
            all_seen.set()
        await request.read()
        return web.Response(text="ok")

    receiver = web.Application()
    receiver.router.add_post("/r/{serial}", receive)
    runner = web.AppRunner(receiver, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()

    sent: dict[int, float] = {}
    acked: dict[int, float] = {}  # serial -> when its 200 came back
    in_ack: set[int] = set()
    errors = 0
    serials = itertools.count()
    cpu = time.process_time()
    start = time.perf_counter()
    end = start + seconds

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while time.perf_counter() < end:
            serial = next(serials)
            body, headers = signed(text, f"http://127.0.0.1:{port}/r/{serial}", serial)
            sent[serial] = time.perf_counter()
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    raw = await response.read()
                    status = response.status
            except aiohttp.ClientError:
                status, raw = 0, b""
            if status != 200:
                errors += 1
                continue
            acked[serial] = time.perf_counter()
            if carries_answer(raw):
                in_ack.add(serial)

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(client(session) for _ in range(clients)))
    window = time.perf_counter() - start
    cpu_percent = 100 * (time.process_time() - cpu) / window
    pending.update(set(acked) - in_ack - seen.keys())
    if pending:
        all_seen.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_seen.wait(), grace)
    await runner.cleanup()

    visible = {n: acked[n] if n in in_ack else seen[n] for n in acked if n in in_ack or n in seen}
    ack_ms = sorted((acked[n] - sent[n]) * 1000 for n in acked)
    seen_ms = sorted((visible[n] - sent[n]) * 1000 for n in visible)
    return {
        "ack_p50": quantile(ack_ms, 0.5),
        "ack_p99": quantile(ack_ms, 0.99),
        "seen_p50": quantile(seen_ms, 0.5),
        "seen_p99": quantile(seen_ms, 0.99),
        "acks_per_s": len(acked) / window,
        "answers_per_s": sum(1 for t in visible.values() if t <= end) / window,
        "errors": errors,
        "lost": len(acked) - len(visible),
        "in_ack": len(in_ack),
        "answers": len(visible),
        "generator_cpu": cpu_percent,
    }


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q * len(values)))]


# --- the servers and the rounds ------------------------------------------------------------


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"server on {port} exited with {process.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"server on {port} did not start")


async def migrate(env: dict[str, str]) -> None:
    """`kpicoach migrate` on the database `env` names, as an operator runs it before `serve`."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "migrate",
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,  # its one line would fall into the bench's table
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert await process.wait() == 0


def start(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = open(Path(env["LOG_DIR"]) / f"{env['PORT']}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(argv, env={**os.environ, **env}, cwd=ROOT, stdout=log, stderr=log)


async def round_at(
    url: str, clients: int, grace: float, args: argparse.Namespace
) -> dict[str, Any]:
    config = json.dumps([url, clients, args.seconds, args.text, grace])
    proc = await asyncio.create_subprocess_exec(
        sys.executable, __file__, GENERATE, config, stdout=asyncio.subprocess.PIPE
    )
    out = (await proc.communicate())[0]
    assert proc.returncode == 0, "the load generator failed"
    result: dict[str, Any] = json.loads(out)
    return result


async def first_contact(url: str, api: MockSlack) -> None:
    """The bench user's first command (a welcome, then the answer), out of the rounds' way."""
    body, headers = signed("help", api.response_url("warm-up"), 0)
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        if carries_answer(await response.read()):
            return  # met in an earlier run: the answer came in the ack
    await api.wait_for("response_url", within=60)


HEADER = (
    f"{'app':6} {'clients':>7} {'ack50':>7} {'ack99':>7} {'seen50':>7} {'seen99':>7} "
    f"{'acks/s':>7} {'ans/s':>7} {'errors':>6} {'lost':>5} {'in-ack':>6} {'cpu/ans':>7} "
    f"{'gen-cpu':>7}"
)


def row(app: str, clients: int, f: dict[str, Any], cpu: float) -> str:
    line = f"{app:6} {clients:>7} {f['ack_p50']:>7.1f} {f['ack_p99']:>7.1f} "
    if app == "bare":  # it only acks: there is no answer to see
        line += f"{'-':>7} {'-':>7} {f['acks_per_s']:>7.0f} {'-':>7} {f['errors']:>6} "
        return line + f"{'-':>5} {'-':>6} {'-':>7} {f['generator_cpu']:>6.0f}%"
    per_answer = cpu * 1000 / f["answers"] if f["answers"] else float("nan")
    in_ack = f"{100 * f['in_ack'] / f['answers']:.0f}%" if f["answers"] else "-"
    line += f"{f['seen_p50']:>7.1f} {f['seen_p99']:>7.1f} {f['acks_per_s']:>7.0f} "
    line += f"{f['answers_per_s']:>7.0f} {f['errors']:>6} {f['lost']:>5} {in_ack:>6} "
    return line + f"{per_answer:>7.2f} {f['generator_cpu']:>6.0f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", default="1,50")
    parser.add_argument("--text", default="kpis", help="the /kpi command to fire")
    parser.add_argument("--grace", type=float, default=30, help="seconds an answer may lag")
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    with scratch_database(folder, "slack_ack", args.database_url) as url:
        asyncio.run(rounds(args, url, folder))


async def rounds(args: argparse.Namespace, database_url: str, folder: Path) -> None:
    levels = [int(c) for c in args.clients.split(",")]
    api = MockSlack(team_id=TEAM)
    api.add_user(USER, "Bench")
    await api.start()
    env = {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"{api.url}/api/",
        "APP_CONFIG": str(ROOT / "app.yaml"),
        "LOG_DIR": str(folder),
    }
    await migrate(env)
    ours, bare = free_port(), free_port()
    servers = {
        "kpi": start([sys.executable, "-m", "bot", "serve"], {**env, "PORT": str(ours)}),
        "bare": start(
            [sys.executable, str(ROOT / "bench" / "bare_bolt.py")], {**env, "PORT": str(bare)}
        ),
    }
    urls = {
        app: f"http://127.0.0.1:{port}/slack/events"
        for app, port in (("kpi", ours), ("bare", bare))
    }
    try:
        for app, process in servers.items():
            await wait_ready(ours if app == "kpi" else bare, process)
        await first_contact(urls["kpi"], api)
        engine = database_url.split(":", 1)[0].split("+", 1)[0]
        print(
            f"/kpi {args.text} on {engine}, {args.seconds:g} s per round; "
            "wall ms on the generator's clock"
        )
        print(HEADER, flush=True)
        ratio: dict[str, float] = {}
        for clients in levels:
            for app in ("bare", "kpi"):
                cpu = server_cpu(servers[app].pid)
                # Bare Bolt never answers: nothing to wait for after its round.
                grace = args.grace if app == "kpi" else 0.0
                figures = await round_at(urls[app], clients, grace, args)
                print(row(app, clients, figures, server_cpu(servers[app].pid) - cpu), flush=True)
                if clients == 1:
                    ratio[app] = figures["ack_p50" if app == "bare" else "seen_p50"]
        if len(ratio) == 2:
            print(
                f"1 client: answer visible p50 {ratio['kpi']:.2f} ms vs bare Bolt's ack p50 "
                f"{ratio['bare']:.2f} ms: {ratio['kpi'] / ratio['bare']:.2f}x"
            )
    finally:
        for process in servers.values():
            process.terminate()
        for process in servers.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        await api.stop()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == GENERATE:
        url, clients, seconds, text, grace = json.loads(sys.argv[2])
        print(json.dumps(asyncio.run(generate(url, clients, seconds, text, grace))))
    else:
        main()
