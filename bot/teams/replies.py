"""Putting a turn's replies where they belong in Teams.

Answers go back into the conversation the person wrote in (Teams has no ephemeral messages; in
a channel the answer lands in the thread of their message). Forms are cards with inputs.
Messages to anyone else never get here: the dispatcher queued them in the outbox. An answer
meant for the asker alone, asked in a channel, goes to their chat with the bot through the
outbox too, since it needs a conversation reference, pacing and retries. Files are offered
with a file consent card in the personal chat, which is how Teams lets a bot share one.
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from functools import partial

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import REPLY
from bot.payload import stored
from bot.sender import Result, Sent
from bot.teams.cards import CARD_CONTENT_TYPE, Upload, render_message
from bot.teams.forms import CHOICES, Known, render_form
from bot.teams.pace import ConversationPace
from bot.teams.people import GROUPS, tenant_of
from bot.teams.send import judge, with_retries
from rituals.core.messages import (
    Audience,
    FieldKind,
    Form,
    Mention,
    Message,
    Outgoing,
    say,
)
from storage.models import Platform
from storage.outbox import OutboxRow, enqueue, recipients
from storage.people import find_workspace, known_people

log = logging.getLogger(__name__)

# Sends an activity into a person's chat with the bot now: (tenant, their AAD id, activity).
ToChat = Callable[[str, str, Activity], Awaitable[Result]]

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
# A file rides inside its consent card until accepted, as base64 (a third larger): the card
# stays near 60 KB, well under the 100 KB Teams refuses.
MAX_FILE_BYTES = 45_000
CHAT_NOTE = "I answered you in our chat with me; I'll keep doing that without saying so here."
MAX_TOLD = 100_000  # people remembered as told; past that, some hear the note once more
# The longest an answer waits for room inside its request: Teams' one-second window.
IN_REQUEST_SECONDS = 1.0


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
        to_chat: ToChat | None = None,
    ) -> None:
        self.sessions = sessions
        self.to_chat = to_chat
        self.pace = pace
        self.now = now
        self.wake = wake
        # Who has been told, in a channel, where their private answers go (this process).
        self._told: set[tuple[str, str]] = set()

    def _first_note(self, turn: TurnContext, asker: Mention) -> bool:
        """Whether a channel should say, this once, that the asker's answer is in their chat:
        said each time, it is noise in front of everyone; said once, they know where to look."""
        key = (tenant_of(turn.activity), asker.platform_user_id)
        if key in self._told:
            return False
        if len(self._told) >= MAX_TOLD:
            self._told.clear()
        self._told.add(key)
        return True

    async def deliver(
        self,
        turn: TurnContext,
        replies: Sequence[Outgoing],
        asker: Mention,
        *,
        forms_to_chat: bool = False,
    ) -> None:
        """The asker's answers; in a channel, those for them alone are queued for their chat.

        With `forms_to_chat` (a button pressed on a channel's card), a form goes to their chat
        too, where the button's other answers go: "Question it" and "Back it" on a vote card
        both answer privately, so no one's vote is shown. A form the chat cannot take (the
        person never opened one with the bot) stays in the thread, so it is not lost.
        """
        private = [m for m in replies if isinstance(m, Message) and self._to_chat(turn, m)]
        if private:
            chat = asker.platform_user_id
            await self._enqueue(
                turn, [(chat, Message(m.blocks, Audience.DM, to=asker), None) for m in private]
            )
        moved: set[int] = set()
        if forms_to_chat and in_group(turn) and self.to_chat is not None:
            for reply in replies:
                if isinstance(reply, Form) and await self._form_to_chat(turn, reply, asker):
                    moved.add(id(reply))
        went_private = moved or any(self._private(turn, reply) for reply in replies)
        if went_private and self._first_note(turn, asker):
            await self.send(turn, [card(_text_card(CHAT_NOTE))])
        # Once one answer here waits for the outbox, the rest follow it there, in order: one
        # that fit at once would otherwise overtake it.
        later: list[Message] = []
        for reply in replies:
            if isinstance(reply, Form):
                if id(reply) not in moved:
                    known = await self._known(turn, reply)
                    await self.send(turn, [card(render_form(reply, known))])
            elif not self._to_chat(turn, reply) and (later or not await self._here(turn, reply)):
                later.append(reply)
        if later:
            await self._later(turn, later, asker)

    async def _form_to_chat(self, turn: TurnContext, form: Form, asker: Mention) -> bool:
        """The form sent into the asker's chat with the bot now; whether it got there."""
        assert self.to_chat is not None
        shown = card(render_form(form, await self._known(turn, form)))
        result = await self.to_chat(tenant_of(turn.activity), asker.platform_user_id, shown)
        if not isinstance(result, Sent):
            log.info(
                "teams: a form for %s stays in the channel: %s", asker.platform_user_id, result
            )
        return isinstance(result, Sent)

    async def _known(self, turn: TurnContext, form: Form) -> list[Known]:
        """The people a form's person fields offer, one more than a card lists, so the form
        knows when there are too many to list; none asked for when it has no such field."""
        if not any(f.kind in (FieldKind.PERSON, FieldKind.PEOPLE) for f in form.fields):
            return []
        async with self.sessions() as session:
            workspace = await find_workspace(session, Platform.TEAMS, tenant_of(turn.activity))
            if workspace is None:
                return []
            return await known_people(session, workspace.id, CHOICES + 1)

    def _to_chat(self, turn: TurnContext, message: Message) -> bool:
        """Teams has no ephemeral messages: in a channel, an answer meant for the asker alone
        (or a DM to them) goes to their chat with the bot rather than in front of the channel."""
        return in_group(turn) and message.audience in (Audience.EPHEMERAL, Audience.DM)

    def _private(self, turn: TurnContext, reply: Outgoing) -> bool:
        return (
            isinstance(reply, Message) and reply.audience is Audience.EPHEMERAL and in_group(turn)
        )

    async def _here(self, turn: TurnContext, message: Message) -> bool:
        """An answer into the turn's conversation now, if Teams' limits leave room for it within
        a second; False, and nothing sent, if not: the outbox's worker sends it when there is
        room, so a request never waits out the half minute (a burst into one chat held every
        request behind it, up to 23 s in bench/teams.py --burst)."""
        rendered = render_message(message)
        activities = [card(c, rendered.text) for c in rendered.cards]
        activities += [offer(upload, in_chat=not in_group(turn)) for upload in rendered.uploads]
        slots = self.pace.book(conversation_key(turn), len(activities), IN_REQUEST_SECONDS)
        if slots is None:
            return False
        for activity, slot in zip(activities, slots, strict=True):
            await self.pace.until(slot)
            await with_retries(partial(turn.send_activity, activity))
        return True

    async def _later(self, turn: TurnContext, messages: list[Message], asker: Mention) -> None:
        """Into the same conversation by the outbox, in one insert, so the rows are due
        together and numbered in order (the worker sends a target's rows in that order): a
        person's chat is kept under their id, a channel under its own, and each row names the
        thread the question was asked in."""
        if in_group(turn):
            _, _, thread = str(turn.activity.conversation.id).partition(";messageid=")
            target, where = conversation_key(turn), thread or None
        else:
            target, where = asker.platform_user_id, None
        await self._enqueue(turn, [(target, message, where) for message in messages])

    async def replace(self, turn: TurnContext, activity_id: str, message: Message) -> None:
        """Put `message` in place of a card already sent (a form that did its work). A client
        that cannot update it keeps the old card; the answer still follows, so nothing is lost."""
        shown = card(render_message(message).cards[0], message.text)
        shown.id = activity_id
        await self.pace.wait(conversation_key(turn))
        try:
            await with_retries(partial(turn.update_activity, shown))
        except Exception as exc:
            if judge(exc) is None:
                raise
            log.info("teams: could not replace card %s: %s", activity_id, exc)

    async def send(self, turn: TurnContext, activities: Sequence[Activity]) -> None:
        """Into the turn's conversation, paced and retried one activity at a time."""
        key = conversation_key(turn)
        for activity in activities:
            await self.pace.wait(key)
            await with_retries(partial(turn.send_activity, activity))

    async def _enqueue(
        self, turn: TurnContext, messages: Sequence[tuple[str, Message, str | None]]
    ) -> None:
        """(target, message, thread) rows for the worker, due now; it is woken to send them."""
        now = self.now()
        async with self.sessions() as session, session.begin():
            workspace = await find_workspace(session, Platform.TEAMS, tenant_of(turn.activity))
            if workspace is None:
                raise LookupError("a reply to queue from a tenant the store does not know")
            members = await recipients(session, workspace.id, {t for t, _, _ in messages})
            rows = [
                OutboxRow(
                    workspace.id,
                    Platform.TEAMS,
                    target,
                    REPLY,
                    f"{REPLY}:{uuid.uuid4().hex}",
                    stored(message, thread),
                    now,
                    member_id=members.get(target),
                )
                for target, message, thread in messages
            ]
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
