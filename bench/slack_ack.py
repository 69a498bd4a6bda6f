"""How fast Slack hears back: `/kpi` ack latency under load, beside a bare Bolt app that only acks.

Both servers run as their own processes on loopback, each the real thing: `kpicoach serve`
(Bolt inside our aiohttp server, SQLite, work after the ack through a mock Slack Web API) and a
minimal Bolt app whose only listener acks. Signed slash commands are fired at each with wrk
(Debian's `wrk` package) at 1, 10 and 50 concurrent connections; without wrk, a small aiohttp
load generator in its own process stands in. Printed: p50 and p99 ack latency, acks per second,
and how many answers per second our server finished behind its acks during the round.

    .venv/bin/python bench/slack_ack.py [--seconds 5] [--clients 1,10,50] [--text kpis]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bot.slack.mock_slack import MockSlack  # noqa: E402

SECRET = "bench-signing-secret"
USER = "U0BENCH01"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# Requests signed for one round: each is sent once, as Slack sends each command once (the
# server refuses a signature it has seen). More than any round here can send.
POOL_PER_SECOND = 6000

Request = tuple[str, dict[str, str]]


def signed_pool(text: str, response_url: str, team: str, size: int) -> list[Request]:
    """`size` distinct signed slash commands: the same words, each its own trigger id."""
    return [signed(text, response_url, team, serial) for serial in range(size)]


def signed(text: str, response_url: str, team: str, serial: int = 0) -> Request:
    body = urlencode(
        {
            "token": "x",
            "team_id": team,
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
    ts = str(int(time.time()))  # valid for Slack's five minutes: enough for the whole run
    sig = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sig,
    }
    return body, headers


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


def start(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = open(Path(env["LOG_DIR"]) / f"{env['PORT']}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(argv, env={**os.environ, **env}, cwd=ROOT, stdout=log, stderr=log)


async def run_wrk(url: str, pool: list[Request], clients: int, seconds: int) -> dict[str, float]:
    script = Path(tempfile.mkdtemp()) / "post.lua"
    threads = min(clients, 2)
    lines = ["local pool = {"]
    for body, headers in pool:
        fields = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
        lines.append(f"  {{ {json.dumps(body)}, {{ {fields} }} }},")
    lines += [
        "}",
        "local serial = 0",
        "setup = function(thread) serial = serial + 1; thread:set('first', serial) end",
        "init = function() i = tonumber(wrk.thread:get('first')) or 1 end",
        "request = function()",
        "  local r = pool[i]",
        f"  i = i + {threads}",
        "  if i > #pool then i = 1 end",
        '  return wrk.format("POST", nil, r[2], r[1])',
        "end",
    ]
    script.write_text("\n".join(lines) + "\n")
    proc = await asyncio.create_subprocess_exec(
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
        url,
        stdout=asyncio.subprocess.PIPE,
    )
    out = (await proc.communicate())[0].decode()
    requests = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert requests, out
    return {
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)\s*$", out, re.M)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)\s*$", out, re.M)),
        "requests": float(requests.group(1)),
        "errors": float(bad.group(1)) if bad else 0.0,
    }


def _ms(match: re.Match[str] | None) -> float:
    assert match, "wrk printed no latency distribution"
    value = match.group(1)
    for unit, scale in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if value.endswith(unit):
            return float(value[: -len(unit)]) * scale
    raise ValueError(value)


async def run_python(url: str, pool: list[Request], clients: int, seconds: int) -> dict[str, float]:
    """The stand-in generator: its own process, keep-alive connections, closed loop."""
    code = LOADGEN.format(url=url, clients=clients, seconds=seconds)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    out = (await proc.communicate(json.dumps(pool).encode()))[0]
    result: dict[str, float] = json.loads(out)
    return result


LOADGEN = """
import asyncio, itertools, json, sys, time, aiohttp
async def main():
    lat, errors = [], 0
    pool = itertools.cycle(json.load(sys.stdin))
    async with aiohttp.ClientSession() as s:
        end = time.perf_counter() + {seconds}
        async def client():
            nonlocal errors
            while time.perf_counter() < end:
                t = time.perf_counter()
                body, headers = next(pool)
                async with s.post({url!r}, data=body, headers=headers) as r:
                    await r.read()
                    errors += r.status != 200
                lat.append(time.perf_counter() - t)
        await asyncio.gather(*(client() for _ in range({clients})))
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    print(json.dumps(dict(p50=q(0.5), p99=q(0.99), requests=len(lat), errors=errors)))
asyncio.run(main())
"""


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--text", default="kpis", help="the /kpi command to fire")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    generator = run_wrk if shutil.which("wrk") else run_python

    api = MockSlack(team_id="T0BENCH01")
    api.add_user(USER, "Bench")
    await api.start()
    folder = Path(tempfile.mkdtemp())
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'bench.db'}",
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"{api.url}/api/",
        "APP_CONFIG": str(ROOT / "app.yaml"),
        "LOG_DIR": str(folder),
    }
    migrate = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "migrate", env={**os.environ, **env}, cwd=ROOT
    )
    assert await migrate.wait() == 0
    ours, bare = free_port(), free_port()
    servers = [
        start([sys.executable, "-m", "bot", "serve"], {**env, "PORT": str(ours)}),
        start([sys.executable, str(ROOT / "bench" / "bare_bolt.py")], {**env, "PORT": str(bare)}),
    ]
    try:
        for port, process in zip((ours, bare), servers, strict=True):
            await wait_ready(port, process)
        name = generator.__name__.removeprefix("run_")
        print(f"generator: {name}, {args.seconds} s per round, /kpi {args.text}")
        print("app    clients   p50 ms   p99 ms   acks/s  errors  answers/s  p50 vs bare")
        for clients in levels:
            bare_p50 = 0.0
            for app, port in (("bare", bare), ("kpi", ours)):
                before = len(api.of("response_url"))
                url = f"http://127.0.0.1:{port}/slack/events"
                size = POOL_PER_SECOND * args.seconds
                pool = signed_pool(args.text, api.response_url("bench"), api.team_id, size)
                f = await generator(url, pool, clients, args.seconds)
                answered = (len(api.of("response_url")) - before) / args.seconds
                line = f"{app:6} {clients:>7} {f['p50']:>8.1f} {f['p99']:>8.1f} "
                line += f"{f['requests'] / args.seconds:>8.0f} {f['errors']:>7.0f}"
                if app == "bare":
                    bare_p50 = f["p50"]
                    print(line)
                    continue
                print(f"{line} {answered:>10.0f} {f['p50'] / bare_p50:>11.2f}x", flush=True)
                # Let it answer everything it acked before the next round starts.
                answers = int(f["requests"] - f["errors"])
                await api.wait_for("response_url", before + answers, within=900)
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        await api.stop()


if __name__ == "__main__":
    asyncio.run(main())
