"""The Teams bot: botbuilder's CloudAdapter at POST /api/messages, through the one dispatcher.
Built by `bot.teams.lazy` at the first activity or send, not at start.

Tokens are checked by the adapter whenever an app id is configured (its 401 goes out as is);
with none, the endpoint answers only on loopback, for the Bot Framework Emulator. What the bot
does with each activity that gets through is in `bot.teams.turns`.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web
from botbuilder.core import TurnContext, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import AppConfig, Settings
from bot.dispatch import Dispatcher
from bot.inbound import holds_nul
from bot.loopback import from_this_machine, local_service_url
from bot.teams.auth import (
    CheckedAuthentication,
    KeysUnavailable,
    fetch_keys_without_blocking,
)
from bot.teams.cards import render_message
from bot.teams.connector import Connectors
from bot.teams.pace import ConversationPace
from bot.teams.people import EMULATOR_TENANT, tenant_of
from bot.teams.references import References
from bot.teams.replies import Replier, card
from bot.teams.sender import TeamsSender
from bot.teams.turns import Handler, Turns
from rituals.core.context import Clock
from rituals.core.messages import say
from rituals.core.settings import parse_window
from storage.engine import make_sessionmaker

log = logging.getLogger(__name__)

PROACTIVE = {"ContinueConversation", "CreateConversation"}


class _Credentials:
    """The names botbuilder's configuration reader looks for."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.microsoft_app_id or ""
        self.APP_PASSWORD = settings.microsoft_app_password or ""
        self.APP_TYPE = settings.microsoft_app_type
        self.APP_TENANTID = settings.microsoft_app_tenant_id or ""


def _connectors(settings: Settings, http: ClientSession) -> Connectors | None:
    """Our connector clients and token fetch, unless a managed identity signs the bot in:
    its tokens come from the machine's identity endpoint, which only botbuilder knows."""
    if settings.microsoft_app_type == "UserAssignedMSI":
        return None
    # As botbuilder does: only a single-tenant bot takes its tokens from its own tenant; a
    # multi-tenant bot's come from Bot Framework's, whatever tenant id is also set.
    single = settings.microsoft_app_type == "SingleTenant"
    return Connectors(
        http,
        settings.microsoft_app_id or "",
        settings.microsoft_app_password or "",
        settings.microsoft_app_tenant_id if single else None,
        settings.teams_login_url,
    )


class TeamsBot:
    """The adapter and what it hands activities to; one per process, shared by every request."""

    def __init__(
        self,
        settings: Settings,
        config: AppConfig,
        dispatcher: Dispatcher,
        engine: AsyncEngine,
        clock: Clock,
        pace: ConversationPace,
    ) -> None:
        self.app_id = settings.microsoft_app_id or ""
        self.dispatcher = dispatcher
        self.sessions = make_sessionmaker(engine)
        self.clock = clock
        self.pace = pace
        fetch_keys_without_blocking(settings.teams_openid_metadata_url)
        self.http = ClientSession(timeout=ClientTimeout(total=30))
        self.adapter = CloudAdapter(
            CheckedAuthentication(_Credentials(settings), _connectors(settings, self.http))
        )
        self.adapter.on_turn_error = self._on_turn_error
        # Answers queued for the asker's chat go out at once, like everything the dispatcher queued.
        chats = self.sender()
        replier = Replier(
            self.sessions,
            self.pace,
            clock.now,
            lambda: dispatcher.wake(),
            lambda tenant, person, shown: chats.send_to(tenant, person, lambda _: [shown]),
        )
        references = References(self.sessions, clock, parse_window(config.people.work_hours))
        self.handler = Handler(Turns(dispatcher, config.people, references, replier, self.http))

    async def close(self) -> None:
        await self.http.close()

    def sender(self) -> TeamsSender:
        return TeamsSender(self.adapter, self.app_id, self.sessions, self.clock, self.pace)

    # --- HTTP -----------------------------------------------------------------------------

    async def endpoint(self, request: web.Request) -> web.StreamResponse:
        if not self.app_id and not from_this_machine(request):
            return web.json_response(
                {"error": "no MicrosoftAppId is set, so only local requests are served"},
                status=403,
            )
        read = await _read(request)
        problem = read if isinstance(read, str) else self._not_for_us(request, *read)
        if problem or isinstance(read, str):
            log.warning("teams: refused a malformed activity from %s: %s", request.remote, problem)
            return web.json_response({"error": problem}, status=400)
        # The adapter's own `process` would read and deserialize the body a second time.
        auth_header = request.headers.get("Authorization", "")
        try:
            answer = await self.adapter.process_activity(auth_header, read[1], self.handler.on_turn)
        except PermissionError:
            raise web.HTTPUnauthorized() from None
        except KeysUnavailable as exc:
            log.warning("teams: could not check a token now: %s", exc)
            return web.json_response(
                {"error": "the Bot Framework's signing keys are unreachable; try again"},
                status=503,
                headers={"Retry-After": "30"},
            )
        if answer is None:
            return web.Response(status=201)
        return web.json_response(serializer_helper(answer.body), status=answer.status)

    def _not_for_us(
        self, request: web.Request, body: dict[str, Any], activity: Activity
    ) -> str | None:
        """What this deployment will not take. With an app id, only Teams itself: the tenant and
        the person's AAD id are who the bot serves. Without one (the Emulator), only this
        machine, and replies only to this machine: the body names where replies go."""
        channel = body.get("channelId")
        if self.app_id:
            if channel != "msteams":
                return f"this bot serves Microsoft Teams, not {channel!r}"
            if tenant_of(activity) == EMULATOR_TENANT:
                return "a Teams activity names its tenant"
            if not (body.get("from") or {}).get("aadObjectId"):
                return "a Teams activity names its sender's aadObjectId"
            return None
        if not local_service_url(str(body.get("serviceUrl"))):
            return "without MicrosoftAppId, replies go only to a serviceUrl on this machine"
        return None

    async def _on_turn_error(self, turn: TurnContext, error: Exception) -> None:
        """A turn that fell over: the person hears a reference they can quote, the log the rest."""
        activity = turn.activity
        if activity.type == ActivityTypes.event and activity.name in PROACTIVE:
            raise error  # a proactive send: its caller (the outbox worker) judges it
        ref = uuid.uuid4().hex[-8:]
        log.error("teams turn %s (%s) failed", ref, activity.type, exc_info=error)
        try:
            await turn.send_activity(
                card(
                    render_message(
                        say(
                            "Something went wrong on our side while answering you. ",
                            f"Please try again in a minute (reference {ref}).",
                        )
                    ).cards[0]
                )
            )
        except Exception:
            log.exception("teams: could not tell the person about failure %s", ref)


