"""KPI Raw's content for a team is read in a constant number of SQL statements: the same for
a small team with a short history as for a larger one with a longer history, and the same
for one team as for several."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from rituals.raw.store import Window, weeks
from storage.models import Kudos, KudosRecipient, Member
from tests.rituals.raw.support import history, share
from tests.scheduling import Someone, seed_team
from tests.support import add_kpi, at

ISSUE = at("2026-11-27 16:00")
# The history helper logs the last value eight days before this: two days before the issue.
FRESH = ISSUE + timedelta(days=6)


@contextmanager
def counting(connection: AsyncConnection) -> Iterator[list[str]]:
    """The statements sent on the test's connection while the block runs."""
    sent: list[str] = []

    def seen(*args: object) -> None:
        sent.append(str(args[2]))

    event.listen(connection.sync_connection, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", seen)


async def _team(
    sessions: async_sessionmaker[AsyncSession], name: str, people: int, weeks_: int
) -> int:
    """A team of `people`, each with a shared KPI and `weeks_` of values, and a kudos this
    week."""
    users = [f"{name.lower()}{i}" for i in range(people)]
    async with sessions() as session, session.begin():
        team = await seed_team(session, [Someone(u) for u in users], team=name)
        owners = list(
            (await session.scalars(select(Member).where(Member.platform_user_id.in_(users)))).all()
        )
        kpis = [
            await add_kpi(
                session, m, f"Leads of {m.platform_user_id}", agreed_at=ISSUE - timedelta(weeks=60)
            )
            for m in owners
        ]
        kudos = Kudos(
            workspace_id=team.workspace_id,
            team_id=team.id,
            from_id=owners[0].id,
            story="took my calls while I was on the course",
            created_at=ISSUE - timedelta(days=2),
        )
        session.add(kudos)
        await session.flush()
        session.add(
            KudosRecipient(
                workspace_id=team.workspace_id, kudos_id=kudos.id, member_id=owners[1].id
            )
        )
        team_id = team.id
    for kpi, owner in zip(kpis, users, strict=True):
        await share(sessions, kpi.id)
        await history(
            sessions, kpi.id, owner, list(range(10, 10 + weeks_)), date(2026, 11, 23), FRESH
        )
    return team_id


async def _count(
    sessions: async_sessionmaker[AsyncSession], connection: AsyncConnection, team_ids: list[int]
) -> int:
    windows = [Window(t, ISSUE - timedelta(days=7), ISSUE) for t in team_ids]
    async with sessions() as session:
        await session.connection()
        with counting(connection) as sent:
            found = await weeks(session, windows)
    assert all(found[t].numbers and found[t].kudos for t in team_ids)
    return len(sent)


async def test_an_issue_costs_the_same_statements_whatever_the_team_and_its_history(
    sessions: async_sessionmaker[AsyncSession], connection: AsyncConnection
) -> None:
    small = await _team(sessions, "Small", 2, 3)
    large = await _team(sessions, "Large", 8, 30)
    other = await _team(sessions, "Other", 4, 12)
    one = await _count(sessions, connection, [small])
    assert one == await _count(sessions, connection, [large])
    assert one == await _count(sessions, connection, [small, large, other])
    assert one <= 8
