"""The console: a scripted session through the real dispatcher and store, and the CLI itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import Dispatcher
from bot.migrate import head_revision
from rituals.core.context import FixedClock
from storage.models import Kpi, KpiStatus, Team
from tests.bot.console.support import run_console
from tests.bot.console.transcript import session_of
from tests.support import ROOT

GOAL = "I want to run discovery calls on my own by March"


async def test_a_scripted_session_runs_the_registry_end_to_end(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            "help",
            'propose "Qualified leads" target 10 leads per week',
            "1",  # press "Link a growth goal": a form, asked field by field
            GOAL,
            ":as lea",
            'activate "Qualified leads"',
            "kpis @ana",
            ":quit",
            "this line is never read",
        ],
    )
    assert "You are Ana." in transcript
    assert "`/kpi propose`: propose a KPI" in transcript
    kpi_id = transcript.split("== Proposed #")[1].split(":")[0]
    assert "[1] Link a growth goal" in transcript
    assert f"-> growth {kpi_id}" in transcript
    assert f"== Growth link saved: #{kpi_id} ==" in transcript
    assert "You are now Lea." in transcript
    assert f"== Active: #{kpi_id} Qualified leads ==" in transcript
    assert "(active), feeds: I want to run discovery calls" in transcript
    assert "this line is never read" not in transcript
    async with sessions() as session:
        kpi = await session.scalar(select(Kpi))
    assert kpi is not None
    assert kpi.status is KpiStatus.ACTIVE


async def test_forms_ask_each_field_recheck_and_keep_values_on_a_problem(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            "propose",
            "Every lead is a conversation I learn from",  # what excites you
            "",  # name is required: asked again
            "Qualified leads",
            "ten",  # not a number: the form comes back with the problem
            "leads",
            "9",  # not an option: asked again
            "1",
            "",  # owner: me
            "",  # growth: later
            # The form returns with the problem; Enter keeps each earlier answer.
            "",
            "",
            "10",
            "",
            "",
            "",
            "",
        ],
    )
    assert "How can we measure success in a way that excites you?" in transcript
    assert "This one is needed." in transcript
    assert "Pick a number from 1 to 3" in transcript
    assert 'Target must be a number, like 10 or 2.5 (got "ten")' in transcript
    assert "KPI name (what you will measure" in transcript
    assert "[Qualified leads]" in transcript
    assert "== Proposed #" in transcript
    async with sessions() as session:
        kpi = await session.scalar(select(Kpi))
    assert kpi is not None
    assert (kpi.name, kpi.unit, kpi.excites) == (
        "Qualified leads",
        "leads",
        "Every lead is a conversation I learn from",
    )


async def test_cancel_and_end_of_input_save_nothing(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await run_console(
        dispatcher, sessions, clock, ["propose", "", "Qualified leads", ":cancel", "retire 4"]
    )
    assert "Form cancelled; nothing was saved." in transcript
    async with sessions() as session:
        assert await session.scalar(select(Kpi)) is None


async def test_acting_as_a_newcomer_and_console_commands(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            ":people",
            ":as zoe",
            "kpis",
            ":as <!channel>",
            ":nonsense",
            "frobnicate",
            ":in growth-team",
            "team create Growth",
            ":dm",
            "team",
            ":in <!here>",
        ],
    )
    assert "zoe in #growth-team> team create Growth" in transcript
    assert "Its posts go to #growth-team." in transcript
    assert "Home channel: #growth-team" in transcript
    assert "Channel names are letters" in transcript
    assert "lea: Lea, lead, Europe/Berlin" in transcript
    assert "You are now Zoe (new here: on no team yet)." in transcript
    assert "You have no KPIs yet" in transcript
    assert "Names are letters and digits" in transcript
    assert "Console commands:" in transcript
    assert 'I don\'t know the command "frobnicate"' in transcript


def installed_kpicoach() -> str:
    found = shutil.which("kpicoach", path=str(Path(sys.executable).parent))
    assert found is not None, "kpicoach is not installed next to this Python"
    return found


def test_the_cli_runs_a_piped_session_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    """What README command 1 does, minus the virtualenv: migrate, then a console on stdin."""
    shutil.copy(ROOT / "app.yaml", tmp_path / "app.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft"))}
    env.pop("DATABASE_URL", None)
    kpicoach = installed_kpicoach()
    said = [  # migrating twice is harmless, and each says so in one line
        subprocess.run(
            [kpicoach, "migrate"],
            cwd=tmp_path,
            env=env,
            check=True,
            timeout=60,
            text=True,
            capture_output=True,
        )
        for _ in range(2)
    ]
    head = head_revision()
    assert [(r.stdout, r.stderr) for r in said] == [
        (f"The database is set up (schema {head}).\n", ""),
        (f"The database is up to date (schema {head}).\n", ""),
    ]
    script = "\n".join(
        [
            "examples sales",
            "1",
            "kpis",
            'propose "Logins" target 5 per week',
            ":as lea",
            "activate 1",
            "",
        ]
    )
    result = subprocess.run(
        [kpicoach, "start"],
        cwd=tmp_path,
        env=env,
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    out = result.stdout
    assert "Example KPIs for sales" in out
    assert "== Proposed #1: Qualified leads ==" in out
    assert "This measures effort, not impact. What outcome does it drive?" in out
    assert "#1 Qualified leads is not ready yet." in out
    assert result.stderr == ""
    assert (tmp_path / "kpicoach.db").exists()


def test_the_console_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    shutil.copy(ROOT / "app.yaml", tmp_path / "app.yaml")
    kpicoach = installed_kpicoach()
    result = subprocess.run(
        [kpicoach, "console"],
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"]},
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "run `kpicoach migrate`" in result.stderr


async def test_breaks_and_the_schedule_in_a_console_session(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            "schedule",
            "snooze 2h",
            "skip week",
            "me",
            "snooze 5m",
            ":as lea",
            "schedule set",
            "",  # team: keep "Demo team"
            "tue 09:00",  # check-in
            "",  # one-on-ones: keep
            "",  # vote: keep
        ],
    )
    # Ana is in Lisbon, where it is 09:30 on Monday: today's 10:00 check-in is ahead.
    assert "Mondays at 10:00; next for you: Monday 23 November 2026, 10:00" in transcript
    assert "Snoozed until 11:30 today, your time (Europe/Lisbon)." in transcript
    assert "Skipping the week of 23 November 2026" in transcript
    assert "until 11:30 today (`snooze off` ends it now)" in transcript
    assert "5 minutes is too short to snooze" in transcript
    assert "== Change the schedule ==" in transcript
    assert "== Saved: schedule of Demo team ==" in transcript
    assert "Tuesdays at 09:00; next for you: Tuesday 24 November 2026, 09:00" in transcript
    assert "switched off" not in transcript  # the form sent the vote unchanged
    async with sessions() as session:
        team = await session.scalar(select(Team))
    assert team is not None
    assert team.settings == {"checkin_day": "tue", "checkin_time": "09:00"}


async def test_a_newcomer_says_hello_is_welcomed_added_and_labelled_by_their_team(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await session_of(
        dispatcher,
        sessions,
        clock,
        [":as cy", "hello", ":as lea", "team add @cy", ":as cy"],
    )
    first, _, later = transcript.partition("lea> team add @cy")
    assert "You are now Cy (new here: on no team yet)." in first
    assert "Welcome, Cy" in first.split("cy> hello", 1)[1]
    assert "I don't know @cy" not in later
    assert "You are now Cy (on Demo team)." in later
