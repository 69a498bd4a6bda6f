"""Scheduled nudges through the real server: the first tick at start, the worker, Slack's API."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestClient, TestServer

from bot.config import AppConfig
from bot.server import make_app
from rituals.core.context import FixedClock
from storage.engine import make_engine, make_sessionmaker
from storage.models import Role
from tests.bot.slack.conftest import ANA, BEN, LEA, slack_settings, texts
from tests.bot.slack.mock_slack import MockSlack
from tests.scheduling import Someone, seed_team


async def test_a_check_in_due_at_start_reaches_each_person_by_dm(
    own_database: str, config: AppConfig, clock: FixedClock, slack_api: MockSlack
) -> None:
    engine = make_engine(own_database)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            # Monday 09:00 UTC; the server starts at 09:30, so the first tick catches it up.
            await seed_team(
                session,
                [Someone(LEA, role=Role.LEAD), Someone(ANA), Someone(BEN)],
                workspace=slack_api.team_id,
                settings={"checkin_time": "09:00"},
            )
    finally:
        await engine.dispose()
    app = make_app(slack_settings(own_database, slack_api), config, clock)
    async with TestClient(TestServer(app)) as http:
        posts = await slack_api.wait_for("chat.postMessage", 3)
        by_user = {p.args["channel"]: texts(p.args) for p in posts}
        assert sorted(by_user) == sorted([ANA, BEN, LEA])
        assert "What's in your way this week?" in by_user[ANA]
        assert f"<@{LEA}>" in by_user[ANA]  # a real mention of the lead, from the store
        assert "You lead this team" in by_user[LEA]
        for _ in range(100):  # the worker records a round once its posts are all answered
            health = await (await http.get("/healthz")).json()
            if health["outbox"]["sent"] == 3:
                break
            await asyncio.sleep(0.05)
        assert health["outbox"] | {"oldest_due": None} == {
            "pending": 0,
            "sending": 0,
            "sent": 3,
            "failed": 0,
            "in_doubt": 0,
            "oldest_due": None,
        }
    assert len(slack_api.of("chat.postMessage")) == 3
