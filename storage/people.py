"""Queries about workspaces and their members. None commit; teams are in storage.teams."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, bindparam, delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import upsert
from storage.models import JoinRequest, Member, Membership, Platform, Workspace

WORKSPACES: Table = Workspace.__table__  # type: ignore[assignment]
MEMBERS: Table = Member.__table__  # type: ignore[assignment]


async def ensure_workspace(
    session: AsyncSession, platform: Platform, external_id: str, name: str, now: datetime
) -> Workspace:
    """The workspace row for a platform's id, created on first contact."""
    found = await find_workspace(session, platform, external_id)
    if found is not None:
        return found
    # Several first requests at once: one inserts, the others find its row (see _created).
    values = {"platform": platform, "external_id": external_id, "name": name, "created_at": now}
    await _created(session, WORKSPACES, ["platform", "external_id"], values)
    workspace = await find_workspace(session, platform, external_id)
    assert workspace is not None
    return workspace


async def _created(
    session: AsyncSession, table: Table, unique: list[str], values: dict[str, object]
) -> None:
    """Insert the row unless its unique key exists, committed by a request that raced this
    one: waiting for that request (PostgreSQL) or the write lock (SQLite) instead of failing
    with an IntegrityError the request would have to be tried again for."""
    await session.execute(
        upsert(session, table).values(values).on_conflict_do_nothing(index_elements=unique)
    )


async def find_workspace(
    session: AsyncSession, platform: Platform, external_id: str
) -> Workspace | None:
    return await session.scalar(
        select(Workspace).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
    )


@dataclass(frozen=True)
class NewMember:
    """What an edge knows about a person the first time it sees them, and after.

    `name_known` is False when the platform gave no name (the edge put a stand-in such as
    "someone"); `time_zone_default` is the zone a person has until they or their client say
    otherwise, or None when the edge read no zone from the platform this time.
    """

    platform_user_id: str
    display_name: str
    time_zone: str
    working_days: str
    name_known: bool = True
    time_zone_default: str | None = None
    # Working hours a newcomer starts with: app.yaml's `people.work_hours`, until `me set`.
    work_hours: tuple[str, str] | None = None


async def ensure_member(
    session: AsyncSession, workspace_id: int, person: NewMember, now: datetime
) -> Member:
    """The member row for a platform user, created on first contact.

    The first person a workspace ever has is the one who installed the app, and so its first
    admin. Someone who left and comes back is active again.
    """
    found = await member_by_platform_id(session, workspace_id, person.platform_user_id)
    if found is not None:
        return refresh(found, person)
    first = not await session.scalar(select(exists().where(Member.workspace_id == workspace_id)))
    values = {
        "workspace_id": workspace_id,
        "platform_user_id": person.platform_user_id,
        "display_name": person.display_name,
        "time_zone": person.time_zone,
        "working_days": person.working_days,
        "is_admin": first,
        "created_at": now,
    }
    if person.work_hours is not None:
        values["work_start"], values["work_end"] = person.work_hours
    await _created(session, MEMBERS, ["workspace_id", "platform_user_id"], values)
    member = await member_by_platform_id(session, workspace_id, person.platform_user_id)
    assert member is not None
    return refresh(member, person)


# Built once: it runs on every request, and building it cost more than running it on SQLite.
SPEAKING = (
    select(Member)
    .join(Workspace, Workspace.id == Member.workspace_id)
    .where(
        Workspace.platform == bindparam("platform"),
        Workspace.external_id == bindparam("external_id"),
        Member.platform_user_id == bindparam("user"),
    )
)


async def speaking_member(
    session: AsyncSession,
    platform: Platform,
    external_id: str,
    workspace_name: str,
    person: NewMember,
    now: datetime,
) -> Member:
    """The member a request comes from, made on first contact (with their workspace).

    Every request but a person's first finds them with their workspace in one query, and
    writes nothing unless the platform tells us something new of them: a command that only
    reads stays a read (on SQLite, it never takes the write lock). Nothing is cached between
    requests, so another replica's change (a name, a person who left) is seen at once.
    """
    found = await session.scalar(
        SPEAKING,
        {"platform": platform, "external_id": external_id, "user": person.platform_user_id},
    )
    if found is not None:
        return refresh(found, person)
    workspace = await ensure_workspace(session, platform, external_id, workspace_name, now)
    return await ensure_member(session, workspace.id, person, now)


