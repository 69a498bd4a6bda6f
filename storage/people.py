"""Queries about workspaces, members, teams and memberships. None of them commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, Membership, Platform, Role, Team, Workspace


async def ensure_workspace(
    session: AsyncSession, platform: Platform, external_id: str, name: str, now: datetime
) -> Workspace:
    """The workspace row for a platform's id, created on first contact."""
    found = await session.scalar(
        select(Workspace).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
    )
    if found is not None:
        return found
    workspace = Workspace(platform=platform, external_id=external_id, name=name, created_at=now)
    session.add(workspace)
    await session.flush()
    return workspace


@dataclass(frozen=True)
class NewMember:
    """What an edge knows about a person the first time it sees them."""

    platform_user_id: str
    display_name: str
    time_zone: str
    working_days: str


async def ensure_member(
    session: AsyncSession, workspace_id: int, person: NewMember, now: datetime
) -> Member:
    """The member row for a platform user, created on first contact; keeps known details."""
    found = await session.scalar(
        select(Member).where(
            Member.workspace_id == workspace_id,
            Member.platform_user_id == person.platform_user_id,
        )
    )
    if found is not None:
        return found
    member = Member(
        workspace_id=workspace_id,
        platform_user_id=person.platform_user_id,
        display_name=person.display_name,
        time_zone=person.time_zone,
        working_days=person.working_days,
        created_at=now,
    )
    session.add(member)
    await session.flush()
    return member


async def find_members(
    session: AsyncSession, workspace_id: int, *, platform_user_id: str | None, name: str | None
) -> Sequence[Member]:
    """Members matching a mention: by platform id if the edge resolved one, else by name."""
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


async def ensure_team(
    session: AsyncSession, workspace_id: int, name: str, time_zone: str, now: datetime
) -> Team:
    found = await session.scalar(
        select(Team).where(Team.workspace_id == workspace_id, Team.name == name)
    )
    if found is not None:
        return found
    team = Team(
        workspace_id=workspace_id, name=name, time_zone=time_zone, settings={}, created_at=now
    )
    session.add(team)
    await session.flush()
    return team


async def ensure_membership(
    session: AsyncSession, team: Team, member: Member, role: Role, now: datetime
) -> Membership:
    found = await session.scalar(
        select(Membership).where(Membership.team_id == team.id, Membership.member_id == member.id)
    )
    if found is not None:
        return found
    membership = Membership(
        workspace_id=team.workspace_id,
        team_id=team.id,
        member_id=member.id,
        role=role,
        created_at=now,
    )
    session.add(membership)
    await session.flush()
    return membership


async def team_ids_of(session: AsyncSession, workspace_id: int, member_id: int) -> list[int]:
    """The teams a member is on, in the order they joined."""
    rows = await session.scalars(
        select(Membership.team_id)
        .where(Membership.workspace_id == workspace_id, Membership.member_id == member_id)
        .order_by(Membership.id)
    )
    return list(rows)


async def shares_team_as(
    session: AsyncSession, workspace_id: int, actor_id: int, member_id: int, roles: set[Role]
) -> bool:
    """Whether the actor holds one of the roles on a team the member belongs to."""
    mine = (
        select(Membership.team_id)
        .where(
            Membership.workspace_id == workspace_id,
            Membership.member_id == actor_id,
            Membership.role.in_(roles),
        )
        .scalar_subquery()
    )
    found = await session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.workspace_id == workspace_id,
            Membership.member_id == member_id,
            Membership.team_id.in_(mine),
        )
    )
    return bool(found)


async def leads_of(session: AsyncSession, workspace_id: int, member_id: int) -> Sequence[Member]:
    """Who may act as this member's lead: leads and admins of any team the member is on."""
    teams = (
        select(Membership.team_id)
        .where(Membership.workspace_id == workspace_id, Membership.member_id == member_id)
        .scalar_subquery()
    )
    query = (
        select(Member)
        .join(Membership, Membership.member_id == Member.id)
        .where(
            Membership.workspace_id == workspace_id,
            Membership.team_id.in_(teams),
            Membership.role.in_({Role.LEAD, Role.ADMIN}),
        )
        .distinct()
        .order_by(Member.id)
    )
    return (await session.scalars(query)).all()
