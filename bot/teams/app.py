"""The Teams bot: botbuilder's CloudAdapter at POST /api/messages, through the one dispatcher.

Tokens are checked by the adapter whenever an app id is configured (its 401 goes out as is);
with none, the endpoint answers only on loopback, for the Bot Framework Emulator. Every
activity keeps its conversation reference fresh, so the bot can write first later. Messages
and card submissions run through the same grammar and rituals as Slack's `/kpi`.
"""

from __future__ import annotations

import base64
import dataclasses
import ipaddress
import json
import logging
import uuid
from typing import Any
from urllib.parse import urlsplit

from aiohttp import ClientSession, ClientTimeout, web
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    Attachment,
)
from botbuilder.schema.teams import FileConsentCardResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import AppConfig, ConfigError, Settings
from bot.dispatch import Dispatcher, Identity
from bot.teams.cards import CARD_CONTENT_TYPE, render_message
from bot.teams.people import EMULATOR_TENANT, Directory, Said, identity_of, tenant_of
from bot.teams.replies import Replier, card
from bot.teams.send import ConversationPace
from bot.teams.sender import TeamsSender
from bot.teams.submissions import submission
from rituals.core.context import Clock
from rituals.core.messages import (
    Audience,
    Code,
    Heading,
    Mention,
    Message,
    Note,
    Outgoing,
    Paragraph,
    rich,
    say,
)
from storage import teams_conversations as conversations
from storage.engine import make_sessionmaker
from storage.people import NewMember, ensure_member, ensure_workspace

log = logging.getLogger(__name__)

ROUTE = "/api/messages"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
PROACTIVE = {"ContinueConversation", "CreateConversation"}
# The longest outbox target (storage.models.Outbox.target): longer group chat ids are not kept.
KEY_LENGTH = 64
STALE_CARD = say(
    "That card belongs to an older message and no longer does anything. "
    "Type help to see what you can do now."
)


def check_teams_settings(settings: Settings) -> None:
    """Name the missing variable at start instead of failing every send later."""
    if not settings.microsoft_app_id:
        return
    if settings.microsoft_app_type != "UserAssignedMSI" and not settings.microsoft_app_password:
        raise ConfigError("Teams (MicrosoftAppId) also needs MicrosoftAppPassword")
    if settings.microsoft_app_type != "MultiTenant" and not settings.microsoft_app_tenant_id:
        raise ConfigError(
            f"MicrosoftAppType={settings.microsoft_app_type} also needs MicrosoftAppTenantId"
        )


