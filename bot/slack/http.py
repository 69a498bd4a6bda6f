"""Slack on our aiohttp server: Bolt's endpoints over HTTP, or a Socket Mode connection."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.slack import shape
from bot.slack.app import INSTALL_PATH, REDIRECT_PATH, SlackBot

log = logging.getLogger(__name__)

SLACK = web.AppKey("slack", SlackBot)
EVENTS_PATH = "/slack/events"


def add_routes(app: web.Application, settings: Settings) -> None:
    """Slash commands, interactivity and the Events API all arrive at Bolt's default path."""
    if settings.slack_app_token:
        return  # Socket Mode: Slack never calls us
    app.router.add_post(EVENTS_PATH, events)
    if settings.slack_client_id:
        app.router.add_get(INSTALL_PATH, install)
        app.router.add_get(REDIRECT_PATH, oauth_redirect)


async def events(request: web.Request) -> web.Response:
    if not _plausible_timestamp(request.headers.get("X-Slack-Request-Timestamp")):
        # Bolt would fail on int() of it with a traceback; no signed request looks like this.
        log.warning("Slack: refused a request whose timestamp is not a number")
        return web.Response(status=401, text="invalid request")
    malformed = shape.problem(await request.read(), request.content_type)
    if malformed:
        log.warning("Slack: refused a malformed request: %s", malformed)
        return web.Response(status=400, text=malformed)
    bot = request.app[SLACK]
    if await _replayed(request, bot):
        log.warning("Slack: refused a request whose signature was already used")
        return web.Response(status=401, text="replayed request")
    return await to_aiohttp_response(await bot.app.async_dispatch(await _bolt_request(request)))


async def _bolt_request(request: web.Request) -> AsyncBoltRequest:
    """Bolt's request, with the body read as `shape.parse` reads it (a command may say
    "payload")."""
    bolt = await to_bolt_request(request)
    if not bolt.body and bolt.raw_body:
        bolt.body = shape.parse(bolt.raw_body, request.content_type)
        bolt.context = build_async_context(AsyncBoltContext({}), bolt.body)
    return bolt


async def _replayed(request: web.Request, bot: SlackBot) -> bool:
    """A correctly signed request seen before. Bolt checks the signature and its five
    minutes, but a request captured inside them could be sent again and run again (three
    obstacles from one slash command); a replica shares what it saw through the database.
    Only a valid signature is remembered, so junk cannot fill the table. Events (JSON) are
    left to their `event_id`, which answers Slack's own retries of them with 200, once."""
    if request.content_type != "application/x-www-form-urlencoded":
        return False
    secret = bot.settings.slack_signing_secret
    signature = request.headers.get("X-Slack-Signature", "")
    stamp = request.headers.get("X-Slack-Request-Timestamp", "")
    if not secret or not signature or not stamp:
        return False  # Bolt refuses it as unsigned
    body = await request.read()
    if not SignatureVerifier(secret).is_valid(body, stamp, signature):
        return False  # Bolt refuses it as forged or stale
    return not await bot.signatures.first(signature)


def _plausible_timestamp(stamp: str | None) -> bool:
    """Absent (Bolt refuses it as unsigned) or whole seconds, as Slack sends it."""
    return stamp is None or (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12)


async def install(request: web.Request) -> web.Response:
    flow = request.app[SLACK].app.oauth_flow
    assert flow is not None
    return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))


async def oauth_redirect(request: web.Request) -> web.Response:
    flow = request.app[SLACK].app.oauth_flow
    assert flow is not None
    return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))


async def socket_mode(bot: SlackBot, app_token: str) -> AsyncIterator[None]:
    """Hold a Socket Mode connection open for as long as the server runs."""
    handler = AsyncSocketModeHandler(bot.app, app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    log.info("Slack: connected in Socket Mode")
    try:
        yield
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
