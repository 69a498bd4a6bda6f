"""A team that switched one-on-one scripts off: every one-on-one command is refused, naming who
can switch them on, and writes nothing; a pair on a second team that keeps them goes on."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.one_on_ones.ritual import RITUAL
from storage.models import Cadence, Kpi, KpiStatus, Team
from tests.conftest import NOW
from tests.rituals.switching import each_refused, examples, second_team
from tests.support import Chat, member

SWITCH_OFF = "settings set rituals checkin,kudos,review"


async def _kpi_of(sessions: async_sessionmaker[AsyncSession], team: str) -> dict[str, int]:
    """Ana's KPI on the team, for the dip examples: the ladder reaches its team through it."""
    async with sessions() as session, session.begin():
        ana = await member(session, "ana")
        found = await session.scalar(
            select(Team).where(Team.workspace_id == ana.workspace_id, Team.name == team)
        )
        assert found is not None
        kpi = Kpi(
            workspace_id=ana.workspace_id,
            team_id=found.id,
            owner_id=ana.id,
            proposed_by_id=ana.id,
            name=f"Win rate in {team}",
            unit="%",
            target=Decimal(30),
            cadence=Cadence.WEEKLY,
            status=KpiStatus.ACTIVE,
            created_at=NOW - timedelta(weeks=8),
            agreed_at=NOW - timedelta(weeks=8),
        )
        session.add(kpi)
        await session.flush()
        return {"dip": kpi.id}


async def test_every_one_on_one_command_is_refused_where_it_is_switched_off(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    rows = await _kpi_of(sessions, "Growth")
    assert "Rituals on: the weekly check-in, kudos, the quarterly review" in await chat.text(
        "lea", SWITCH_OFF
    )
    tried = examples(RITUAL, rows)
    assert {syntax.name for syntax, _ in tried} == {s.name for s in RITUAL.commands}
    await each_refused(chat, sessions, RITUAL, "Growth", [example for _, example in tried])


async def test_on_two_teams_the_one_that_switched_them_off_refuses_and_the_other_runs_them(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await second_team(sessions, "Platform")
    rows = await _kpi_of(sessions, "Platform")
    said = await chat.text("lea", f'{SWITCH_OFF} in "Platform"')
    assert "Rituals on: the weekly check-in, kudos, the quarterly review" in said
    tried = examples(RITUAL, rows, team="Platform")
    assert {syntax.name for syntax, _ in tried} == {s.name for s in RITUAL.commands}
    typed = [example for _, example in tried]
    await each_refused(chat, sessions, RITUAL, "Platform", typed, team_in_form=True)
    # Unnamed, the pair is the one on Growth, which keeps its one-on-ones.
    assert "Added to your next one-on-one with @Lea" in await chat.text("ana", 'point "pricing"')
    assert "switched off" not in await chat.text("ana", "script")
