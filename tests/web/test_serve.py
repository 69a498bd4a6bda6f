"""`kpicoach serve` mounts the dashboard: its links carry PUBLIC_URL, and behind https its
cookies are Secure and host-bound."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer

from bot.config import AppConfig, Settings
from bot.server import DISPATCHER, make_app
from rituals.core.context import FixedClock
from tests.support import text_of, who
from web.app import POLICY


async def test_serve_mounts_the_dashboard_at_its_public_address(
    own_database: str, config: AppConfig, clock: FixedClock
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        DATABASE_URL=own_database,
        PUBLIC_URL="https://kpi.example.org",
        WEB_SECRET="w" * 40,
    )
    async with TestClient(TestServer(make_app(settings, config, clock))) as client:
        page = await client.get("/dashboard/")
        assert page.status == 401
        assert page.headers["Content-Security-Policy"] == POLICY
        dispatcher = client.app[DISPATCHER]
        said = text_of(await dispatcher.handle_text(who("ana"), "dashboard"))
        link = said.split("Open your dashboard: ", 1)[1].split()[0]
        assert link.startswith("https://kpi.example.org/dashboard/sign-in/")
        signing_in = await client.get(link.removeprefix("https://kpi.example.org"))
        cookie = signing_in.headers["Set-Cookie"]
        assert cookie.startswith("__Host-kpicoach_sign_in=")
        assert "Secure" in cookie
