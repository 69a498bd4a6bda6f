"""`kpicoach serve`: the aiohttp app over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import update

from bot.config import AppConfig, ConfigError, Settings
from bot.server import describe_platforms, make_app
from rituals.core.context import FixedClock
from storage.engine import make_engine, make_sessionmaker
from storage.models import Outbox, OutboxStatus
from tests.scheduling import queue


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
    assert "/api/messages is not served" in lines[1]
    assert "set MicrosoftAppId" in lines[1]
    assert "TEAMS_LOOPBACK=true" in lines[1]
    loopback = describe_platforms(settings_for(database_url, TEAMS_LOOPBACK="true"))
    assert "loopback mode (TEAMS_LOOPBACK=true)" in loopback[1]
    assert "only on this machine" in loopback[1]
    configured = describe_platforms(settings_for(database_url, SLACK_BOT_TOKEN="xoxb-test"))
    assert configured[0].startswith("Slack: one workspace")


async def test_healthz_tells_others_only_whether_it_is_alive(
    database_url: str, config: AppConfig, clock: FixedClock
) -> None:
    app = make_app(settings_for(database_url, HEALTH_TOKEN="s3cret-health"), config, clock)
    async with TestClient(TestServer(app)) as client:
        for header in ("X-Forwarded-For", "X-Real-IP", "True-Client-IP", "CF-Connecting-IP"):
            relayed = await client.get("/healthz", headers={header: "203.0.113.9"})
            assert relayed.status == 200
            assert await relayed.json() == {"status": "ok"}, header
        wrong = await client.get(
            "/healthz", headers={"X-Real-IP": "203.0.113.9", "Authorization": "Bearer nope"}
        )
        assert await wrong.json() == {"status": "ok"}
        holder = await client.get(
            "/healthz",
            headers={"X-Real-IP": "203.0.113.9", "Authorization": "Bearer s3cret-health"},
        )
        assert (await holder.json())["outbox"]["failed"] == 0


def test_serve_listens_on_this_machine_unless_told_otherwise(database_url: str) -> None:
    assert settings_for(database_url).host == "127.0.0.1"
    assert settings_for(database_url, HOST="0.0.0.0").host == "0.0.0.0"


async def test_the_teams_door_opens_only_when_teams_is_configured_or_loopback_asked_for(
    database_url: str, config: AppConfig, clock: FixedClock
) -> None:
    """A Slack-only deployment (or one with nothing configured) has no /api/messages at all."""
    activity = {"type": "message", "serviceUrl": "http://127.0.0.1:9/"}
    for env, status in (
        ({}, 404),
        ({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s"}, 404),
        ({"TEAMS_LOOPBACK": "false"}, 404),
        ({"TEAMS_LOOPBACK": "true"}, 400),  # mounted: it reads the (incomplete) activity
        (
            {"MicrosoftAppId": "5f1e7a1c-0d2b-4c9e-8f3a-2b1c0d9e8f7a", "MicrosoftAppPassword": "x"},
            400,
        ),
    ):
        app = make_app(settings_for(database_url, **env), config, clock)
        async with TestClient(TestServer(app)) as client:
            response = await client.post("/api/messages", json=activity)
            assert response.status == status, env


async def test_healthz_is_degraded_while_a_row_waits_in_doubt_for_an_operator(
    own_database: str, config: AppConfig, clock: FixedClock
) -> None:
    engine = make_engine(own_database)
    try:
        sessions = make_sessionmaker(engine)
        await queue(sessions, ["U1"])
        async with sessions() as session, session.begin():
            await session.execute(update(Outbox).values(status=OutboxStatus.IN_DOUBT))
    finally:
        await engine.dispose()
    app = make_app(settings_for(own_database), config, clock)
    async with TestClient(TestServer(app)) as client:
        health = await (await client.get("/healthz")).json()
        assert health["status"] == "degraded"
        assert health["outbox"]["in_doubt"] == 1
