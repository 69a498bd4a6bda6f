"""What `me export` and `me forget` do with debates and KPI Raw: a person's seats, lines,
volunteering and opt-out are theirs (exported, and gone when they are forgotten); a debate
and its decision stay the team's, without who started it. And a team with KPI Raw switched
off gets no issue."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from rituals.core.messages import File, Message
from storage.models import Debate, DebateSeat, DebateVolunteer, Outbox, RawOptOut
from tests.rituals.debates.test_servant_vs_scorekeeper import _growth, _voted_kpi
from tests.scheduling import planner
from tests.support import MovingClock, at, chat_at


async def _count(sessions: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_forgotten_person_leaves_the_debate_to_the_team_and_takes_their_part(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _growth(sessions)
    clock = MovingClock(at("2026-11-23 09:30"))
    chat = chat_at(sessions, config, clock)
    kpi = await _voted_kpi(chat)
    await chat.text("ben", f"debate volunteer {kpi} critic")
    await chat.text("lea", f"debate start {kpi}")
    await chat.text("ben", "debate yes 1")
    await chat.text("ben", "raw out")

    replies = await chat.say("ben", "me export")
    (exported,) = [
        b for r in replies if isinstance(r, Message) for b in r.blocks if isinstance(b, File)
    ]
    rows = json.loads(exported.data)
    tables = rows.get("tables", rows)
    assert len(tables["debate_seat"]) == 1
    assert len(tables["debate_volunteer"]) == 1
    assert len(tables["raw_opt_out"]) == 1

    assert "forgotten" in await chat.text("ben", "me forget confirm")
    assert await _count(sessions, DebateVolunteer) == 0
    assert await _count(sessions, RawOptOut) == 0
    assert await _count(sessions, DebateSeat) == 1  # Dan's, the advocate asked
    await chat.text("lea", "team lead <@ana>")
    assert "forgotten" in await chat.text("lea", "me forget confirm")
    async with sessions() as session:
        (debate,) = (await session.scalars(select(Debate))).all()
        assert debate.started_by_id is None


async def test_a_team_with_kpi_raw_switched_off_gets_no_issue(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _growth(sessions, ["checkin", "review"])
    clock = MovingClock(at("2026-11-27 16:00"))
    await planner(sessions, config).tick(clock.now())
    async with sessions() as session:
        raw = await session.scalar(
            select(func.count()).select_from(Outbox).where(Outbox.ritual == "raw")
        )
    assert raw == 0
