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
from bot.teams.people import tenant_of
from bot.teams.send import ConversationPace, with_retries
from rituals.messages import Audience, Form, Message, Outgoing, say
from storage.models import OutboxStatus, Platform
from storage.outbox import enqueue
from storage.people import find_workspace, member_by_platform_id

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
# A file rides inside its consent card until accepted; Teams refuses messages over 100 KB.
MAX_FILE_BYTES = 60_000


def card(content: dict[str, object]) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=content)],
    )


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

    async def deliver(self, turn: TurnContext, replies: Sequence[Outgoing], asker: str) -> None:
        later: list[Message] = []
        for reply in replies:
            if isinstance(reply, Form):
                await self.send(turn, [card(render_form(reply))])
            elif self._elsewhere(turn, reply, asker):
                later.append(reply)
            else:
                await self._here(turn, reply)
        if later:
            await self._queue(turn, later)

    def _elsewhere(self, turn: TurnContext, message: Message, asker: str) -> bool:
        personal = turn.activity.conversation.conversation_type == "personal"
        if message.audience is Audience.DM and message.to is not None:
            return not (personal and message.to.platform_user_id == asker)
        if message.audience is Audience.CHANNEL and message.channel_id:
            return message.channel_id != conversation_key(turn)
        return False

    async def _here(self, turn: TurnContext, message: Message) -> None:
        rendered = render_message(message)
        activities = [card(c) for c in rendered.cards]
        for upload in rendered.uploads:
            activities.append(self._offer(turn, upload))
        await self.send(turn, activities)

    def _offer(self, turn: TurnContext, upload: Upload) -> Activity:
        if turn.activity.conversation.conversation_type != "personal":
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


def _text_card(text: str) -> dict[str, object]:
    return render_message(say(text)).cards[0]
