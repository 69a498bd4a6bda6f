"""The HTTP process: one aiohttp app hosting the platform endpoints and /healthz.

Slack mounts here when its credentials are set (over HTTP, or as a Socket Mode connection held
open for the server's life); Teams lands with its issue. `serve` says plainly what is missing.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import AppConfig, Settings
from bot.dispatch import Dispatcher
from bot.slack import http as slack_http
from bot.slack.app import SlackBot, check_slack_settings
from bot.wiring import check_schema, make_dispatcher
from rituals.context import Clock
from storage.engine import make_engine

log = logging.getLogger(__name__)

ENGINE = web.AppKey("engine", AsyncEngine)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)


def make_app(settings: Settings, config: AppConfig, clock: Clock) -> web.Application:
    """The whole server, built from settings; the engine opens on start and closes on stop."""
    app = web.Application()
    if settings.slack_configured:
        check_slack_settings(settings)

    async def database(app: web.Application) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        await check_schema(engine)
        app[ENGINE] = engine
        app[DISPATCHER] = make_dispatcher(engine, config, clock)
        yield
        await engine.dispose()

    async def slack(app: web.Application) -> AsyncIterator[None]:
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

    app.cleanup_ctx.append(database)
    if settings.slack_configured:
        app.cleanup_ctx.append(slack)
        slack_http.add_routes(app, settings)
    app.router.add_get("/healthz", healthz)
    return app


async def healthz(request: web.Request) -> web.Response:
    try:
        async with request.app[ENGINE].connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        log.exception("health check: database unreachable")
        return web.json_response({"status": "error", "database": "unreachable"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


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
        lines.append("Teams: credentials found (the Teams endpoint lands with the Teams issue).")
    else:
        lines.append(
            "Teams: not configured. Set MicrosoftAppId, MicrosoftAppPassword, "
            "MicrosoftAppTenantId and MicrosoftAppType in the environment or .env."
        )
    return lines
