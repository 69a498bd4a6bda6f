"""The benchmarks still run: a couple of rounds each, figures printed, nothing timed here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT


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
    assert lines[0] == "database: sqlite, 3 runs per command"
    assert lines[1].split() == [
        "command",
        "median",
        "ms",
        "p95",
        "ms",
        "CPU",
        "ms",
        "SQL/cmd",
        "render",
        "ms/msg",
    ]
    rows = [line.split() for line in lines[2:6]]
    assert [row[0] for row in rows] == ["help", "kpis", "bad", "propose"]
    assert all(float(row[-2]) >= 1 for row in rows)  # every command resolves its person


def test_the_slack_ack_benchmark_runs(tmp_path: Path) -> None:
    """Both apps at one level; every ack 200 and every answer seen, in the ack or after."""
    lines = bench(tmp_path, "slack_ack.py", "--seconds", "1", "--clients", "2")
    header = lines[1].split()
    rows = [dict(zip(header, line.split(), strict=True)) for line in lines[2:]]
    assert [(r["app"], r["clients"]) for r in rows] == [("bare", "2"), ("kpi", "2")]
    assert rows[1]["errors"] == "0"
    assert rows[1]["lost"] == "0"


def test_the_fanout_benchmark_runs(tmp_path: Path) -> None:
    """A small fan-out: every figure printed, and every row delivered exactly once."""
    lines = bench(tmp_path, "fanout.py", "--members", "200", "--teams", "4")
    assert lines[0].startswith("fan-out of one check-in: 200 members in 4 teams")
    figures = {line.split()[0]: line.split() for line in lines[1:]}
    assert list(figures) == ["enqueue", "send", "overhead", "memory", "delivered"]
    assert figures["enqueue"][1:3] == ["200", "rows"]
    assert figures["enqueue"][4] == "s"
    assert figures["send"][1:3] == ["200", "messages"]
    assert figures["send"][6] == "msg/s"
    assert figures["overhead"][4] == "ms/msg"
    assert figures["memory"][4] == "MB"
    assert " ".join(figures["delivered"][1:6]) == "200 of 200 exactly once:"
    assert "200 chat.postMessage, 200 distinct outbox ids" in lines[-1]


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="replicas share a PostgreSQL database",
)
def test_the_fanout_benchmark_runs_replicas_on_one_pace(tmp_path: Path) -> None:
    """Two worker processes on one database: the shared rate printed, nothing arrived twice."""
    url = os.environ["TEST_DATABASE_URL"]
    args = ("--members", "40", "--teams", "2", "--replicas", "2", "--per-second", "40")
    lines = bench(tmp_path, "fanout.py", *args, "--database-url", url)
    [shared] = [line for line in lines if line.startswith("shared")]
    assert "2 replicas" in shared
    assert "msg/s" in shared
    assert "sent twice: 0;" in shared
    assert " ".join(lines[-1].split()[1:6]) == "40 of 40 exactly once:"


def test_the_scripts_benchmark_runs(tmp_path: Path) -> None:
    """Two short histories: each build timed, and its statement count the same for both."""
    lines = bench(tmp_path, "scripts.py", "--weeks", "4", "8", "--runs", "3", "--members", "6")
    assert lines[0].split() == ["history", "build", "median", "ms", "p95", "ms", "SQL"]
    rows = [line.split() for line in lines[1:5]]
    assert [row[:2] for row in rows] == [
        ["4w", "script"],
        ["4w", "digest"],
        ["8w", "script"],
        ["8w", "digest"],
    ]
    assert all(len(row) == 5 and row[4].isdigit() for row in rows)
    assert rows[0][4] == rows[2][4]  # the script's statements, whatever the history
    assert rows[1][4] == rows[3][4]  # the digest's
    assert lines[5].startswith("seeded: ")


def test_the_charts_benchmark_runs(tmp_path: Path) -> None:
    """Two years of weeks drawn a couple of times: import, cold and warm figures, and the size."""
    lines = bench(tmp_path, "charts.py", "--runs", "2")
    assert lines[0].startswith("104 weekly points (2024-W49 to 2026-W48), ")
    assert lines[1].split() == ["chart", "median", "ms", "p95", "ms", "PNG", "KB"]
    rows = [line.split() for line in lines[2:]]
    assert [row[0] for row in rows] == ["import", "cold", "warm", "pulse"]
    assert len(rows[0]) == 2
    assert rows[1][2] == "-"
    figures = (*rows[0][1:], rows[1][1], rows[1][3], *rows[2][1:], *rows[3][1:])
    assert all(float(figure) > 0 for figure in figures)


def test_the_declines_benchmark_runs(tmp_path: Path) -> None:
    """Two short histories: detection timed, its statements the same for both, and some of the
    team's KPIs found falling, so the seeding really exercises detection."""
    lines = bench(tmp_path, "declines.py", "--weeks", "8", "12", "--runs", "2", "--members", "6")
    assert lines[0].startswith("decline detection for a team of 6, ")
    assert lines[1].split() == ["history", "median", "ms", "p95", "ms", "SQL", "KPIs", "declines"]
    rows = [line.split() for line in lines[2:4]]
    assert [row[0] for row in rows] == ["8w", "12w"]
    assert all(len(row) == 6 and row[3].isdigit() for row in rows)
    assert all(float(row[1]) > 0 and float(row[2]) > 0 for row in rows)
    assert rows[0][3] == rows[1][3]  # the statements, whatever the history
    assert [row[4] for row in rows] == ["18", "18"]  # three KPIs each
    assert all(0 < int(row[5]) < 18 for row in rows)
    assert lines[4].startswith("seeded: ")


