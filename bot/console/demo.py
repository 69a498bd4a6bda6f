"""The console's demo workspace: a small team so that leads and members can both be tried."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.context import Clock
from storage.models import Platform, Role
from storage.people import NewMember, ensure_member, ensure_workspace
from storage.teams import ensure_membership, ensure_team

WORKSPACE_ID = "demo"
WORKSPACE_NAME = "Demo workspace"
TEAM_NAME = "Demo team"


@dataclass(frozen=True)
class DemoPerson:
    handle: str
    name: str
    role: Role
    time_zone: str


PEOPLE = (
    DemoPerson("lea", "Lea", Role.LEAD, "Europe/Berlin"),
    DemoPerson("ana", "Ana", Role.MEMBER, "Europe/Lisbon"),
    DemoPerson("ben", "Ben", Role.MEMBER, "America/New_York"),
)


async def seed_demo(
    session: AsyncSession,
    clock: Clock,
    working_days: str,
    work_hours: tuple[str, str] | None = None,
) -> None:
    """Create the demo workspace, team and people if they are not there yet."""
    now = clock.now()
    workspace = await ensure_workspace(session, Platform.CONSOLE, WORKSPACE_ID, WORKSPACE_NAME, now)
    team = await ensure_team(session, workspace.id, TEAM_NAME, PEOPLE[0].time_zone, now)
    for person in PEOPLE:
        new = NewMember(
            person.handle, person.name, person.time_zone, working_days, work_hours=work_hours
        )
        member = await ensure_member(session, workspace.id, new, now)
        await ensure_membership(session, team, member, person.role, now)
