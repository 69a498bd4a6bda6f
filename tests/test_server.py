"""`kpicoach serve`: the aiohttp app over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import AppConfig, ConfigError, Settings
from bot.server import describe_platforms, make_app
from rituals.core.context import FixedClock


def settings_for(url: str, **values: str) -> Settings:
    return Settings(_env_file=None, DATABASE_URL=url, **values)  # type: ignore[call-arg]


async def test_healthz_reports_the_database(
    database_url: str, config: AppConfig, clock: FixedClock
) -> None:
    app = make_app(settings_for(database_url), config, clock)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/healthz")
        assert response.status == 200
        health = await response.json()
        assert (health["status"], health["database"]) == ("ok", "ok")
        # The first tick runs as the server starts, catching up on what came due meanwhile.
        assert health["scheduler"]["last_tick"] == clock.now().isoformat()
        assert health["outbox"]["failed"] == 0
        assert (await client.get("/nope")).status == 404


async def test_serve_refuses_an_unmigrated_database(
    tmp_path: Path, config: AppConfig, clock: FixedClock
) -> None:
    app = make_app(settings_for(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"), config, clock)
    with pytest.raises(ConfigError, match="run `kpicoach migrate`"):
        async with TestClient(TestServer(app)):
            pass


def test_serve_says_how_to_connect_what_is_missing(database_url: str) -> None:
    lines = describe_platforms(settings_for(database_url))
    assert "Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET" in lines[0]
    assert "only on this machine" in lines[1]
    assert "set MicrosoftAppId" in lines[1]
    configured = describe_platforms(settings_for(database_url, SLACK_BOT_TOKEN="xoxb-test"))
    assert configured[0].startswith("Slack: one workspace")
