"""Logging a period again: the context said before stays unless a new note replaces it, and a
value said again unchanged is not announced as a correction of itself."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import KpiValue
from tests.support import Chat, active_kpi


async def _notes(sessions: async_sessionmaker[AsyncSession]) -> list[str | None]:
    async with sessions() as session:
        return list((await session.scalars(select(KpiValue.note).order_by(KpiValue.id))).all())


async def test_a_correction_without_a_note_keeps_the_earlier_note(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await active_kpi(chat)
    await chat.text("ana", f'log {kpi} 10 "two demos slipped to next week"')
    said = await chat.text("ana", f"log {kpi} 12")
    assert "10 leads is now 12 leads" in said
    assert await _notes(sessions) == ["two demos slipped to next week"] * 2
    assert "two demos slipped to next week" in await chat.text("ana", f"trend {kpi}")
    await chat.text("ana", f'log {kpi} 13 "one demo came back"')
    assert (await _notes(sessions))[-1] == "one demo came back"


async def test_the_same_value_logged_again_is_not_called_a_correction(chat: Chat) -> None:
    kpi = await active_kpi(chat)
    await chat.text("ana", f"log {kpi} 34")
    said = await chat.text("ana", f"log {kpi} 34")
    assert "34 leads is now 34 leads" not in said
    assert f"Logged again: 34 leads for #{kpi} Qualified leads" in said
    trend = await chat.text("ana", f"trend {kpi}")
    assert "Corrected" not in trend
    await chat.text("ana", f"log {kpi} 36")
    assert "Corrected: 2026-W48 34 leads to 36 leads." in await chat.text("ana", f"trend {kpi}")
