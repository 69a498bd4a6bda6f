"""Bad input on every field of the KPI life cycle's commands: each gets a reply that says what
was wrong and how to write it, and nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Experiment, KpiReview, KpiValue, KpiVote, Purpose, PurposeAnswer
from tests.support import Chat

LONG = "x" * 501


async def _active(chat: Chat) -> int:
    said = await chat.text(
        "ana", 'propose "Qualified leads" target 10 per week growth "lead calls alone"'
    )
    kpi = int(said.split("Proposed #")[1].split(":")[0])
    assert "Active" in await chat.text("lea", f"activate {kpi}")
    return kpi


@pytest.mark.parametrize(
    ("user", "typed", "said"),
    [
        ("ana", "log {kpi} 12 period someday", "write it like 2026-W48"),
        ("ana", "log {kpi} twelve", "must be a number"),
        ("ana", f'log {{kpi}} 12 "{LONG}"', "200"),
        ("ana", "log 999999999 12", "There is no KPI #999999999 here"),
        ("ana", 'log "Nope" 12', 'No KPI is called "Nope"'),
        ("ana", "log {kpi} 12%", "counted as a plain number, not in %"),
        ("ana", "log {kpi} €12", "counted as a plain number, not in €"),
        ("ana", "experiment {kpi} short", "at least 12 characters"),
        (
            "ana",
            'experiment {kpi} "call back lost leads fast" review someday',
            "not a day I can read",
        ),
        ("ana", f'experiment {{kpi}} "{LONG}"', "500"),
        ("ana", "result 0 it went well enough", "must be 1 or more"),
        ("ana", "result 1 it went well enough", "There is no experiment #1 here"),
        ("ana", "result 1 ok", "at least 12 characters"),
        ("ben", "vote {kpi} maybe", "back, question"),
        ("ana", "review {kpi} perhaps relevant yes motivating yes", "keep, adjust, kill"),
        ("ana", "review {kpi} keep relevant sort-of motivating yes", "yes, no"),
        (
            "ana",
            "review {kpi} adjust relevant yes motivating yes target lots why unclear",
            "number",
        ),
        ("ana", f'review {{kpi}} kill relevant no motivating no why "{LONG}"', "500"),
        ("lea", "purpose start too short", "at least 12 characters"),
        ("lea", 'purpose start "we help small shops sell online" until someday', "not a day"),
        ("lea", 'purpose start "we help small shops sell online" in Nowhere', "no team called"),
        ("ana", 'purpose answer "I onboard shops fast"', "no purpose workshop yet"),
        ("zed", 'purpose answer "I onboard shops fast" in Growth', "no team called"),
        ("ana", "trend 999999999", "There is no KPI #999999999 here"),
    ],
)
async def test_bad_input_is_answered_and_nothing_is_stored(
    chat: Chat,
    sessions: async_sessionmaker[AsyncSession],
    user: str,
    typed: str,
    said: str,
) -> None:
    kpi = await _active(chat)
    workspace = "T2" if user == "zed" else "T1"
    reply = await chat.text(user, typed.replace("{kpi}", str(kpi)), workspace)
    assert said in reply, reply
    async with sessions() as session:
        for table in (KpiValue, Experiment, KpiVote, KpiReview, Purpose, PurposeAnswer):
            count = await session.scalar(select(func.count()).select_from(table))
            assert count == 0, (table.__name__, reply)
