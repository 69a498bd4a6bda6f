"""`skip week` is a week off the weekly rituals. The quarterly review comes once a quarter: one
falling in a skipped week moves to the week after instead of vanishing until next quarter."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from storage.models import NudgeOutcome, Role
from tests.scheduling import LONG_AGO, Someone, ledger, outbox, planner, seed_team, text
from tests.support import add_kpi, at, member


async def test_a_review_in_a_skipped_week_comes_the_week_after(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone("lea", role=Role.LEAD), Someone("ana")])
        ana = await member(session, "ana")
        ana.skip_week = "2027-W01"  # the week Growth's 2027-Q1 review opens, Monday 4 January
        await add_kpi(session, ana, agreed_at=LONG_AGO)
    tick = planner(sessions, config)
    await tick.tick(at("2027-01-04 10:00"))
    reviews = [r for r in await outbox(sessions) if "Quarterly KPI review" in text(r)]
    assert [r.target for r in reviews] == ["lea"]  # Ana's check-in is skipped; her review waits
    settled = [n for n in await ledger(sessions) if n.period == "2027-Q1"]
    assert NudgeOutcome.SKIPPED not in {n.outcome for n in settled}

    await tick.tick(at("2027-01-08 16:00"))  # still her week off
    await tick.tick(at("2027-01-11 08:59"))  # the week after, but still her quiet hours
    assert [r.target for r in await outbox(sessions) if "Quarterly KPI review" in text(r)] == [
        "lea"
    ]
    await tick.tick(at("2027-01-11 09:00"))  # her first moment back: the review comes
    reviews = [r for r in await outbox(sessions) if "Quarterly KPI review" in text(r)]
    assert [r.target for r in reviews] == ["lea", "ana"]
    assert "Qualified leads" in text(reviews[1])
