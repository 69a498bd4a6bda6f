"""Whether the bot can post in a channel named by a person, on the workspace's platform, and
what to call a channel when it is shown.

Slack reaches any channel by its id (and joins a public one to post). Teams reaches a channel
only through the conversation reference kept from an activity in it (storage.teams_conversations):
a `#name` typed in a chat names nothing the bot can post to unless the bot has heard from a
channel of that name, so it is refused where it is set, rather than every post failing in the
outbox later. Teams ids ("19:...@thread.tacv2") mean nothing to a person: a channel is shown by
the name Teams gave with its activities.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Platform, TeamsConversation, Workspace


def _channels(workspace_id: int) -> Select[str]:
    return select(TeamsConversation.key).where(
        TeamsConversation.workspace_id == workspace_id,
        TeamsConversation.member_id.is_(None),
        TeamsConversation.unreachable.is_(None),
    )


async def reachable_as(session: AsyncSession, workspace_id: int, channel: str) -> str | None:
    """The id to post to for `channel` (an id, or on Teams the name of a channel the bot has
    heard from), or None when the bot cannot post there."""
    platform = await session.scalar(select(Workspace.platform).where(Workspace.id == workspace_id))
    if platform is not Platform.TEAMS:
        return channel
    found = await session.scalars(
        _channels(workspace_id)
        .where(
            or_(
                TeamsConversation.key == channel,
                func.lower(TeamsConversation.name) == channel.lower(),
            )
        )
        .order_by(TeamsConversation.key != channel, TeamsConversation.id)
        .limit(2)
    )
    keys = list(found.all())
    # Two channels of one name in two teams: which one is meant, only an id (or `here`) says.
    if len(keys) == 2 and channel not in keys:
        return None
    return keys[0] if keys else None


async def channel_names(
    session: AsyncSession, workspace_id: int, channel_ids: Collection[str]
) -> dict[str, str | None]:
    """On Teams, each channel's name by id (None when none is known yet): its id is for the
    bot alone. Empty elsewhere, where a channel's id is what a person types and sees."""
    platform = await session.scalar(select(Workspace.platform).where(Workspace.id == workspace_id))
    if platform is not Platform.TEAMS or not channel_ids:
        return {}
    found = await session.execute(
        select(TeamsConversation.key, TeamsConversation.name).where(
            TeamsConversation.workspace_id == workspace_id,
            TeamsConversation.member_id.is_(None),
            TeamsConversation.key.in_(list(channel_ids)),
        )
    )
    known = {str(key): name for key, name in found.all()}
    return {c: known.get(c) for c in channel_ids}
