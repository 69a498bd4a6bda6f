"""Shared steps for the tests of the rituals built on KPIs (numbers, reviews)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Member, Role
from storage.people import NewMember, ensure_member, ensure_membership, ensure_team
from tests.conftest import NOW
from tests.support import Chat


async def active_kpi(chat: Chat, name: str = "Qualified leads", owner: str = "ana") -> int:
    """A KPI of the owner's, proposed with its growth link and activated by Growth's lead."""
    said = await chat.text(
        owner, f'propose "{name}" target 10 leads per week growth "run discovery calls alone"'
    )
    number = int(said.split("#")[1].split(":")[0])
    assert "Active" in await chat.text("lea", f"activate {number}")
    return number


async def join(
    sessions: async_sessionmaker[AsyncSession], team: str, user: str, role: Role = Role.MEMBER
) -> None:
    """Put someone of workspace T1 on a team there, making the team (and them) if need be."""
    async with sessions() as session, session.begin():
        workspace_id = await session.scalar(
            select(Member.workspace_id).where(Member.platform_user_id == "lea")
        )
        assert workspace_id is not None
        found = await ensure_team(session, workspace_id, team, "UTC", NOW)
        person = NewMember(user, user.capitalize(), "UTC", "mon,tue,wed,thu,fri")
        member = await ensure_member(session, workspace_id, person, NOW)
        member.welcomed_at = NOW
        await ensure_membership(session, found, member, role, NOW)
