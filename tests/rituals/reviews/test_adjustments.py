"""A lead's change to someone's target (or name) in review is proposed to its owner, who
accepts it (it takes effect that day) or answers (it stays as it was, and the lead reads the
answer). An owner's own adjustment applies at once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.dispatch import Dispatcher
from bot.grammar import build_grammar
from rituals.core.messages import Form
from storage.models import Kpi, KpiChange
from tests.conftest import NOW
from tests.support import Chat, MovingClock, active_kpi, buttons_of, dms_to, seed_people, text_of

RAISE = 'review {kpi} adjust relevant yes motivating no target 40 name "Demos booked" why "stretch"'


@pytest.fixture
def moving() -> MovingClock:
    return MovingClock(NOW)


@pytest.fixture
async def talk(
    sessions: async_sessionmaker[AsyncSession], moving: MovingClock, config: AppConfig
) -> Chat:
    async with sessions() as session, session.begin():
        await seed_people(session, moving)
    return Chat(Dispatcher(sessions, build_grammar(config.commands.slash), moving, config))


async def _kpi(sessions: async_sessionmaker[AsyncSession], kpi: int) -> Kpi:
    async with sessions() as session:
        found = await session.get(Kpi, kpi)
        assert found is not None
        return found


async def _changes(sessions: async_sessionmaker[AsyncSession]) -> list[KpiChange]:
    async with sessions() as session:
        return list((await session.scalars(select(KpiChange).order_by(KpiChange.id))).all())


async def test_a_leads_change_waits_for_the_owner_who_accepts_it(
    talk: Chat, moving: MovingClock, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    replies = await talk.say("lea", RAISE.format(kpi=kpi))
    said = text_of(replies)
    assert "Proposed to Ana: target 10 leads per week to 40 leads per week" in said
    assert "It takes effect when Ana accepts it" in said
    (asked,) = dms_to(replies, "ana")
    assert "proposes a change to your KPI" in asked.text
    assert "Why: stretch" in asked.text
    assert [b.command for b in buttons_of([asked])] == [
        f"adjustment {kpi} accept",
        f"adjustment {kpi} answer",
    ]
    unchanged = await _kpi(sessions, kpi)
    assert (unchanged.target, unchanged.name) == (Decimal(10), "Qualified leads")

    assert "Only Ana can accept" in await talk.text("ben", f"adjustment {kpi} accept")
    assert "Only Ana can accept" in await talk.text("lea", f"adjustment {kpi} accept")

    moving.move_to(NOW + timedelta(days=2))
    replies = await talk.say("ana", f"adjustment {kpi} accept")
    assert f"Accepted for #{kpi}: target 10 leads per week is now 40 leads per week" in (
        text_of(replies)
    )
    (told,) = dms_to(replies, "lea")
    assert "accepted your change" in told.text
    changed = await _kpi(sessions, kpi)
    assert (changed.target, changed.name) == (Decimal(40), "Demos booked")
    records = await _changes(sessions)
    assert [(c.what, c.waiting, c.changed_at) for c in records] == [
        ("target", False, NOW + timedelta(days=2)),
        ("name", False, NOW + timedelta(days=2)),
    ]
    assert "No change to" in await talk.text("ana", f"adjustment {kpi} accept")


async def test_the_owner_answers_and_the_target_stays_while_the_lead_reads_the_answer(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    await talk.say("lea", RAISE.format(kpi=kpi))
    (form,) = await talk.say("ana", f"adjustment {kpi} answer")
    assert isinstance(form, Form)
    assert "Lea proposes for" in form.intro
    replies = await talk.submit("ana", form, {"words": "40 in December is a fantasy; 20?"})
    assert "Told Lea" in text_of(replies)
    (told,) = dms_to(replies, "lea")
    assert "40 in December is a fantasy; 20?" in told.text
    kept = await _kpi(sessions, kpi)
    assert (kept.target, kept.name) == (Decimal(10), "Qualified leads")
    assert await _changes(sessions) == []


async def test_the_owner_adjusting_their_own_kpi_applies_at_once(
    talk: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(talk)
    said = await talk.text("ana", RAISE.format(kpi=kpi))
    assert f"Adjusted #{kpi}: target 10 leads per week is now 40 leads per week" in said
    assert (await _kpi(sessions, kpi)).target == Decimal(40)
    assert [c.waiting for c in await _changes(sessions)] == [False, False]