class _Credentials:
    """The names botbuilder's configuration reader looks for."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.microsoft_app_id or ""
        self.APP_PASSWORD = settings.microsoft_app_password or ""
        self.APP_TYPE = settings.microsoft_app_type
        self.APP_TENANTID = settings.microsoft_app_tenant_id or ""


# A reference, whether the conversation itself spoke, and the person to make a member of.
Seen = tuple[conversations.Reference, bool, Identity | None]


class TeamsBot:
    def __init__(
        self,
        settings: Settings,
        config: AppConfig,
        dispatcher: Dispatcher,
        engine: AsyncEngine,
        clock: Clock,
    ) -> None:
        self.app_id = settings.microsoft_app_id or ""
        self.dispatcher = dispatcher
        self.sessions = make_sessionmaker(engine)
        self.clock = clock
        self.slash = config.commands.slash
        working_days = ",".join(config.people.working_days)
        self.default_time_zone = config.people.default_time_zone
        self.working_days = working_days
        self.directory = Directory(config.people.default_time_zone, working_days)
        self.pace = ConversationPace()
        self.adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_Credentials(settings)))
        self.adapter.on_turn_error = self._on_turn_error
        # Answers queued for the asker's chat go out at once, like everything the dispatcher queued.
        self.replier = Replier(self.sessions, self.pace, clock.now, lambda: dispatcher.wake())
        self.handler = _Handler(self)
        self.http = ClientSession(timeout=ClientTimeout(total=30))
        # People seen in passing (mentioned, or writing in a channel), already stored.
        self._remembered: set[tuple[str, str, str | None, str]] = set()

    async def close(self) -> None:
        await self.http.close()

    def sender(self) -> TeamsSender:
        return TeamsSender(self.adapter, self.app_id, self.sessions, self.clock, self.pace)

    # --- HTTP -----------------------------------------------------------------------------

    async def endpoint(self, request: web.Request) -> web.StreamResponse:
        if not self.app_id and not _loopback(request.remote):
            return web.json_response(
                {"error": "no MicrosoftAppId is set, so only local requests are served"},
                status=403,
            )
        read = await _read(request)
        problem = read if isinstance(read, str) else self._not_for_us(request, *read)
        if problem:
            log.warning("teams: refused a malformed activity from %s: %s", request.remote, problem)
            return web.json_response({"error": problem}, status=400)
        response = await self.adapter.process(request, self.handler)
        return response if response is not None else web.Response(status=201)

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
        if any(h in request.headers for h in ("Forwarded", "X-Forwarded-For")):
            return "forwarded requests need MicrosoftAppId: only this machine is served without"
        if not _loopback(urlsplit(str(body.get("serviceUrl"))).hostname):
            return "without MicrosoftAppId, replies go only to a serviceUrl on this machine"
        return None

    # --- turns ----------------------------------------------------------------------------

    def identity(self, turn: TurnContext) -> Identity:
        """Who wrote, and in a channel the thread they wrote in (`...;messageid=<id>`), where a
        post that answers them goes."""
        who = identity_of(turn.activity, self.default_time_zone, self.working_days)
        _, _, thread = str(turn.activity.conversation.id or "").partition(";messageid=")
        return dataclasses.replace(who, thread=thread or None) if who.channel_id else who

    async def on_message(self, turn: TurnContext) -> None:
        who = self.identity(turn)
        value = turn.activity.value
        if isinstance(value, dict) and not (turn.activity.text or "").strip():
            await self._remember(turn, who)
            await self._submitted(turn, who, value)
            return
        said = await self.directory.read(turn)
        await self._remember(turn, who, said)
        replies = await self.dispatcher.handle_text(who, said.text, said.mentioned)
        await self.replier.deliver(turn, replies, _mention(who))

    async def _submitted(self, turn: TurnContext, who: Identity, value: dict[str, Any]) -> None:
        """An Action.Submit: a button's command, or a form's values."""
        await self.replier.deliver(turn, await self._run(who, value), _mention(who))

    async def _run(self, who: Identity, value: object) -> list[Outgoing]:
        """What a card sent back, through the grammar: a button's command or a form's values."""
        sent = submission(value) if isinstance(value, dict) else None
        if sent is None:
            return [STALE_CARD]
        if sent.is_form:
            return await self.dispatcher.handle_form(who, sent.command, sent.values)
        return await self.dispatcher.handle_text(who, sent.command)

    async def on_card_action(self, turn: TurnContext, data: Any) -> AdaptiveCardInvokeResponse:
        """An Action.Execute: run it like a submission, and answer the invoke with a card."""
        who = self.identity(turn)
        await self._remember(turn, who)
        replies = await self._run(who, data)
        mine = (r for r in replies if isinstance(r, Message) and r.audience is Audience.EPHEMERAL)
        first = next(mine, None)
        rest = [r for r in replies if r is not first]
        if rest:
            await self.replier.deliver(turn, rest, _mention(who))
        shown = first or say("Done.")
        return AdaptiveCardInvokeResponse(
            status_code=200, type=CARD_CONTENT_TYPE, value=render_message(shown).cards[0]
        )

    async def on_installed(self, turn: TurnContext, *, hello: bool) -> None:
        """The app was installed for a person or added to a team: keep where, and say hello
        (a person's welcome comes once ever; a channel's hello only when `hello`)."""
        who = self.identity(turn)
        await self._remember(turn, who)
        if who.channel_id is None:
            await self.replier.deliver(turn, await self.dispatcher.greet(who), _mention(who))
        elif hello:
            await self.replier.send(turn, [card(render_message(self._hello()).cards[0])])

    async def on_seen(self, turn: TurnContext) -> None:
        await self._remember(turn, self.identity(turn))

    async def on_removed(self, turn: TurnContext) -> None:
        """Uninstalled, or taken out of a team: stop writing there until asked back."""
        who = self.identity(turn)
        key = who.channel_id or who.user_id
        async with self.sessions() as session, session.begin():
            row = await conversations.find(session, who.workspace_external_id, key)
            if row is not None:
                await conversations.unreachable(
                    session, row.id, "the app was removed from this conversation", self.clock.now()
                )

    async def on_file_accepted(self, turn: TurnContext, answer: FileConsentCardResponse) -> None:
        """The person accepted a file: upload it where Teams said, then show it in the chat."""
        context = answer.context if isinstance(answer.context, dict) else {}
        data = base64.b64decode(str(context.get("data") or ""))
        info = answer.upload_info
        headers = {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}
        async with self.http.put(info.upload_url, data=data, headers=headers) as response:
            if response.status >= 300:
                log.warning("teams: file upload refused: %s", response.status)
                await self.replier.send(turn, [_text(f"I could not upload {info.name}.")])
                return
        shown = Attachment(
            content_type=FILE_INFO,
            content_url=info.content_url,
            name=info.name,
            content={"uniqueId": info.unique_id, "fileType": info.file_type},
        )
        await self.replier.send(turn, [Activity(type=ActivityTypes.message, attachments=[shown])])

    def _hello(self) -> Message:
        return Message(
            (
                Heading("Hello! I'm kpi-coach."),
                Paragraph(
                    rich(
                        "I run this team's KPI rituals: the weekly check-in, wins-first "
                        "one-on-ones, recognition and Fail of the Month. Mention me with ",
                        Code("help"),
                        " to see what I can do, or with ",
                        Code("team create <name>"),
                        " to make this channel your team's home.",
                    )
                ),
                Note("Nudges come to each person privately, in their chat with me."),
            )
        )

    async def _remember(self, turn: TurnContext, who: Identity, said: Said | None = None) -> None:
        """Keep where this conversation, and each person in it, can be reached later.

        A conversation that spoke is written every time: that clears an "unreachable" another
        replica may have set. People seen in passing (writing in a channel, mentioned) are
        written once per process: their Teams id, to open a chat with them later.
        """
        activity = turn.activity
        conversation = str(activity.conversation.id).split(";", 1)[0]
        place = (str(activity.service_url), str(activity.recipient.id))
        seen: list[Seen] = []
        if who.channel_id is None:
            sender = str(activity.from_property.id)
            seen.append(
                (conversations.Reference(who.user_id, *place, sender, conversation), True, who)
            )
        else:
            if len(conversation) <= KEY_LENGTH:
                channel = conversations.Reference(conversation, *place, None, conversation)
                seen.append((channel, True, None))
            sender = str(activity.from_property.id)
            seen.append((conversations.Reference(who.user_id, *place, sender), False, who))
        for named in said.mentioned if said else ():
            teams_id = said.teams_ids[named.user_id] if said else None
            seen.append((conversations.Reference(named.user_id, *place, teams_id), False, named))
        fresh = [s for s in seen if s[1] or _memo(s[0]) not in self._remembered]
        if not fresh:
            return
        try:
            await self._keep(who, fresh)
        except IntegrityError:
            # Two first activities from one new person or tenant (an install sends two at once)
            # racing to create the same rows: the loser finds them on its second try.
            await self._keep(who, fresh)
        self._remembered.update(_memo(s[0]) for s in fresh if not s[1])

    async def _keep(self, who: Identity, fresh: list[Seen]) -> None:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            workspace = await ensure_workspace(
                session, who.platform, who.workspace_external_id, who.workspace_name, now
            )
            for ref, spoke, person in fresh:
                if person is not None:
                    new = NewMember(
                        person.user_id, person.display_name, person.time_zone, person.working_days
                    )
                    member = await ensure_member(session, workspace.id, new, now)
                    ref = dataclasses.replace(ref, member_id=member.id)
                await conversations.remember(session, workspace.id, ref, now, spoke=spoke)

    async def _on_turn_error(self, turn: TurnContext, error: Exception) -> None:
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


class _Handler(TeamsActivityHandler):  # type: ignore[misc]
    """botbuilder's routing of activity types, handing each to the bot."""

    def __init__(self, bot: TeamsBot) -> None:
        self.bot = bot

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self.bot.on_message(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        me = activity.recipient.id
        if any(m.id == me for m in activity.members_added or []):
            await self.bot.on_installed(turn_context, hello=True)
        elif any(m.id == me for m in activity.members_removed or []):
            await self.bot.on_removed(turn_context)
        else:
            await self.bot.on_seen(turn_context)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        """Teams sends this beside the conversationUpdate that says hello, and again on every
        app upgrade ("add-upgrade", "remove-upgrade"): an upgrade only refreshes the reference."""
        action = turn_context.activity.action
        if action == "add":
            await self.bot.on_installed(turn_context, hello=False)
        elif action == "remove":
            await self.bot.on_removed(turn_context)
        else:
            await self.bot.on_seen(turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Action.Execute answered here: botbuilder's own path serializes the answer twice,
        which CloudAdapter then fails on."""
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        value = activity.value if isinstance(activity.value, dict) else {}
        data = (value.get("action") or {}).get("data")
        return InvokeResponse(status=200, body=await self.bot.on_card_action(turn_context, data))

    async def on_teams_file_consent_accept(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        await self.bot.on_file_accepted(turn_context, file_consent_card_response)

    async def on_teams_file_consent_decline(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        await self.bot.replier.send(turn_context, [_text("No file, then. Ask again any time.")])


def _text(text: str) -> Activity:
    return card(render_message(say(text)).cards[0])


def _mention(who: Identity) -> Mention:
    return Mention(who.user_id, who.display_name)


def _memo(ref: conversations.Reference) -> tuple[str, str, str | None, str]:
    return (ref.service_url, ref.key, ref.conversation_id, ref.user_id or "")


def _loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


async def _read(request: web.Request) -> tuple[dict[str, Any], Activity] | str:
    """The activity, or why the request is not one botbuilder can take: a 400 beats its 500."""
    if "application/json" not in request.headers.get("Content-Type", ""):
        return "expected Content-Type: application/json"
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return "the body is not JSON"
    if not isinstance(body, dict):
        return "an activity is a JSON object"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "the activity has no type"
    for part in ("conversation", "from", "recipient"):
        if not isinstance(body.get(part), dict) or not isinstance(body[part].get("id"), str):
            return f"the activity has no {part} with an id"
    if not isinstance(body.get("serviceUrl"), str) or not body["serviceUrl"]:
        return "the activity has no serviceUrl"
    try:
        return body, Activity().deserialize(body)
    except Exception as exc:
        return f"not a Bot Framework activity: {exc}"[:200]
