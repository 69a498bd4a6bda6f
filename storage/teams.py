"""Queries about teams, the seats people hold on them, and requests to join them. None commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JoinRequest, Member, Membership, Role, Team


async def ensure_team(
    session: AsyncSession, workspace_id: int, name: str, time_zone: str, now: datetime
) -> Team:
    found = await team_named(session, workspace_id, name)
    if found is not None:
        return found
    team = Team(
        workspace_id=workspace_id, name=name, time_zone=time_zone, settings={}, created_at=now
    )
    session.add(team)
    await session.flush()
    return team


async def team_named(session: AsyncSession, workspace_id: int, name: str) -> Team | None:
    return await session.scalar(
        select(Team).where(Team.workspace_id == workspace_id, func.lower(Team.name) == name.lower())
    )


async def team_of_channel(session: AsyncSession, workspace_id: int, channel_id: str) -> Team | None:
    """The team whose home a channel is; "#c0growth" and "C0GROWTH" are the same channel."""
    return await session.scalar(
        select(Team).where(
            Team.workspace_id == workspace_id,
            func.lower(Team.channel_id) == channel_id.lower(),
        )
    )


async def all_teams(session: AsyncSession, workspace_id: int) -> Sequence[Team]:
    query = select(Team).where(Team.workspace_id == workspace_id).order_by(Team.name)
    return (await session.scalars(query)).all()


async def teams_of(
    session: AsyncSession, workspace_id: int, member_id: int, roles: set[Role] | None = None
) -> Sequence[Team]:
    """The teams a member is on (with one of the roles, if given), in the order they joined."""
    query = (
        select(Team)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.workspace_id == workspace_id, Membership.member_id == member_id)
        .order_by(Membership.id)
    )
    if roles is not None:
        query = query.where(Membership.role.in_(roles))
    return (await session.scalars(query)).all()


async def seats_of(
    session: AsyncSession, workspace_id: int, member_id: int
) -> list[tuple[Team, Role]]:
    """The teams a member is on with their role on each, in the order they joined."""
    rows = await session.execute(
        select(Team, Membership.role)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.workspace_id == workspace_id, Membership.member_id == member_id)
        .order_by(Membership.id)
    )
    return [(team, role) for team, role in rows]


async def team_ids_of(session: AsyncSession, workspace_id: int, member_id: int) -> list[int]:
    return [t.id for t in await teams_of(session, workspace_id, member_id)]


@dataclass(frozen=True)
class Seat:
    member: Member
    role: Role
    joined_at: datetime | None = None  # when they joined this team


async def roster(session: AsyncSession, workspace_id: int, team_id: int) -> list[Seat]:
    """Everyone on a team with their role, leads first, in one query."""
    rows = await session.execute(
        select(Member, Membership.role, Membership.created_at)
        .join(Membership, Membership.member_id == Member.id)
        .where(Membership.workspace_id == workspace_id, Membership.team_id == team_id)
        .order_by(Membership.role, Member.display_name)
    )
    return [Seat(member, role, joined) for member, role, joined in rows]


async def team_memberships(
    session: AsyncSession, workspace_id: int, team_id: int
) -> Sequence[Membership]:
    query = select(Membership).where(
        Membership.workspace_id == workspace_id, Membership.team_id == team_id
    )
    return (await session.scalars(query)).all()


async def membership(
    session: AsyncSession, workspace_id: int, team_id: int, member_id: int
) -> Membership | None:
    return await session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace_id,
            Membership.team_id == team_id,
            Membership.member_id == member_id,
        )
    )


async def ensure_membership(
    session: AsyncSession, team: Team, member: Member, role: Role, now: datetime
) -> Membership:
    found = await membership(session, team.workspace_id, team.id, member.id)
    if found is not None:
        return found
    seat = Membership(
        workspace_id=team.workspace_id,
        team_id=team.id,
        member_id=member.id,
        role=role,
        created_at=now,
    )
    session.add(seat)
    await session.flush()
    return seat


async def shares_team_as(
    session: AsyncSession, workspace_id: int, actor_id: int, member_id: int, role: Role | None
) -> bool:
    """Whether the actor is on a team the member belongs to (holding the role, if given)."""
    mine = select(Membership.team_id).where(
        Membership.workspace_id == workspace_id, Membership.member_id == actor_id
    )
    if role is not None:
        mine = mine.where(Membership.role == role)
    found = await session.scalar(
        select(
            exists().where(
                Membership.workspace_id == workspace_id,
                Membership.member_id == member_id,
                Membership.team_id.in_(mine),
            )
        )
    )
    return bool(found)


async def leads_of(session: AsyncSession, workspace_id: int, member_id: int) -> Sequence[Member]:
    """The leads of every team the member is on."""
    teams = select(Membership.team_id).where(
        Membership.workspace_id == workspace_id, Membership.member_id == member_id
    )
    query = (
        select(Member)
        .join(Membership, Membership.member_id == Member.id)
        .where(
            Membership.workspace_id == workspace_id,
            Membership.team_id.in_(teams),
            Membership.role == Role.LEAD,
        )
        .distinct()
        .order_by(Member.id)
    )
    return (await session.scalars(query)).all()


# --- join requests ----------------------------------------------------------------------------


async def join_request(
    session: AsyncSession, workspace_id: int, team_id: int, member_id: int
) -> JoinRequest | None:
    return await session.scalar(
        select(JoinRequest).where(
            JoinRequest.workspace_id == workspace_id,
            JoinRequest.team_id == team_id,
            JoinRequest.member_id == member_id,
        )
    )


async def drop_join_request(
    session: AsyncSession, workspace_id: int, team_id: int, member_id: int
) -> None:
    await session.execute(
        delete(JoinRequest).where(
            JoinRequest.workspace_id == workspace_id,
            JoinRequest.team_id == team_id,
            JoinRequest.member_id == member_id,
        )
    )


async def waiting_to_join(session: AsyncSession, workspace_id: int, team_id: int) -> list[Member]:
    """Who asked to join a team and has not been answered, oldest first."""
    return [member for _, member in await requests_to_join(session, workspace_id, [team_id])]


async def requests_to_join(
    session: AsyncSession, workspace_id: int, team_ids: Sequence[int]
) -> list[tuple[int, Member]]:
    """(team id, who asked) for unanswered requests to join any of these teams, oldest first."""
    if not team_ids:  # someone who leads no team: nothing to ask the database
        return []
    rows = await session.execute(
        select(JoinRequest.team_id, Member)
        .join(Member, JoinRequest.member_id == Member.id)
        .where(JoinRequest.workspace_id == workspace_id, JoinRequest.team_id.in_(team_ids))
        .order_by(JoinRequest.id)
    )
    return [(team_id, member) for team_id, member in rows]


async def teams_asked_to_join(
    session: AsyncSession, workspace_id: int, member_id: int
) -> Sequence[Team]:
    """The teams a member has an open request to join, in the order they asked."""
    query = (
        select(Team)
        .join(JoinRequest, JoinRequest.team_id == Team.id)
        .where(JoinRequest.workspace_id == workspace_id, JoinRequest.member_id == member_id)
        .order_by(JoinRequest.id)
    )
    return (await session.scalars(query)).all()
