"""The HTTP process: one aiohttp app hosting the platform endpoints and /healthz.

Slack mounts here when its credentials are set (over HTTP, or as a Socket Mode connection held
open for the server's life). Teams is at /api/messages only when it is configured (MicrosoftAppId:
every token checked) or loopback mode is asked for (TEAMS_LOOPBACK=true: this machine only, for
the Bot Framework Emulator or the Agents Playground); otherwise that path is a 404. `serve` says
plainly what is missing.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import TYPE_CHECKING

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import AppConfig, Settings
from bot.dispatch import Dispatcher
from bot.loopback import from_this_machine
from bot.scheduler import TICK_SECONDS, Scheduling, scheduling
from bot.sender import Sender
from bot.slack import check_slack_settings
from bot.teams import ROUTE as TEAMS_ROUTE
from bot.teams import check_teams_settings
from bot.teams import pages as teams_pages
from bot.wiring import check_schema, make_dispatcher
from rituals.core.context import Clock
from storage.engine import make_engine, make_sessionmaker
from storage.models import OutboxStatus, Platform
from storage.outbox import backlog
from web.app import PREFIX as DASHBOARD_PREFIX
from web.app import dashboard_app, make_dashboard, with_address

if TYPE_CHECKING:
    from bot.teams.lazy import Teams

log = logging.getLogger(__name__)

ENGINE = web.AppKey("engine", AsyncEngine)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
SCHEDULING = web.AppKey("scheduling", Scheduling)
TEAMS: web.AppKey[Teams] = web.AppKey("teams")
SETTINGS = web.AppKey("settings", Settings)


def make_app(settings: Settings, config: AppConfig, clock: Clock) -> web.Application:
    """The whole server, built from settings; the engine opens on start and closes on stop."""
    app = web.Application()
    app[SETTINGS] = settings
    config = with_address(config, settings.public_url)
    if settings.slack_configured:
        check_slack_settings(settings)
    check_teams_settings(settings)

    async def database(app: web.Application) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        await check_schema(engine)
        app[ENGINE] = engine
        app[DISPATCHER] = make_dispatcher(engine, config, clock)
        yield
        await engine.dispose()

    async def slack(app: web.Application) -> AsyncIterator[None]:
        # slack_bolt and our Slack edge (some 5 MiB) are loaded only by a process serving Slack.
        from bot.slack import http as slack_http
        from bot.slack.app import SlackBot

        bot = SlackBot(settings, config, app[DISPATCHER], app[ENGINE], clock)
        app[slack_http.SLACK] = bot
        try:
            if settings.slack_app_token:
                async for _ in slack_http.socket_mode(bot, settings.slack_app_token):
                    yield
            else:
                yield
        finally:
            await bot.close()

    async def teams(app: web.Application) -> AsyncIterator[None]:
        # botbuilder and msrest (over 20 MiB) are loaded only by a process that serves Teams,
        # and only once it takes an activity or sends into Teams.
        from bot.teams.lazy import Teams

        bot = Teams(settings, config, app[DISPATCHER], app[ENGINE], clock)
        app[TEAMS] = bot
        yield
        await bot.close()

    async def rhythm(app: web.Application) -> AsyncIterator[None]:
        senders: dict[Platform, Sender] = {}
        if TEAMS in app:
            senders[Platform.TEAMS] = app[TEAMS].sender()
        jobs = {}
        if settings.slack_configured:
            from bot.slack import store
            from bot.slack.http import SLACK

            senders[Platform.SLACK] = app[SLACK].sender()
            engine = app[ENGINE]
            jobs["slack-events"] = (lambda: store.forget_old_events(engine, clock.now()), 3600.0)
        async with scheduling(app[ENGINE], config, senders, clock, jobs) as running:
            app[SCHEDULING] = running
            app[DISPATCHER].wake = running.worker.wake
            yield

    app.cleanup_ctx.append(database)
    if settings.slack_configured:
        from bot.slack.http import add_routes

        app.cleanup_ctx.append(slack)
        add_routes(app, settings)
    if settings.teams_served:
        app.cleanup_ctx.append(teams)
        app.router.add_post(TEAMS_ROUTE, teams_messages)
    # The privacy and terms pages the app packages point to: public, whichever platform.
    teams_pages.add_routes(app, config)
    app.cleanup_ctx.append(rhythm)
    app.router.add_get("/healthz", healthz)
    app.add_subapp(
        DASHBOARD_PREFIX,
        dashboard_app(lambda: make_dashboard(settings, config, app[DISPATCHER], clock)),
    )
    return app


async def teams_messages(request: web.Request) -> web.StreamResponse:
    return await request.app[TEAMS].endpoint(request)


async def healthz(request: web.Request) -> web.Response:
    """Alive or not for anyone (a load balancer); the database, the scheduler's last tick and
    the outbox's backlog for whoever is on call: this machine, or a holder of HEALTH_TOKEN."""
    details = await _health(request)
    if _may_see_details(request):
        return details
    return web.json_response(
        {"status": json.loads(details.text or "{}")["status"]}, status=details.status
    )