# An activity with an Adaptive Card in it nests a few dozen levels; botbuilder's deserializer
# recurses on what it reads, so a deeper body is refused before it gets there.
MAX_DEPTH = 64


def _depth(body: Any) -> int:
    """How deep the JSON value nests, counted without recursion."""
    deepest, stack = 0, [(body, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                break
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


# Parts botbuilder and our turns read as objects (or lists of objects) when they are there.
OBJECTS = ("channelData", "channelData.tenant", "channelData.team", "channelData.channel")
LISTS_OF_OBJECTS = ("entities", "membersAdded", "membersRemoved", "attachments")
# Ids the store keeps in columns of 64 characters: an AAD object id is a GUID (36).
STRINGS = ("id", "from.aadObjectId", "conversation.tenantId", "channelData.tenant.id")
LONGEST_ID = 64


def _odd_part(body: dict[str, Any]) -> str | None:
    """The first part of the activity that is not shaped as the Bot Framework sends it."""
    if holds_nul(body):
        return "the activity holds a NUL character"  # and PostgreSQL would refuse to keep it
    for path in STRINGS:
        found = _at(body, path)
        if found is not None and not (isinstance(found, str) and len(found) <= LONGEST_ID):
            return f"the activity's {path} is not an id"
    for path in OBJECTS:
        found = _at(body, path)
        if found is not None and not isinstance(found, dict):
            return f"the activity's {path} is not an object"
    for path in LISTS_OF_OBJECTS:
        found = _at(body, path)
        if found is not None and not (
            isinstance(found, list) and all(isinstance(item, dict) for item in found)
        ):
            return f"the activity's {path} is not a list of objects"
    return None


def _at(body: dict[str, Any], path: str) -> Any:
    node: Any = body
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node


async def _read(request: web.Request) -> tuple[dict[str, Any], Activity] | str:
    """The activity, or why the request is not one botbuilder can take: a 400 beats its 500."""
    if "application/json" not in request.headers.get("Content-Type", ""):
        return "expected Content-Type: application/json"
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return "the body is not JSON"
    except RecursionError:
        return f"the body nests deeper than an activity does (over {MAX_DEPTH} levels)"
    if _depth(body) > MAX_DEPTH:
        return f"the body nests deeper than an activity does (over {MAX_DEPTH} levels)"
    if not isinstance(body, dict):
        return "an activity is a JSON object"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "the activity has no type"
    for part in ("conversation", "from", "recipient"):
        if not isinstance(body.get(part), dict) or not isinstance(body[part].get("id"), str):
            return f"the activity has no {part} with an id"
    if not isinstance(body.get("serviceUrl"), str) or not body["serviceUrl"]:
        return "the activity has no serviceUrl"
    odd = _odd_part(body)
    if odd:
        return odd
    try:
        return body, Activity().deserialize(body)
    except Exception as exc:
        return f"not a Bot Framework activity: {exc}"[:200]
