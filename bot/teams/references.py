"""Where each Teams conversation, and each person in it, can be reached later.

Teams lets a bot write first only into a conversation it holds a reference to (service URL,
bot id, conversation id), and it learns those only from activities. So every activity is
read for references: the conversation that spoke, its sender, and anyone mentioned in it.
"""

from __future__ import annotations

import dataclasses

from botbuilder.core import TurnContext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import Identity, new_member
from bot.teams.people import Said, channel_name_of
from rituals.core.context import Clock
from storage import teams_conversations as conversations
from storage.people import ensure_member, ensure_workspace

# The longest outbox target (storage.models.Outbox.target): longer group chat ids are not kept.
KEY_LENGTH = 64

# A reference, whether the conversation itself spoke, and the person to make a member of.
Seen = tuple[conversations.Reference, bool, Identity | None]
# Workspace and member ids remembered; past this many the memo starts over.
MAX_IDS = 100_000


class References:
    """Keeps references fresh, writing people seen in passing once per process."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        work_hours: tuple[str, str] | None = None,
    ) -> None:
        self.work_hours = work_hours
        self.sessions = sessions
        self.clock = clock
        # People seen in passing (mentioned, or writing in a channel), already stored.
        self._remembered: set[tuple[str, str, str | None, str]] = set()
        # Row ids that never change once made: a tenant's workspace, a person's member row.
        # Whoever speaks is made active and renamed by the dispatcher in its own transaction,
        # so a known speaker's reference costs one read here, not three statements and a write.
        self._ids: dict[tuple[str, ...], int] = {}

    async def remember(self, turn: TurnContext, who: Identity, said: Said | None = None) -> None:
        """Keep where this conversation, and each person in it, can be reached later.

        A conversation that spoke is read every time and written when it changed: that
        clears an "unreachable" another replica may have set. People seen in passing (writing
        in a channel, mentioned) are written once per process: their Teams id, to open a chat
        with them later.
        """
        fresh = [s for s in _seen(turn, who, said) if s[1] or _memo(s[0]) not in self._remembered]
        if not fresh or await self._kept(who, fresh):
            return
        try:
            await self._keep(who, fresh)
        except IntegrityError:
            # Two first activities from one new person or tenant (an install sends two at once)
            # racing to create the same rows: the loser finds them on its second try.
            await self._keep(who, fresh)
        self._remembered.update(_memo(s[0]) for s in fresh if not s[1])

    async def _kept(self, who: Identity, fresh: list[Seen]) -> bool:
        """Whether the store already holds all of `fresh` as it is: a read, which takes no
        write lock, instead of a write per message. Known only for rows this process made or
        met (their ids remembered); anything else is written."""
        workspace_id = self._ids.get((who.workspace_external_id,))
        refs = []
        for ref, spoke, person in fresh:
            if person is not None:
                member_id = self._ids.get((who.workspace_external_id, person.user_id))
                if member_id is None:
                    return False
                ref = dataclasses.replace(ref, member_id=member_id)
            refs.append((ref, spoke))
        if workspace_id is None:
            return False
        async with self.sessions() as session:
            return await conversations.kept(session, workspace_id, refs)

    async def _keep(self, who: Identity, fresh: list[Seen]) -> None:
        now = self.clock.now()
        found: dict[tuple[str, ...], int] = {}  # remembered once the transaction commits
        async with self.sessions() as session, session.begin():
            tenant = (who.workspace_external_id,)
            workspace_id = self._ids.get(tenant)
            if workspace_id is None:
                workspace = await ensure_workspace(
                    session, who.platform, who.workspace_external_id, who.workspace_name, now
                )
                workspace_id = found[tenant] = workspace.id
            for ref, spoke, person in fresh:
                if person is not None:
                    key = (who.workspace_external_id, person.user_id)
                    member_id = self._ids.get(key)
                    if member_id is None:
                        member = await ensure_member(
                            session, workspace_id, new_member(person, self.work_hours), now
                        )
                        member_id = found[key] = member.id
                    ref = dataclasses.replace(ref, member_id=member_id)
                await conversations.remember(session, workspace_id, ref, now, spoke=spoke)
        if len(self._ids) + len(found) > MAX_IDS:
            self._ids.clear()
        self._ids.update(found)

    async def forget(self, who: Identity, why: str) -> None:
        """Stop writing where `who` spoke from, until they speak there again."""
        key = who.channel_id or who.user_id
        async with self.sessions() as session, session.begin():
            row = await conversations.find(session, who.workspace_external_id, key)
            if row is not None:
                await conversations.unreachable(session, row.id, why, self.clock.now())


def _seen(turn: TurnContext, who: Identity, said: Said | None) -> list[Seen]:
    """Every reference this activity shows: a personal chat, or a channel and its sender,
    and each person mentioned (reachable through the same service, by their Teams id)."""
    activity = turn.activity
    conversation = str(activity.conversation.id).split(";", 1)[0]
    place = (str(activity.service_url), str(activity.recipient.id))
    seen: list[Seen] = []
    if who.channel_id is None:
        sender = str(activity.from_property.id)
        seen.append((conversations.Reference(who.user_id, *place, sender, conversation), True, who))
    else:
        if len(conversation) <= KEY_LENGTH:
            channel = conversations.Reference(
                conversation, *place, None, conversation, name=channel_name_of(activity)
            )
            seen.append((channel, True, None))
        sender = str(activity.from_property.id)
        seen.append((conversations.Reference(who.user_id, *place, sender), False, who))
    for named in said.mentioned if said else ():
        teams_id = said.teams_ids[named.user_id] if said else None
        seen.append((conversations.Reference(named.user_id, *place, teams_id), False, named))
    return seen


def _memo(ref: conversations.Reference) -> tuple[str, str, str | None, str]:
    return (ref.service_url, ref.key, ref.conversation_id, ref.user_id or "")
