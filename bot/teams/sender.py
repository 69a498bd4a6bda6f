"""The outbox's way into Teams: continue a stored conversation, or open a chat, and send.

A person the bot has only seen mentioned gets a chat opened with their Teams id (Teams allows
it once the app is installed for them); the new conversation is kept for every later message.
A 403 means the person blocked the bot or it was removed: the conversation is marked
unreachable, so nothing more is attempted until it speaks to the bot again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.loopback import local_service_url
from bot.payload import decode, thread_of
from bot.sender import Failed, Later, Result, Retry, Sent
from bot.teams.cards import render_message
from bot.teams.pace import ConversationPace
from bot.teams.replies import card, offer
from bot.teams.send import judge
from rituals.core.context import Clock
from storage import teams_conversations as conversations
from storage.models import TeamsConversation
from storage.outbox import Claimed

# A worker's send may wait out Teams' one-second window, as a request's may; a longer wait
# (the half minute or the hour is full) sends the row later instead of holding a send slot.
WAIT_AT_MOST = 1.0
NEVER_MET = (
    "Teams has given the bot no way to reach them yet: they need to install the app or "
    "message the bot once"
)


class TeamsSender:
    def __init__(
        self,
        adapter: CloudAdapter,
        app_id: str,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        pace: ConversationPace,
    ) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self.sessions = sessions
        self.clock = clock
        self.pace = pace

    async def send(self, item: Claimed) -> Result:
        rendered = render_message(decode(item.payload))

        def activities(in_chat: bool) -> list[Activity]:
            cards = [card(c, rendered.text) for c in rendered.cards]
            return cards + [offer(upload, in_chat=in_chat) for upload in rendered.uploads]

        return await self.send_to(item.workspace, item.target, activities, thread_of(item.payload))

    async def send_to(
        self,
        tenant: str,
        target: str,
        activities: Callable[[bool], list[Activity]],
        thread: str | None = None,
    ) -> Result:
        """`activities(in_chat)` into the conversation kept for `target` (a person's AAD id or
        a channel's id): in_chat says whether it is a person's chat, which alone takes a file."""
        async with self.sessions() as session:
            row = await conversations.find(session, tenant, target)
        if row is None:
            return Failed(NEVER_MET)
        if row.unreachable:
            return Failed(row.unreachable)
        if not self.app_id and not local_service_url(row.service_url):
            # Checked again at every send: a reference stored before the rule, or by hand,
            # must not make this machine a relay to anywhere.
            return Failed(f"without MicrosoftAppId, not sent to {row.service_url[:120]!r}")
        sending = activities(row.user_id is not None)
        try:
            if row.conversation_id is None:
                if row.user_id is None:
                    return Failed(NEVER_MET)
                await self._open(row, tenant, sending)
            else:
                # A reply in a channel's thread is a conversation of its own to Teams.
                conversation = row.conversation_id + (f";messageid={thread}" if thread else "")
                wait = self.pace.room_in(conversation, len(sending), WAIT_AT_MOST)
                if wait > 0:
                    return Later(wait, f"Teams' limit for this conversation: {wait:.0f} s")
                await self._continue(row, conversation, tenant, sending)
        except Exception as exc:
            return await self._refused(row, exc)
        return Sent()

    async def delivered(self, item: Claimed) -> bool | None:
        """Teams offers a bot no history to read back: a row in doubt is sent again."""
        return None

    async def _continue(
        self, row: TeamsConversation, conversation_id: str, tenant: str, activities: list[Activity]
    ) -> None:
        reference = ConversationReference(
            channel_id="msteams",
            service_url=row.service_url,
            bot=ChannelAccount(id=row.bot_id),
            user=ChannelAccount(id=row.user_id) if row.user_id else None,
            conversation=ConversationAccount(id=conversation_id, tenant_id=tenant),
        )
        await self.adapter.continue_conversation(
            reference, _sending(self.pace, conversation_id, activities), self.app_id
        )

    async def _open(self, row: TeamsConversation, tenant: str, activities: list[Activity]) -> None:
        """A new one-to-one chat with the person; sends into it, and keeps it."""
        parameters = ConversationParameters(
            is_group=False,
            bot=ChannelAccount(id=row.bot_id),
            members=[ChannelAccount(id=row.user_id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        opened: list[str] = []

        async def first(turn: TurnContext) -> None:
            conversation_id = str(turn.activity.conversation.id)
            opened.append(conversation_id)
            await _sending(self.pace, conversation_id, activities)(turn)

        await self.adapter.create_conversation(
            self.app_id, first, parameters, "msteams", row.service_url
        )
        if opened:
            async with self.sessions() as session, session.begin():
                await conversations.opened(session, row.id, opened[0], self.clock.now())

    async def _refused(self, row: TeamsConversation, exc: Exception) -> Result:
        refusal = judge(exc)
        if refusal is None:
            raise exc
        if refusal.blocked:
            async with self.sessions() as session, session.begin():
                await conversations.unreachable(session, row.id, refusal.reason, self.clock.now())
        if not refusal.retry:
            return Failed(refusal.reason)
        if refusal.status == 429:
            return Retry("Teams is rate limiting this conversation", after=refusal.after or 2.0)
        return Retry(refusal.reason)


def _sending(
    pace: ConversationPace, conversation_id: str, activities: Sequence[Activity]
) -> Callable[[TurnContext], Awaitable[None]]:
    """The turn callback that posts each activity as a new message in the conversation.

    `turn.send_activity` would make it a reply to the made-up activity that starts a proactive
    turn. A failure propagates: the adapter's error handler passes a proactive turn's
    exception back out, so it reaches the outbox worker as a result.
    """

    async def send(turn: TurnContext) -> None:
        connector = turn.turn_state[BotAdapter.BOT_CONNECTOR_CLIENT_KEY]
        reference = TurnContext.get_conversation_reference(turn.activity)
        for activity in activities:
            TurnContext.apply_conversation_reference(activity, reference)
            activity.reply_to_id = None
            await pace.wait(conversation_id)
            await connector.conversations.send_to_conversation(conversation_id, activity)

    return send
