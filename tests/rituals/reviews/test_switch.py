"""The quarterly review's switch: a team that switched it off refuses every review command,
says who can switch it on, and keeps nothing the command would have written."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.reviews.ritual import RITUAL
from storage.models import Kpi, KpiChange, KpiReview, Role
from tests.rituals.switching import join
from tests.support import Chat, active_kpi

SWITCH_ON = 'settings set rituals checkin,one_on_one,kudos,review in "Growth"'


def _typed(kpi: int) -> list[str]:
    """Every example of every review command, about this KPI (the examples say #3)."""
    return [
        example.replace(" 3", f" {kpi}", 1)
        for syntax in RITUAL.commands
        for example in syntax.examples
    ]


async def _written(sessions: async_sessionmaker[AsyncSession], kpi: int) -> tuple[object, ...]:
    """Everything a review writes: its answers, the changes it makes, and the KPI itself."""
    async with sessions() as session:
        row = await session.get(Kpi, kpi)
        assert row is not None
        return (
            await session.scalar(select(func.count()).select_from(KpiReview)),
            await session.scalar(select(func.count()).select_from(KpiChange)),
            row.status,
            row.target,
            row.name,
            row.retired_reason,
        )


def _refused_by_the_switch(said: str, user: str) -> None:
    assert "Growth has switched off the quarterly review." in said, said
    # The lead is told to type the switch herself; anyone else, who can.
    told = "Switch it on with" if user == "lea" else "@Lea can switch it on"
    assert told in said, said
    assert SWITCH_ON in said, said


async def test_every_review_command_is_refused_where_the_team_switched_it_off(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(chat)
    said = await chat.text("lea", "settings set rituals checkin,one_on_one,kudos")
    assert "Rituals on: the weekly check-in, one-on-one scripts, kudos\n" in said
    before = await _written(sessions, kpi)
    typed = _typed(kpi)
    assert len(typed) == 6
    for user in ("ana", "lea"):  # the owner, and their lead
        for text in typed:
            _refused_by_the_switch(await chat.text(user, text), user)
    assert await _written(sessions, kpi) == before
    await chat.say("lea", SWITCH_ON)
    assert f"Kept #{kpi} Qualified leads" in await chat.text("ana", typed[0])


async def test_a_lead_on_two_teams_is_refused_for_a_kpi_of_the_team_that_switched_it_off(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Lea also leads Platform, which reviews; Ana's KPI is Growth's, which does not. Once Ana
    is on Platform too, her KPIs are reviewed there."""
    kpi = await active_kpi(chat)
    await chat.say("lea", "settings set rituals checkin,one_on_one,kudos")
    await join(sessions, "Platform", "lea", Role.LEAD)
    before = await _written(sessions, kpi)
    for text in _typed(kpi):
        _refused_by_the_switch(await chat.text("lea", text), "lea")
    assert await _written(sessions, kpi) == before
    await join(sessions, "Platform", "ana")
    assert f"Kept #{kpi} Qualified leads" in await chat.text("lea", _typed(kpi)[0])