def test_the_heatmap_benchmark_runs(tmp_path: Path) -> None:
    """Two short histories: each timed, the same statements for both, and the picture saved."""
    lines = bench(
        tmp_path,
        "heatmap.py",
        "--months",
        "2",
        "6",
        "--runs",
        "2",
        "--members",
        "6",
        "--skills",
        "4",
        "--picture",
        "map.png",
    )
    assert lines[0].split()[:4] == ["history/rows", "load", "p95", "draw"]
    rows = [line.split() for line in lines[1:3]]
    assert [r[0] for r in rows] == ["2mo/48", "6mo/144"]
    assert rows[0][7] == rows[1][7]  # SQL statements: the same however long the history
    assert lines[3] == f"picture: {tmp_path / 'map.png'}"
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_raw_benchmark_runs(tmp_path: Path) -> None:
    """A small team's issue and a small tick: figures printed, every team's issue queued."""
    lines = bench(
        tmp_path,
        "raw.py",
        *("--weeks", "8", "--members", "6", "--runs", "2"),
        *("--teams", "3", "--team-size", "3", "--tick-weeks", "4"),
    )
    assert lines[0].split() == ["build", "median", "ms", "p95", "ms", "CPU", "ms", "SQL", "what"]
    issue = lines[1].split()
    assert issue[0] == "issue"
    assert issue[4].isdigit()
    assert lines[2].split() == ["build", "wall", "s", "CPU", "s", "SQL", "what"]
    tick = lines[3].split()
    assert tick[0] == "tick"
    assert " ".join(tick[4:9]) == "3 issues queued for 3"


def test_the_memory_benchmark_runs(tmp_path: Path) -> None:
    """A served process's resident memory, Slack-only and with Teams on, idle and after some
    work; and which heavy optional libraries each imported."""
    lines = bench(
        tmp_path, "memory.py", "--idle-seconds", "0.2", "--seconds", "1", "--teams-messages", "20"
    )
    idle = [line for line in lines if " idle: resident " in line]
    assert [line.split()[0] for line in idle] == ["slack-only", "teams-on"]
    assert all(line.split()[4] == "MiB" for line in idle)
    imported = [line.strip() for line in lines if line.strip().startswith("imported:")]
    assert "botbuilder.core no" in imported[0]  # Slack-only
    assert "matplotlib no" in imported[0]
    assert "botbuilder.core yes" in imported[1]  # Teams on


def test_the_teams_benchmark_runs(tmp_path: Path) -> None:
    lines = bench(
        tmp_path, "teams.py", "--messages", "20", "--clients", "2", "--people", "5", "--burst", "3"
    )
    header = next(i for i, line in enumerate(lines) if line.startswith("clients"))
    figures = lines[header + 1].split()
    assert figures[:2] == ["2", "20"]
    assert figures[7:9] == ["0", "0"]  # no errors, none unanswered
    assert lines[header + 2].startswith("burst into one chat: 3 messages")
