"""The rotation is a few queries, not one per person: `stretch suggest`, `stretches` and
`home` send as many statements for a team of three as for one of thirty with a quarter of
stretches and experiment budgets behind them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from storage.models import (
    BudgetRequest,
    BudgetState,
    Experiment,
    KpiValue,
    Role,
    Stretch,
    StretchState,
    Team,
)
from storage.people import NewMember, ensure_member
from storage.teams import ensure_membership
from tests.conftest import NOW
from tests.support import Chat, add_kpi

ON = ["checkin", "one_on_one", "stretch", "experiment_budget"]
COMMANDS = ("stretch suggest", "stretches", "home")


async def _statements(chat: Chat, connection: AsyncConnection) -> dict[str, int]:
    counts = dict.fromkeys(COMMANDS, 0)
    running = [""]

    def seen(*_: object) -> None:
        counts[running[0]] += 1

    event.listen(connection.sync_connection, "before_cursor_execute", seen)
    try:
        for command in COMMANDS:
            running[0] = command
            await chat.say("lea", command)
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", seen)
    return counts


async def _grow(sessions: async_sessionmaker[AsyncSession], first: int, people: int) -> None:
    """`people` more on Growth, each with a lagging KPI, a stretch done this quarter and a
    budget asked for an experiment."""
    async with sessions() as session, session.begin():
        team = await session.scalar(select(Team).where(Team.name == "Growth"))
        assert team is not None
        team.settings = {"enabled": ON}
        monday = date(2026, 11, 23)
        for i in range(first, first + people):
            new = NewMember(f"p{i}", f"Person {i}", "UTC", "mon,tue,wed,thu,fri")
            person = await ensure_member(session, team.workspace_id, new, NOW)
            await ensure_membership(session, team, person, Role.MEMBER, NOW)
            kpi = await add_kpi(session, person, agreed_at=NOW - timedelta(weeks=8))
            kpi.team_id = team.id
            session.add(
                KpiValue(
                    workspace_id=team.workspace_id,
                    kpi_id=kpi.id,
                    period="2026-W48",
                    period_start=monday,
                    value=Decimal(3),
                    logged_by_id=person.id,
                    logged_at=NOW,
                )
            )
            session.add(
                Stretch(
                    workspace_id=team.workspace_id,
                    team_id=team.id,
                    kpi_id=kpi.id,
                    member_id=person.id,
                    opened_by_id=person.id,
                    supporter_id=person.id,
                    what="lead the next client workshop",
                    due_on=monday,
                    quarter="2026-Q4",
                    state=StretchState.DONE,
                    outcome="ran it for six clients",
                    learned="I can hold a room now",
                    created_at=NOW - timedelta(days=20),
                    finished_at=NOW - timedelta(days=10),
                )
            )
            experiment = Experiment(
                workspace_id=team.workspace_id,
                kpi_id=kpi.id,
                owner_id=person.id,
                hypothesis="call back every lost lead within an hour",
                started_on=monday,
                review_on=monday + timedelta(days=7),
                created_at=NOW,
            )
            session.add(experiment)
            await session.flush()
            session.add(
                BudgetRequest(
                    workspace_id=team.workspace_id,
                    team_id=team.id,
                    experiment_id=experiment.id,
                    member_id=person.id,
                    amount=Decimal(2),
                    unit="hours",
                    scope="call back the ten lost leads",
                    look_back=monday + timedelta(days=7),
                    quarter="2026-Q4",
                    state=BudgetState.ASKED,
                    created_at=NOW,
                )
            )


async def test_the_rotation_costs_the_same_statements_for_three_people_or_thirty(
    chat: Chat, sessions: async_sessionmaker[AsyncSession], connection: AsyncConnection
) -> None:
    await _grow(sessions, 0, 1)
    small = await _statements(chat, connection)
    await _grow(sessions, 1, 29)
    big = await _statements(chat, connection)
    assert "Person" in await chat.text("lea", "stretch suggest")
    assert big == small, (small, big)
