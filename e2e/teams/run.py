"""The Teams end-to-end check: our bot, driven by Microsoft's own client, not our mock.

It validates the generated manifest with the Agents Toolkit CLI (`atk validate`), starts the
bot in Teams loopback mode on a free port with a fresh SQLite database, starts the Microsoft 365
Agents Playground pointed at its /api/messages, and drives a conversation through the
Playground's web UI in Debian's chromium: help, a team created in a channel, two people added
by mention, a KPI proposed with the welcome card's button and form, an obstacle, kudos naming
two people, a digest. It fails on any error either side shows (the Playground's log panel, a
console error in the page, an error in the bot's log) and saves screenshots of the main cards
in the output folder it prints.

    python -m e2e.teams.run [--out DIR]      # or: make teams-e2e

Needs node with `npm ci` run in e2e/teams/, /usr/bin/chromium and Python Playwright (a dev
dependency). `missing()` names what is absent, so the pytest wrapper can skip with the reason.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from e2e.teams.failures import BOT_FAILED, CHROMIUM, Failed

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = HERE / "node_modules" / ".bin"
APP_ID = "0b6c5f1e-1a2b-4c3d-8e9f-0123456789ab"  # a GUID for the manifest only; never sent


def missing() -> str | None:
    """Why the check cannot run here, or None when everything it needs is installed."""
    if shutil.which("node") is None:
        return "node is not installed"
    for tool in ("agentsplayground", "atk"):
        if not (BIN / tool).exists():
            return f"{BIN / tool} is missing: run `npm ci` in {HERE}"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python Playwright is missing: pip install -e '.[dev]'"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Process:
    """A child process whose output goes to a log file in the output folder."""

    name: str
    log: Path
    popen: subprocess.Popen[bytes]
    _file: IO[bytes] = field(repr=False)

    def text(self) -> str:
        self._file.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._file.close()


@contextmanager
def started(name: str, argv: list[str], out: Path, **kwargs: Any) -> Iterator[Process]:
    log = out / f"{name}.log"
    handle = log.open("wb")
    popen = subprocess.Popen(argv, stdout=handle, stderr=subprocess.STDOUT, **kwargs)
    process = Process(name, log, popen, handle)
    try:
        yield process
    finally:
        process.stop()


def wait_for(what: str, ready: Any, process: Process, seconds: float = 60) -> None:
    """Poll `ready()` until true; fail at once if the process died, with its log's tail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise Failed(
                f"{process.name} exited while waiting for {what}:\n{process.text()[-2000:]}"
            )
        with suppress(OSError):
            if ready():
                return
        time.sleep(0.2)
    raise Failed(f"timed out waiting for {what}:\n{process.text()[-2000:]}")


def bot_env(work: Path, port: int) -> dict[str, str]:
    """A clean environment: no Slack or Teams credentials, so Teams runs in loopback mode."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("Microsoft", "SLACK_", "DATABASE_URL", "PUBLIC_URL"))
    }
    return env | {
        "PYTHONPATH": str(ROOT),
        "APP_CONFIG": str(ROOT / "app.yaml"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{work / 'kpicoach.db'}",
        "PORT": str(port),
        "TEAMS_LOOPBACK": "true",
    }


def kpicoach(*argv: str, cwd: Path, env: dict[str, str]) -> None:
    """One of our own commands, to the end; its output is the failure's message."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *argv], cwd=cwd, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise Failed(f"kpicoach {argv[0]} failed:\n{done.stdout}{done.stderr}")


def validate_manifest(out: Path) -> None:
    """The generated manifest, checked offline by Microsoft's Agents Toolkit CLI."""
    env = bot_env(out, free_port()) | {"MicrosoftAppId": APP_ID}
    package = out / "kpi-coach-teams.zip"
    kpicoach(
        "teams-package",
        "--out",
        str(package),
        "--url",
        "https://kpi-coach.example.com",
        cwd=out,
        env=env,
    )
    with zipfile.ZipFile(package) as archive:
        archive.extract("manifest.json", out)
    checked = subprocess.run(
        [
            str(BIN / "atk"),
            "validate",
            "--manifest-file",
            str(out / "manifest.json"),
            "--interactive",
            "false",
        ],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=180,
        env=os.environ | {"TEAMSFX_TELEMETRY_TEST": "true", "CI": "true"},
    )
    (out / "atk-validate.log").write_text(checked.stdout + checked.stderr)
    if checked.returncode != 0 or "All passed" not in checked.stdout:
        raise Failed(f"atk validate refused the manifest:\n{checked.stdout}{checked.stderr}")
    print("manifest: atk validate passed")


def run(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    print(f"output: {out}")
    validate_manifest(out)
    bot_port, client_port = free_port(), free_port()
    env = bot_env(out, bot_port)
    kpicoach("migrate", cwd=out, env=env)
    python = [sys.executable, "-m", "bot", "serve"]
    with started("bot", python, out, cwd=out, env=env) as bot:
        health = f"http://127.0.0.1:{bot_port}/healthz"
        wait_for("the bot's /healthz", lambda: urllib.request.urlopen(health, timeout=2), bot)
        playground = [
            str(BIN / "agentsplayground"),
            "--app-endpoint",
            f"http://127.0.0.1:{bot_port}/api/messages",
            "--channel-id",
            "msteams",
            "--port",
            str(client_port),
            "--disable-telemetry",
        ]
        with started("playground", playground, out, cwd=out) as client:
            wait_for("the Playground", lambda: "Listening on" in client.text(), client)
            listening = re.search(r"Listening on (\d+)", client.text())
            assert listening is not None
            from e2e.teams.drive import converse  # Playwright, once missing() found it

            try:
                converse(f"http://127.0.0.1:{listening[1]}", out)
            finally:
                problems = [line for line in bot.text().splitlines() if BOT_FAILED.search(line)]
                (out / "bot-problems.txt").write_text("\n".join(problems))
            if problems:
                raise Failed("the bot logged errors:\n" + "\n".join(problems[:20]))
    print(f"passed; screenshots in {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="where screenshots and logs go")
    args = parser.parse_args(argv)
    reason = missing()
    if reason:
        print(f"cannot run the Teams end-to-end check: {reason}", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="kpicoach-teams-e2e-"))
    try:
        run(out.resolve())
    except Failed as failure:
        print(f"FAILED: {failure}\nsee {out}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
