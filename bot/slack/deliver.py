"""Putting rendered replies where they belong in Slack.

Ephemeral answers go back through the request's `response_url` when there is one (it works in
channels the bot was never invited to), else as an ephemeral post, else as a DM. Only the
answer to the person who asked comes here; the outbox worker posts everything else. Forms open as
modals while the `trigger_id` is fresh; without one, a button offers to open it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiohttp import ClientSession
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.grammar import Grammar
from bot.slack.render import (
    BUTTON_VALUE,
    FormOrigin,
    Rendered,
    SlackMessage,
    Upload,
    render_message,
    render_modal,
)
from rituals.core.messages import (
    Actions,
    Audience,
    Button,
    ButtonStyle,
    Form,
    Message,
    Outgoing,
    Paragraph,
)

log = logging.getLogger(__name__)

# The bot cannot post there: the answer goes to the person's DM with the app instead.
UNREACHABLE_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived"}
STALE_TRIGGER = {"expired_trigger_id", "invalid_trigger_id"}


@dataclass(slots=True)
class Place:
    """Where a request came from, and what Slack gave us to answer it."""

    client: AsyncWebClient
    user_id: str
    channel_id: str | None = None  # None for App Home; a D... id for a DM
    response_url: str | None = None
    trigger_id: str | None = None
    retry_handlers: list[AsyncRetryHandler] = field(default_factory=list)
    session: ClientSession | None = None  # shared, so each reply does not open a connection
    responses_left: int = 5  # Slack takes five replies through one response_url
    # The message a button was on, when it was in a channel: where a reply in a thread goes.
    thread_ts: str | None = None


class Places:
    """A Place for each request, on one Web API client per bot token.

    Each client is built once: queued work holds a reference to it, not a new client, and all
    share one connection pool and the same retry handlers.
    """

    def __init__(
        self, api_url: str, session: ClientSession, retries: list[AsyncRetryHandler]
    ) -> None:
        self.api_url = api_url
        self.session = session
        self.retries = retries
        self._clients: dict[str | None, AsyncWebClient] = {}

    def at(
        self,
        client: AsyncWebClient,
        user_id: str,
        channel_id: str | None,
        response_url: str | None,
        trigger_id: str | None,
    ) -> Place:
        """Where to answer, on the kept client for the token Bolt gave this request."""
        token = client.token
        if token not in self._clients:
            self._clients[token] = AsyncWebClient(
                token=token,
                base_url=self.api_url,
                session=self.session,
                retry_handlers=self.retries,
            )
        return Place(
            self._clients[token],
            user_id,
            channel_id,
            response_url,
            trigger_id,
            self.retries,
            self.session,
        )


def one_ephemeral(replies: Sequence[Outgoing]) -> SlackMessage | None:
    """The replies as the one ephemeral message an ack can carry, or None when they need more:
    a modal (views.open with the trigger), an upload, a DM, or more than one message. An answer
    in the ack is visible at once and costs no second HTTP call."""
    if len(replies) != 1 or not isinstance(replies[0], Message):
        return None
    message = replies[0]
    if message.audience is Audience.DM and message.to is not None:
        return None  # the courier posts it into the person's DM
    rendered = render_message(message)
    if len(rendered.parts) != 1 or rendered.uploads:
        return None
    return rendered.parts[0]


class Courier:
    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar

    async def deliver(self, replies: Sequence[Outgoing], place: Place) -> None:
        for reply in replies:
            if isinstance(reply, Form):
                await self._form(reply, place)
            else:
                await self._message(reply, place)

    async def _form(self, form: Form, place: Place) -> None:
        if place.trigger_id:
            trigger, place.trigger_id = place.trigger_id, None  # a trigger opens one view
            origin = FormOrigin(
                form.command, form.hidden, place.channel_id, place.response_url, place.thread_ts
            )
            try:
                await place.client.views_open(trigger_id=trigger, view=render_modal(form, origin))
                return
            except SlackApiError as exc:
                # Slack takes a trigger for 3 seconds; after a slow moment, offer the button.
                if exc.response.get("error") not in STALE_TRIGGER:
                    raise
        # Typed in a DM or a mention: Slack gives no trigger, so offer a button that brings one.
        # Short values ride along in its command; long ones would not fit a button's value.
        short = {f.name: f.value for f in form.fields if f.value and len(f.value) <= 200}
        syntax = self.grammar.find(form.command)
        command = self.grammar.to_text(syntax, {**form.hidden, **short}) if syntax else ""
        if not syntax or len(command) > BUTTON_VALUE:
            command = form.command
        intro = (form.intro + " ") if form.intro else ""
        await self._message(
            Message(
                (
                    Paragraph((f"{intro}The button opens the form.",)),
                    Actions((Button(form.title, command, ButtonStyle.PRIMARY),)),
                )
            ),
            place,
        )

    async def _message(self, message: Message, place: Place) -> None:
        """An answer to the asker: a DM to them in their chat with the app, anything else
        ephemeral. Messages to anyone else never get here: the dispatcher queued them."""
        rendered = render_message(message)
        if message.audience is Audience.DM and message.to is not None:
            await self._post(rendered, place, message.to.platform_user_id)
        else:
            await self._ephemeral(rendered, place)

    async def _ephemeral(self, rendered: Rendered, place: Place) -> None:
        parts = list(rendered.parts)
        if place.response_url:
            parts = parts[await self._respond(parts, place) :]
        if parts and place.channel_id and not place.channel_id.startswith("D"):
            try:
                while parts:
                    await place.client.chat_postEphemeral(
                        channel=place.channel_id,
                        user=place.user_id,
                        text=parts[0].text,
                        blocks=parts[0].blocks,
                    )
                    parts.pop(0)
            except SlackApiError as exc:
                if exc.response.get("error") not in UNREACHABLE_CHANNEL:
                    raise
        # What is left goes to the app's DM with the person (a user id as the channel opens it).
        await self._post(Rendered(parts, rendered.uploads), place, place.user_id)

    async def _respond(self, parts: Sequence[SlackMessage], place: Place) -> int:
        """Answer through response_url; how many parts Slack took (it allows five uses)."""
        assert place.response_url is not None
        hook = AsyncWebhookClient(
            place.response_url, session=place.session, retry_handlers=place.retry_handlers
        )
        for sent, part in enumerate(parts):
            if place.responses_left <= 0:
                place.response_url = None
                return sent
            response = await hook.send(
                text=part.text,
                blocks=part.blocks,
                response_type="ephemeral",
                replace_original=False,
            )
            place.responses_left -= 1
            if response.status_code != 200:
                log.warning("response_url refused (%s): answering by DM", response.status_code)
                place.response_url = None
                return sent
        return len(parts)

    async def _post(self, rendered: Rendered, place: Place, channel: str) -> None:
        """A visible post; a user id as the channel means the person's DM with the app."""
        for part in rendered.parts:
            await place.client.chat_postMessage(channel=channel, text=part.text, blocks=part.blocks)
        await self._upload(rendered.uploads, place, channel)

    async def _upload(self, uploads: Sequence[Upload], place: Place, channel: str) -> None:
        if not uploads:
            return
        if channel.startswith(("U", "W")):
            opened = await place.client.conversations_open(users=channel)
            channel = opened["channel"]["id"]
        for upload in uploads:
            await place.client.files_upload_v2(
                channel=channel, content=upload.data, filename=upload.name, title=upload.title
            )
