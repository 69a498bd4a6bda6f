"""Slack on our aiohttp server: Bolt's endpoints over HTTP, or a Socket Mode connection."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.config import Settings
from bot.slack import shape
from bot.slack.app import INSTALL_PATH, REDIRECT_PATH, SlackBot

log = logging.getLogger(__name__)

SLACK = web.AppKey("slack", SlackBot)
EVENTS_PATH = "/slack/events"
JSON = "application/json"
INVALID = {"error": "invalid request"}  # Bolt's answer to a bad signature, kept as it was


def add_routes(app: web.Application, settings: Settings) -> None:
    """Slash commands, interactivity and the Events API all arrive at Bolt's default path."""
    if settings.slack_app_token:
        return  # Socket Mode: Slack never calls us
    app.router.add_post(EVENTS_PATH, events)
    if settings.slack_client_id:
        app.router.add_get(INSTALL_PATH, install)
        app.router.add_get(REDIRECT_PATH, oauth_redirect)


async def events(request: web.Request) -> web.Response:
    """Each request read once, its signature checked once, then handed to Bolt as read.

    Bolt's own check is off (bot.slack.app): every request reaching Bolt over HTTP comes through
    here, forms and JSON alike. The checks run in the order Bolt ran them, so each refusal is
    the one it was: a body Slack never sends gets a 400 before any signature is looked at, and
    Slack's ssl_check is answered by Bolt, signed or not, as Bolt's middleware always did."""
    stamp = request.headers.get("X-Slack-Request-Timestamp")
    if not _plausible_timestamp(stamp):
        # int() of it would fail with a traceback; no signed request looks like this.
        log.warning("Slack: refused a request whose timestamp is not a number")
        return web.Response(status=401, text="invalid request")
    raw = await request.read()
    try:
        payload = shape.read(raw, request.content_type)
    except shape.Malformed as malformed:
        log.warning("Slack: refused a malformed request: %s", malformed)
        return web.Response(status=400, text=str(malformed))
    bot = request.app[SLACK]
    refused = await _refusal(request, bot, raw, stamp, payload)
    if refused is not None:
        return refused
    return await to_aiohttp_response(await bot.app.async_dispatch(_bolt_request(request, payload)))


async def _refusal(
    request: web.Request, bot: SlackBot, raw: bytes, stamp: str | None, payload: shape.Payload
) -> web.Response | None:
    """A request not signed by Slack in the last five minutes, or signed and seen before.

    A request captured inside its five minutes could be sent again and run again (three
    obstacles from one slash command); a replica shares what it saw through the database.
    Only a valid signature is remembered, so junk cannot fill the table. Events (JSON) are
    left to their `event_id`, which answers Slack's own retries of them with 200, once."""
    signature = request.headers.get("X-Slack-Signature", "")
    if not _signed(bot, raw, stamp, signature):
        if _ssl_check(payload.body):
            return None
        log.warning("Slack: refused a request not signed by Slack in the last five minutes")
        return await to_aiohttp_response(BoltResponse(status=401, body=INVALID))
    if _read_as_form(request, payload) and not await bot.signatures.first(signature):
        log.warning("Slack: refused a request whose signature was already used")
        return web.Response(status=401, text="replayed request")
    return None


def _signed(bot: SlackBot, raw: bytes, stamp: str | None, signature: str) -> bool:
    """Signed with our secret within five minutes, as Slack signs (slack_sdk's check, the one
    Bolt ran). No timestamp reads as Bolt read it: the epoch, long stale."""
    return bot.verifier is not None and bot.verifier.is_valid(raw, stamp or "0", signature)


def _read_as_form(request: web.Request, payload: shape.Payload) -> bool:
    """Whether the body was read as a form: as Bolt reads it, anything but JSON (by its type
    or its first character) is, whatever its Content-Type says. The signature does not cover
    that header, so a captured command sent again as text/plain must still count as seen."""
    return not (request.content_type == JSON or payload.text.startswith("{"))


def _ssl_check(body: dict[str, Any]) -> bool:
    """Slack's probe of our certificate, which Bolt answers before it checks a signature."""
    return body.get("ssl_check") == "1"


def _bolt_request(request: web.Request, payload: shape.Payload) -> AsyncBoltRequest:
    """Bolt's request around the body as `shape` read it (a command may say "payload"), with
    the context Bolt would build from it. Bolt takes no parsed body over HTTP, so it is built
    empty and given ours; `raw_body` stays the text, as Bolt keeps it."""
    bolt = AsyncBoltRequest(
        body="",
        query=request.query_string or None,
        headers=request.headers,  # type: ignore[arg-type]  # a mapping of str, as Bolt's adapter
    )
    bolt.raw_body = payload.text
    bolt.body = payload.body
    bolt.context = payload.context
    return bolt


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
