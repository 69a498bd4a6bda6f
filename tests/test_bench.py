"""The benchmarks still run: a couple of rounds each, figures printed, nothing timed here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def bench(tmp_path: Path, script: str, *args: str) -> list[str]:
    """Run a benchmark briefly in a folder of its own; the lines it printed."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_dispatch_benchmark_runs(tmp_path: Path) -> None:
    lines = bench(tmp_path, "dispatch.py", "--runs", "3")
    assert lines[0].split() == ["command", "median", "ms", "p95", "ms", "SQL/cmd"]
    assert [line.split()[0] for line in lines[1:]] == ["help", "kpis", "bad", "propose"]


def test_the_slack_ack_benchmark_runs(tmp_path: Path) -> None:
    """Whichever load generator this machine has (wrk, or the Python stand-in)."""
    lines = bench(tmp_path, "slack_ack.py", "--seconds", "1", "--clients", "2")
    rows = [line.split() for line in lines[2:]]
    assert [(r[0], r[1]) for r in rows] == [("bare", "2"), ("kpi", "2")]
    assert rows[1][5] == "0"  # no failed acks
