"""Where the bot can write first in Teams: kept from each activity, read by the outbox worker.

An upsert on (workspace, key) so that every message, install and mention keeps the reference
fresh (Teams may move a tenant to another service URL) without a read first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import upsert
from storage.models import Platform, TeamsConversation, Workspace

CONVERSATIONS: Table = TeamsConversation.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Reference:
    """What the bot needs to reach one person or channel."""

    key: str
    service_url: str
    bot_id: str
    user_id: str | None = None
    conversation_id: str | None = None
    member_id: int | None = None
    name: str | None = None  # a channel's, when the activity named it


async def remember(
    session: AsyncSession, workspace_id: int, ref: Reference, now: datetime, *, spoke: bool
) -> None:
    """Keep a reference. `spoke`: the conversation itself just reached the bot, so whatever
    made it unreachable (a block, the bot leaving) is over. A person only mentioned elsewhere
    leaves a known chat and its state alone."""
    stmt = upsert(session, CONVERSATIONS).values(
        workspace_id=workspace_id,
        key=ref.key,
        member_id=ref.member_id,
        service_url=ref.service_url,
        bot_id=ref.bot_id,
        user_id=ref.user_id,
        conversation_id=ref.conversation_id,
        name=ref.name,
        unreachable=None,
        updated_at=now,
    )
    new = stmt.excluded
    values: dict[str, object] = {
        "service_url": new.service_url,
        "bot_id": new.bot_id,
        "user_id": func.coalesce(new.user_id, CONVERSATIONS.c.user_id),
        "member_id": func.coalesce(new.member_id, CONVERSATIONS.c.member_id),
        "conversation_id": func.coalesce(new.conversation_id, CONVERSATIONS.c.conversation_id),
        # Renamed in Teams: the next activity that names it says so; one that does not keeps it.
        "name": func.coalesce(new.name, CONVERSATIONS.c.name),
        "updated_at": new.updated_at,
    }
    if spoke:
        values["unreachable"] = None
    await session.execute(
        stmt.on_conflict_do_update(index_elements=["workspace_id", "key"], set_=values)
    )


async def kept(
    session: AsyncSession, workspace_id: int, refs: Sequence[tuple[Reference, bool]]
) -> bool:
    """Whether `remember` would change nothing for these (reference, spoke) pairs: each is
    stored as it is (what it does not say left aside) and, for a conversation that spoke,
    reachable. Then there is no write lock to take; one another replica marked unreachable
    is written again."""
    c = CONVERSATIONS.c
    found = await session.execute(
        select(c.key, c.service_url, c.bot_id, c.user_id, c.conversation_id, c.member_id, c.name)
        .add_columns(c.unreachable)
        .where(c.workspace_id == workspace_id, c.key.in_([ref.key for ref, _ in refs]))
    )  # a few keys: one activity's
    by_key = {row.key: row for row in found}
    return all(
        (row := by_key.get(ref.key)) is not None
        and (row.service_url, row.bot_id) == (ref.service_url, ref.bot_id)
        and ref.user_id in (None, row.user_id)
        and ref.conversation_id in (None, row.conversation_id)
        and ref.member_id in (None, row.member_id)
        and ref.name in (None, row.name)
        and not (spoke and row.unreachable)
        for ref, spoke in refs
    )


async def find(session: AsyncSession, tenant: str, key: str) -> TeamsConversation | None:
    """The reference for a person's AAD object id or a channel id, in a tenant."""
    return await session.scalar(
        select(TeamsConversation)
        .join(Workspace, Workspace.id == TeamsConversation.workspace_id)
        .where(
            Workspace.platform == Platform.TEAMS,
            Workspace.external_id == tenant,
            TeamsConversation.key == key,
        )
    )


async def opened(session: AsyncSession, row_id: int, conversation_id: str, now: datetime) -> None:
    """The chat the bot just created with a person, for every later message to them."""
    await session.execute(
        update(TeamsConversation)
        .where(TeamsConversation.id == row_id)
        .values(conversation_id=conversation_id, updated_at=now)
    )


async def unreachable(session: AsyncSession, row_id: int, reason: str, now: datetime) -> None:
    await session.execute(
        update(TeamsConversation)
        .where(TeamsConversation.id == row_id)
        .values(unreachable=reason[:200], updated_at=now)
    )
