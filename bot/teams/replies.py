"""Putting a turn's replies where they belong in Teams.

Answers go back into the conversation the person wrote in (Teams has no ephemeral messages; in
a channel the answer lands in the thread of their message). Forms are cards with inputs. A DM
to someone else, or a post to another channel, goes through the outbox like a nudge: it needs
a conversation reference, pacing and retries, which the outbox worker already gives. Files are
offered with a file consent card in the personal chat, which is how Teams lets a bot share one.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.payload import encode
from bot.teams.cards import CARD_CONTENT_TYPE, Upload, render_form, render_message
from bot.teams.people import GROUPS, tenant_of
from bot.teams.send import ConversationPace, with_retries
from rituals.core.messages import Audience, Form, Mention, Message, Outgoing, say
from storage.models import OutboxStatus, Platform
from storage.outbox import enqueue
from storage.people import find_workspace, member_by_platform_id

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
# A file rides inside its consent card until accepted, as base64 (a third larger): the card
# stays near 60 KB, well under the 100 KB Teams refuses.
MAX_FILE_BYTES = 45_000


def card(content: dict[str, object], summary: str | None = None) -> Activity:
    """A message of one card; `summary` is what a notification shows instead of "sent a card"."""
    return Activity(
        type=ActivityTypes.message,
        summary=summary,
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=content)],
    )


def in_group(turn: TurnContext) -> bool:
    return turn.activity.conversation.conversation_type in GROUPS


def conversation_key(turn: TurnContext) -> str:
    """A channel thread is paced as its channel: Teams counts per conversation."""
    return str(turn.activity.conversation.id).split(";", 1)[0]


class Replier:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        pace: ConversationPace,
        now: Callable[[], datetime],
        wake: Callable[[], None],
    ) -> None:
        self.sessions = sessions
        self.pace = pace
        self.now = now
        self.wake = wake

    async def deliver(self, turn: TurnContext, replies: Sequence[Outgoing], asker: Mention) -> None:
        """Messages for elsewhere are queued first, so a failed answer here loses none of them."""
        routed = [(reply, self._elsewhere(turn, reply, asker)) for reply in replies]
        later = [queued for _, queued in routed if queued is not None]
        if later:
            await self._queue(turn, later)
        if any(self._private(turn, reply) for reply in replies):
            await self.send(turn, [card(_text_card("I answered you in our chat with me."))])
        for reply, queued in routed:
            if isinstance(reply, Form):
                await self.send(turn, [card(render_form(reply))])
            elif queued is None:
                await self._here(turn, reply)

    def _elsewhere(self, turn: TurnContext, reply: Outgoing, asker: Mention) -> Message | None:
        """The message to queue for someone, or somewhere, else; None to answer here.

        Teams has no ephemeral messages: an answer meant for the asker alone, asked in a
        channel, goes to their chat with the bot rather than in front of the channel.
        """
        if isinstance(reply, Form):
            return None
        if self._private(turn, reply):
            return Message(reply.blocks, Audience.DM, to=asker)
        if reply.audience is Audience.DM and reply.to is not None:
            mine = reply.to.platform_user_id == asker.platform_user_id
            return None if mine and not in_group(turn) else reply
        if reply.audience is Audience.CHANNEL and reply.channel_id:
            return None if reply.channel_id == conversation_key(turn) else reply
        return None

    def _private(self, turn: TurnContext, reply: Outgoing) -> bool:
        return (
            isinstance(reply, Message) and reply.audience is Audience.EPHEMERAL and in_group(turn)
        )

    async def _here(self, turn: TurnContext, message: Message) -> None:
        rendered = render_message(message)
        activities = [card(c, rendered.text) for c in rendered.cards]
        activities += [offer(upload, in_chat=not in_group(turn)) for upload in rendered.uploads]
        await self.send(turn, activities)

    async def send(self, turn: TurnContext, activities: Sequence[Activity]) -> None:
        """Into the turn's conversation, paced and retried one activity at a time."""
        key = conversation_key(turn)
        for activity in activities:
            await self.pace.wait(key)
            await with_retries(partial(turn.send_activity, activity))

    async def _queue(self, turn: TurnContext, messages: Sequence[Message]) -> None:
        now = self.now()
        async with self.sessions() as session, session.begin():
            workspace = await find_workspace(session, Platform.TEAMS, tenant_of(turn.activity))
            if workspace is None:
                raise LookupError("a reply to queue from a tenant the store does not know")
            rows = []
            for message in messages:
                member_id = None
                if message.audience is Audience.DM and message.to is not None:
                    target = message.to.platform_user_id
                    member = await member_by_platform_id(session, workspace.id, target)
                    member_id = member.id if member else None
                else:
                    target = str(message.channel_id)
                rows.append(
                    {
                        "workspace_id": workspace.id,
                        "platform": Platform.TEAMS,
                        "member_id": member_id,
                        "target": target,
                        "ritual": "reply",
                        "dedupe_key": f"reply:{uuid.uuid4().hex}",
                        "payload": encode(message),
                        "budget_week": None,
                        "status": OutboxStatus.PENDING,
                        "attempts": 0,
                        "next_attempt_at": now,
                        "created_at": now,
                    }
                )
            await enqueue(session, rows)
        self.wake()


def offer(upload: Upload, *, in_chat: bool) -> Activity:
    """A file, offered with a consent card: Teams lets a bot share one only in a person's chat
    with it, and only once they accept."""
    if not in_chat:
        return card(_text_card(f"{upload.name} is ready: ask me in our personal chat for it."))
    if len(upload.data) > MAX_FILE_BYTES:
        return card(
            _text_card(
                f"{upload.name} is {len(upload.data) // 1000} KB, more than Teams lets me "
                "hand over in a chat. Ask your admin for it, or use the bot in Slack."
            )
        )
    consent = Attachment(
        content_type=FILE_CONSENT,
        name=upload.name,
        content={
            "description": f"{upload.name}, from kpi-coach",
            "sizeInBytes": len(upload.data),
            "acceptContext": {
                "name": upload.name,
                "mime": upload.mime,
                "data": base64.b64encode(upload.data).decode(),
            },
            "declineContext": {"name": upload.name},
        },
    )
    return Activity(type=ActivityTypes.message, attachments=[consent])


def _text_card(text: str) -> dict[str, object]:
    return render_message(say(text)).cards[0]
