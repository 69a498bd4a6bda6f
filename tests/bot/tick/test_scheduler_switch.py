"""A ritual a team switched off sends that team no nudge, and its tick hooks leave the team
alone: for every switchable ritual the registry holds, over a fortnight that reaches each
cadence (weekly, every other week, month end, quarter start). The team also has a pulse the
lead started before, due to close in that fortnight: closing it is a hook's work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from rituals.core.spec import Ritual, switchable
from rituals.pulse.store import new_pulse
from rituals.skills.sprint_store import start
from rituals.skills.store import add_skill
from storage.models import (
    BudgetRequest,
    BudgetState,
    Debate,
    DebateSeat,
    Experiment,
    Member,
    Mentorship,
    Role,
    SeatAnswer,
    Side,
    Stretch,
    StretchState,
    Team,
)
from tests.scheduling import LONG_AGO, Someone, ledger, outbox, planner, seed_team
from tests.support import add_kpi, member

# 28 Dec 2026 to 8 Jan 2027: two check-in Mondays, a one-on-one Wednesday and a pulse Monday
# in either fortnight, December's vote (29-31 Dec) and its close, and Q1's first Monday.
START = datetime(2026, 12, 28, tzinfo=UTC)
DAYS = 12
STEP = timedelta(hours=6)


def _scheduled(ritual: Ritual) -> bool:
    hooks = ritual.tick
    return bool(ritual.prompts or ritual.reminders or hooks.open or hooks.skip or hooks.close)


SCHEDULED = [r for r in switchable() if _scheduled(r)]


async def _held_debate(session: AsyncSession, team: Team) -> None:
    """A Servant vs Scorekeeper debate held on the fortnight's second day, so its reminders
    (a line from each who argued, the decision from the lead) fall due in it."""
    people = {
        m.platform_user_id: m
        for m in (
            await session.scalars(select(Member).where(Member.workspace_id == team.workspace_id))
        ).all()
    }
    kpi = await add_kpi(session, people["ana"], agreed_at=LONG_AGO)
    debate = Debate(
        workspace_id=team.workspace_id,
        team_id=team.id,
        kpi_id=kpi.id,
        question="Should we keep it?",
        started_by_id=people["lea"].id,
        slot_at=START + timedelta(days=1, hours=10),
        created_at=LONG_AGO,
    )
    session.add(debate)
    await session.flush()
    for user, side in (("ben", Side.CRITIC), ("cy", Side.ADVOCATE)):
        session.add(
            DebateSeat(
                workspace_id=team.workspace_id,
                debate_id=debate.id,
                member_id=people[user].id,
                side=side,
                answer=SeatAnswer.YES,
                asked_at=LONG_AGO,
            )
        )


def _kinds(ritual: Ritual) -> set[str]:
    """What the ledger and the outbox call the ritual's rows."""
    return {ritual.name} | {p.kind for p in ritual.prompts} | {p.kind for p in ritual.reminders}


async def _rows_of(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig, ritual: Ritual, on: bool
) -> list[str]:
    enabled = [r.name for r in switchable() if on or r.name != ritual.name]
    async with sessions() as session, session.begin():
        people = [Someone("lea", role=Role.LEAD), *(Someone(n) for n in ("ana", "ben", "cy"))]
        team = await seed_team(session, people, settings={"enabled": ",".join(enabled)})
        closes = START + timedelta(days=1)
        session.add(new_pulse(team.workspace_id, team.id, "How?", 3, LONG_AGO, closes))
        if ritual.name in SETUP:
            await SETUP[ritual.name](session, team)
    tick = planner(sessions, config)
    now = START
    while now < START + timedelta(days=DAYS):
        await tick.tick(now)
        now += STEP
    kinds = _kinds(ritual)
    found = [f"ledger {n.ritual}" for n in await ledger(sessions) if n.ritual in kinds]
    return found + [f"outbox {r.ritual}" for r in await outbox(sessions) if r.ritual in kinds]


async def _running_sprint(session: AsyncSession, team: Team) -> None:
    """Ben mentoring Ana on SQL, a week from its end: its check-in is due in the fortnight."""
    skill = await add_skill(session, team, "SQL", (await member(session, "ana")).id, LONG_AGO)
    sprint = Mentorship(
        workspace_id=team.workspace_id,
        team_id=team.id,
        skill_id=skill.id,
        learner_id=skill.proposed_by_id,
        goal="write the weekly query alone",
        asked_at=LONG_AGO,
    )
    start(sprint, (await member(session, "ben")).id, START.date() - timedelta(days=6))
    session.add(sprint)


async def _accepted_stretch(session: AsyncSession, team: Team) -> None:
    """Ana's stretch, taken on before the fortnight and due in it: its look-back is asked."""
    ana = await member(session, "ana")
    kpi = await add_kpi(session, ana, agreed_at=LONG_AGO)
    session.add(
        Stretch(
            workspace_id=team.workspace_id,
            team_id=team.id,
            kpi_id=kpi.id,
            member_id=ana.id,
            opened_by_id=(await member(session, "lea")).id,
            what="lead the next client workshop",
            due_on=START.date() + timedelta(days=3),
            quarter="2026-Q4",
            state=StretchState.ACCEPTED,
            created_at=LONG_AGO,
            answered_at=LONG_AGO,
        )
    )


async def _approved_budget(session: AsyncSession, team: Team) -> None:
    """An experiment Ana had budget for in Q4: Q1's first day posts the quarter's experiments."""
    ana = await member(session, "ana")
    kpi = await add_kpi(session, ana, agreed_at=LONG_AGO)
    experiment = Experiment(
        workspace_id=team.workspace_id,
        kpi_id=kpi.id,
        owner_id=ana.id,
        hypothesis="call back every lost lead within an hour",
        started_on=date(2026, 11, 2),
        review_on=date(2026, 12, 1),
        created_at=LONG_AGO,
    )
    session.add(experiment)
    await session.flush()
    session.add(
        BudgetRequest(
            workspace_id=team.workspace_id,
            team_id=team.id,
            experiment_id=experiment.id,
            member_id=ana.id,
            amount=Decimal(3),
            unit="hours",
            scope="ten lost leads",
            look_back=date(2026, 12, 1),
            quarter="2026-Q4",
            state=BudgetState.APPROVED,
            created_at=LONG_AGO,
        )
    )


# What a ritual's reminders and posts are about, made before the fortnight, for those that
# have some.
SETUP: dict[str, Callable[[AsyncSession, Team], Awaitable[None]]] = {
    "debate": _held_debate,
    "skills": _running_sprint,
    "stretch": _accepted_stretch,
    "experiment_budget": _approved_budget,
}


def test_every_switchable_ritual_with_a_schedule_is_covered() -> None:
    """The cases below come from the registry; they must not silently shrink to none."""
    assert {r.name for r in SCHEDULED} >= {"checkin", "one_on_one", "fail_of_month", "pulse"}


@pytest.mark.parametrize("ritual", SCHEDULED, ids=[r.name for r in SCHEDULED])
async def test_a_switched_off_ritual_sends_nothing_and_switched_on_it_does(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig, ritual: Ritual
) -> None:
    assert await _rows_of(sessions, config, ritual, on=False) == []


@pytest.mark.parametrize("ritual", SCHEDULED, ids=[r.name for r in SCHEDULED])
async def test_the_same_team_with_the_ritual_on_gets_its_nudges(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig, ritual: Ritual
) -> None:
    assert await _rows_of(sessions, config, ritual, on=True) != []
