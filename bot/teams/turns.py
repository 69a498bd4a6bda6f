"""What the Teams bot does with each activity, and botbuilder's routing of activities to it.

Messages and card submissions run through the same grammar and rituals as Slack's `/kpi`;
installs say hello, removals stop the bot writing there, and every activity keeps the
conversation's reference fresh, so the bot can write first later.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
from typing import Any

from aiohttp import ClientSession
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse, Attachment
from botbuilder.schema.teams import FileConsentCardResponse

from bot.dispatch import Dispatcher, Identity
from bot.teams.cards import CARD_CONTENT_TYPE, render_message
from bot.teams.people import Directory, identity_of
from bot.teams.references import References
from bot.teams.replies import Replier, card, conversation_key
from bot.teams.sent_forms import SentForms, done
from bot.teams.submissions import submission
from rituals.core.messages import (
    Audience,
    Code,
    Form,
    Heading,
    Mention,
    Message,
    Note,
    Outgoing,
    Paragraph,
    rich,
    say,
)
from rituals.core.settings import PeopleDefaults

log = logging.getLogger(__name__)

FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
STALE_CARD = say(
    "That card belongs to an older message and no longer does anything. "
    "Type help to see what you can do now."
)
ALREADY_SENT = say("You sent that form already; what it did is where the form was.")
HELLO = Message(
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


class Turns:
    """One method per kind of activity; each answers on the turn's own conversation."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        people: PeopleDefaults,
        references: References,
        replier: Replier,
        http: ClientSession,
    ) -> None:
        self.dispatcher = dispatcher
        self.default_time_zone = people.default_time_zone
        self.working_days = ",".join(people.working_days)
        self.directory = Directory(people.default_time_zone, self.working_days)
        self.references = references
        self.replier = replier
        self.http = http
        self.forms = SentForms()

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
            await self.references.remember(turn, who)
            await self._submitted(turn, who, value)
            return
        said = await self.directory.read(turn)
        await self.references.remember(turn, who, said)
        replies = await self.dispatcher.handle_text(who, said.text, said.mentioned)
        await self.replier.deliver(turn, replies, _mention(who))

    async def _submitted(self, turn: TurnContext, who: Identity, value: dict[str, Any]) -> None:
        """An Action.Submit: a button's command, or a form's values.

        A form is one person's: once it did what it asks, its card is replaced by what was
        done (so it cannot be sent again), and a second submit of the same card that arrives
        meanwhile (a double click, a slow client) is answered, not run again. A form that came
        back refused stays live, to be fixed and sent again.
        """
        sent = submission(value)
        card_id = turn.activity.reply_to_id
        key = None
        if sent is not None and sent.is_form and card_id:
            key = (conversation_key(turn), str(card_id), who.user_id)
            if not self.forms.claim(key):
                await self.replier.deliver(turn, [ALREADY_SENT], _mention(who))
                return
        replies = await self._run(who, value)
        if key is not None:
            if any(isinstance(r, Form) for r in replies):
                self.forms.release(key)
            else:
                await self.replier.replace(turn, str(card_id), done(replies))
        # A button's form goes where the button's other answers go: the person's chat.
        button = sent is not None and not sent.is_form
        await self.replier.deliver(turn, replies, _mention(who), forms_to_chat=button)

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
        await self.references.remember(turn, who)
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
        who = await self.directory.named(turn, self.identity(turn))
        await self.references.remember(turn, who)
        if who.channel_id is None:
            await self.replier.deliver(turn, await self.dispatcher.greet(who), _mention(who))
        elif hello:
            await self.replier.send(turn, [card(render_message(HELLO).cards[0])])

    async def on_seen(self, turn: TurnContext) -> None:
        await self.references.remember(turn, self.identity(turn))

    async def on_removed(self, turn: TurnContext) -> None:
        """Uninstalled, or taken out of a team: stop writing there until asked back."""
        await self.references.forget(
            self.identity(turn), "the app was removed from this conversation"
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
                await self.replier.send(turn, [text_card(f"I could not upload {info.name}.")])
                return
        shown = Attachment(
            content_type=FILE_INFO,
            content_url=info.content_url,
            name=info.name,
            content={"uniqueId": info.unique_id, "fileType": info.file_type},
        )
        await self.replier.send(turn, [Activity(type=ActivityTypes.message, attachments=[shown])])

    async def on_file_declined(self, turn: TurnContext) -> None:
        await self.replier.send(turn, [text_card("No file, then. Ask again any time.")])


class Handler(TeamsActivityHandler):  # type: ignore[misc]
    """botbuilder's routing of activity types, handing each to the bot's turns."""

    def __init__(self, turns: Turns) -> None:
        self.turns = turns

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self.turns.on_message(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        me = activity.recipient.id
        if any(m.id == me for m in activity.members_added or []):
            await self.turns.on_installed(turn_context, hello=True)
        elif any(m.id == me for m in activity.members_removed or []):
            await self.turns.on_removed(turn_context)
        else:
            await self.turns.on_seen(turn_context)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        """Teams sends this beside the conversationUpdate that says hello, and again on every
        app upgrade ("add-upgrade", "remove-upgrade"): an upgrade only refreshes the reference."""
        action = turn_context.activity.action
        if action == "add":
            await self.turns.on_installed(turn_context, hello=False)
        elif action == "remove":
            await self.turns.on_removed(turn_context)
        else:
            await self.turns.on_seen(turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Action.Execute answered here: botbuilder's own path serializes the answer twice,
        which CloudAdapter then fails on."""
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        value = activity.value if isinstance(activity.value, dict) else {}
        data = (value.get("action") or {}).get("data")
        return InvokeResponse(status=200, body=await self.turns.on_card_action(turn_context, data))

    async def on_teams_file_consent_accept(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        await self.turns.on_file_accepted(turn_context, file_consent_card_response)

    async def on_teams_file_consent_decline(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        await self.turns.on_file_declined(turn_context)


def text_card(text: str) -> Activity:
    """A line of plain text as a card, the one shape every answer in Teams takes."""
    return card(render_message(say(text)).cards[0])


def _mention(who: Identity) -> Mention:
    return Mention(who.user_id, who.display_name)