def _may_see_details(request: web.Request) -> bool:
    token = request.app[SETTINGS].health_token
    if token and hmac.compare_digest(
        request.headers.get("Authorization", "").encode(), f"Bearer {token}".encode()
    ):
        return True
    return from_this_machine(request)


async def _health(request: web.Request) -> web.Response:
    try:
        async with make_sessionmaker(request.app[ENGINE])() as session:
            waiting = await backlog(session)
    except Exception:
        log.exception("health check: database unreachable")
        return web.json_response({"status": "error", "database": "unreachable"}, status=503)
    running = request.app[SCHEDULING]
    last = running.planner.last_tick
    now = running.clock.now()
    late = last is None or (now - last).total_seconds() > 3 * TICK_SECONDS
    # A row in doubt waits for a person to check it: on call should hear of it.
    doubtful = waiting.counts.get(OutboxStatus.IN_DOUBT.value, 0) > 0
    return web.json_response(
        {
            "status": "degraded" if late or doubtful else "ok",
            "database": "ok",
            "scheduler": {
                "last_tick": last.isoformat() if last else None,
                "seconds_since": round((now - last).total_seconds()) if last else None,
                "last_report": asdict(running.planner.last_report),
            },
            "outbox": {
                **{status.value: waiting.counts.get(status.value, 0) for status in OutboxStatus},
                "oldest_due": waiting.oldest_due.isoformat() if waiting.oldest_due else None,
            },
        }
    )


def describe_platforms(settings: Settings) -> list[str]:
    """What `serve` tells the operator at start, including how to connect what is missing."""
    lines = []
    if settings.slack_app_token:
        lines.append("Slack: Socket Mode (SLACK_APP_TOKEN); no public URL needed.")
    elif settings.slack_client_id:
        lines.append(
            "Slack: OAuth for many workspaces; install at /slack/install, events at /slack/events."
        )
    elif settings.slack_configured:
        lines.append("Slack: one workspace (SLACK_BOT_TOKEN); events at POST /slack/events.")
    else:
        lines.append(
            "Slack: not configured. Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
            "(or SLACK_APP_TOKEN for Socket Mode) in the environment or .env."
        )
    if settings.teams_configured:
        lines.append(
            f"Teams: app {settings.microsoft_app_id} ({settings.microsoft_app_type}); "
            f"messages at POST {TEAMS_ROUTE}, every token checked."
        )
        if settings.teams_loopback:
            lines.append("Teams: TEAMS_LOOPBACK is ignored: with an app id every token is checked.")
    elif settings.teams_loopback:
        lines.append(
            f"Teams: loopback mode (TEAMS_LOOPBACK=true): POST {TEAMS_ROUTE} answers only on "
            "this machine, with no token, for the Bot Framework Emulator or the Agents "
            "Playground. To connect Teams, set MicrosoftAppId, MicrosoftAppPassword, "
            "MicrosoftAppTenantId and MicrosoftAppType in the environment or .env."
        )
    else:
        lines.append(
            f"Teams: not configured, so {TEAMS_ROUTE} is not served. To connect Teams, set "
            "MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId and MicrosoftAppType "
            "in the environment or .env; TEAMS_LOOPBACK=true serves it to this machine only, "
            "with no token, for the Bot Framework Emulator or the Agents Playground."
        )
    return lines