def refresh(member: Member, person: NewMember) -> Member:
    """Someone who left and speaks again is back. What the platform says of a person now wins
    over a stand-in kept from before: an install may carry no name, so "someone" would
    otherwise stay in every card for ever. A time zone the client reports replaces only the
    default; one set with `me set` stays. Only a change is written."""
    if not member.is_active:
        member.is_active = True
    if person.name_known and person.display_name and member.display_name != person.display_name:
        member.display_name = person.display_name
    default = person.time_zone_default
    if default and member.time_zone == default and person.time_zone != default:
        member.time_zone = person.time_zone
    return member


async def member_by_platform_id(
    session: AsyncSession, workspace_id: int, platform_user_id: str
) -> Member | None:
    return await session.scalar(
        select(Member).where(
            Member.workspace_id == workspace_id, Member.platform_user_id == platform_user_id
        )
    )


async def members_by_platform_ids(
    session: AsyncSession, workspace_id: int, platform_user_ids: Collection[str]
) -> dict[str, Member]:
    """Active members of one workspace by platform id; ids from elsewhere find nobody."""
    if not platform_user_ids:
        return {}
    query = select(Member).where(
        Member.workspace_id == workspace_id,
        Member.is_active,
        Member.platform_user_id.in_(list(platform_user_ids)),
    )
    return {m.platform_user_id: m for m in (await session.scalars(query)).all()}


async def find_members(
    session: AsyncSession, workspace_id: int, *, platform_user_id: str | None, name: str | None
) -> Sequence[Member]:
    """Active members matching a mention: by platform id if the edge resolved one, else name."""
    query = select(Member).where(Member.workspace_id == workspace_id, Member.is_active)
    if platform_user_id is not None:
        query = query.where(Member.platform_user_id == platform_user_id)
    elif name is not None:
        lowered = name.lower()
        query = query.where(
            (func.lower(Member.platform_user_id) == lowered)
            | (func.lower(Member.display_name) == lowered)
        )
    else:
        return []
    return (await session.scalars(query.order_by(Member.id))).all()


async def known_people(
    session: AsyncSession, workspace_id: int, limit: int
) -> list[tuple[str, str]]:
    """Up to `limit` active members' (platform id, name), by name: the people a form can offer
    to pick from, bounded so a large workspace never lists everyone."""
    query = (
        select(Member.platform_user_id, Member.display_name)
        .where(Member.workspace_id == workspace_id, Member.is_active)
        .order_by(func.lower(Member.display_name), Member.id)
        .limit(limit)
    )
    return [(str(uid), str(name)) for uid, name in (await session.execute(query)).all()]


async def ensure_an_admin(session: AsyncSession, workspace_id: int) -> Member | None:
    """Keep a workspace with active people from being left without an active admin.

    When the last admin leaves or is forgotten, the longest-standing active member takes over;
    returns them, or None when nothing changed.
    """
    if await session.scalar(
        select(
            exists().where(Member.workspace_id == workspace_id, Member.is_admin, Member.is_active)
        )
    ):
        return None
    heir = await session.scalar(
        select(Member)
        .where(Member.workspace_id == workspace_id, Member.is_active)
        .order_by(Member.id)
        .limit(1)
    )
    if heir is not None:
        heir.is_admin = True
        await session.flush()
    return heir


async def drop_seats(session: AsyncSession, workspace_id: int, member_id: int) -> None:
    """Take someone off every team and withdraw their requests to join."""
    for model in (Membership, JoinRequest):
        await session.execute(
            delete(model).where(model.workspace_id == workspace_id, model.member_id == member_id)
        )


async def admins(session: AsyncSession, workspace_id: int) -> Sequence[Member]:
    query = select(Member).where(
        Member.workspace_id == workspace_id, Member.is_admin, Member.is_active
    )
    return (await session.scalars(query.order_by(Member.id))).all()
