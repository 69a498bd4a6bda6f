"""Whether the bot can post in a channel named by a person, on the workspace's platform.

Slack reaches any channel by its id (and joins a public one to post). Teams reaches a channel
only through the conversation reference kept from an activity in it (storage.teams_conversations):
a `#name` typed in a chat names nothing the bot can post to, so it is refused where it is set,
rather than every post failing in the outbox later.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Platform, TeamsConversation, Workspace


async def reachable(session: AsyncSession, workspace_id: int, channel: str) -> bool:
    platform = await session.scalar(select(Workspace.platform).where(Workspace.id == workspace_id))
    if platform is not Platform.TEAMS:
        return True
    found = await session.scalar(
        select(
            exists().where(
                TeamsConversation.workspace_id == workspace_id,
                TeamsConversation.key == channel,
                TeamsConversation.member_id.is_(None),
                TeamsConversation.unreachable.is_(None),
            )
        )
    )
    return bool(found)
