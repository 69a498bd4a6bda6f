"""A process loads the heavy optional parts only when it uses them: matplotlib and Pillow with
the first chart drawn, botbuilder and msrest at Teams' first activity or send (see
tests/bot/teams/test_lazy.py), slack_bolt only where Slack is served, alembic only to migrate.

A fresh interpreter each time, so what other tests imported does not count. The servers here
really start (and stop) on the run's migrated database.
"""

from __future__ import annotations

import subprocess
import sys

from tests.support import ROOT

TEAMS_PARTS = ("botbuilder.core", "msrest", "botframework.connector")


def loaded_after(statement: str) -> set[str]:
    script = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(result.stdout.splitlines()[-1].split())


def served(database_url: str, **env: str) -> set[str]:
    """What a server started with these settings (and stopped again) had imported."""
    values = {"DATABASE_URL": database_url, **env}
    return loaded_after(
        f"""
import asyncio
from pathlib import Path
from aiohttp import web
from bot.config import Settings, load_app_config
from bot.server import make_app
from rituals.core.context import SystemClock

async def main():
    settings = Settings(_env_file=None, **{values!r})
    app = make_app(settings, load_app_config(Path("app.yaml")), SystemClock())
    runner = web.AppRunner(app)
    await runner.setup()
    await runner.cleanup()

asyncio.run(main())
"""
    )


def test_starting_the_server_imports_neither_matplotlib_nor_pillow() -> None:
    assert not loaded_after("import bot.server, bot.cli") & {"matplotlib", "PIL.Image"}


def test_drawing_a_chart_imports_it() -> None:
    statement = "from rituals.core.charts import pulse_png; pulse_png('Pulse', [0, 1, 2, 3, 4])"
    assert "matplotlib" in loaded_after(statement)


def test_the_command_line_imports_neither_teams_nor_alembic_before_it_is_asked() -> None:
    loaded = loaded_after("import bot.server, bot.cli")
    assert not loaded & {*TEAMS_PARTS, "alembic"}


def test_a_slack_only_server_never_imports_botbuilder_or_alembic(database_url: str) -> None:
    loaded = served(database_url, SLACK_BOT_TOKEN="xoxb-lazy", SLACK_SIGNING_SECRET="s")
    assert "slack_bolt" in loaded
    assert not loaded & {*TEAMS_PARTS, "alembic", "matplotlib", "PIL.Image"}


def test_a_teams_only_server_imports_neither_botbuilder_before_it_is_needed_nor_slack_bolt(
    database_url: str,
) -> None:
    loaded = served(database_url, TEAMS_LOOPBACK="true")
    assert "bot.teams.lazy" in loaded  # Teams is served
    assert not loaded & {*TEAMS_PARTS, "slack_bolt", "alembic", "matplotlib", "PIL.Image"}
