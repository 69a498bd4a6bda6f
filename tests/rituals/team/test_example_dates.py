"""On a day long after the demo's, every example date a person reads is built from their
today: refusals about days and periods, and help's examples, which use words that never age."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.context import FixedClock
from storage.models import Member
from tests.support import Chat

LATER = datetime(2027, 6, 14, 9, 30, tzinfo=UTC)  # a Monday, months after the seeded dates
A_WEEK_ON = "2027-06-21"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(LATER)


async def _away_until(sessions: async_sessionmaker[AsyncSession], name: str) -> date | None:
    async with sessions() as session:
        member = await session.scalar(select(Member).where(Member.display_name == name))
        assert member is not None
        return member.away_until


async def test_away_takes_words_that_count_from_today(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert "You're away until 5 July 2027" in await chat.text("ana", "away 3 weeks")
    assert await _away_until(sessions, "Ana") == date(2027, 7, 5)
    assert "You're away until 18 June 2027" in await chat.text("ana", "away until fri")


async def test_away_refusals_give_an_example_after_today(chat: Chat) -> None:
    unreadable = await chat.text("ana", "away until 1 Dec")
    assert '"1 Dec" is not a day I can read' in unreadable
    assert f"a date like {A_WEEK_ON}" in unreadable
    passed = await chat.text("ana", "away until 2027-06-01")
    assert "2027-06-01 has passed" in passed
    assert f"away until {A_WEEK_ON}" in passed


async def test_a_due_day_refused_shows_an_example_after_today(chat: Chat) -> None:
    said = await chat.text("ana", "obstacle legal has not approved the contract template")
    number = int(said.split("#")[1].split(".")[0].split(" ")[0])
    refused = await chat.text("lea", f'commit {number} "Send the template to legal" due 31/12')
    assert f"a date like {A_WEEK_ON}" in refused
    assert "2026-" not in refused


async def test_a_period_refused_names_this_period_as_the_example(chat: Chat) -> None:
    said = await chat.text(
        "ana", 'propose "Qualified leads" target 10 per week growth "lead calls alone"'
    )
    kpi = int(said.split("Proposed #")[1].split(":")[0])
    assert "Active" in await chat.text("lea", f"activate {kpi}")
    refused = await chat.text("ana", f"log {kpi} 12 period someday")
    assert "write it like 2027-W24, or last for last week" in refused


@pytest.mark.parametrize(
    "command", ["away", "commit", "pulse start", "purpose start", "experiment"]
)
async def test_help_shows_no_fixed_date(chat: Chat, command: str) -> None:
    said = await chat.text("ana", f"help {command}")
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", said), said
