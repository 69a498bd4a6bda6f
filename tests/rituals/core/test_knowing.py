"""Who may know of a numbered thing of a team or a person (`rituals.core.knowing`): someone on
no team with its people nor on its team hears, word for word, what they would hear for a
number nobody uses, and never whose it is, its team or its words. Its people, their lead and
their teammates still reach it. The rule and the outsider are those of the KPI one
(tests/rituals/kpis/test_visibility.py): Zed leads Ops, with Oli, in Growth's workspace."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import (
    BudgetRequest,
    BudgetState,
    Commitment,
    CommitmentStatus,
    Consent,
    Debate,
    Experiment,
    FailNomination,
    Member,
    Mentorship,
    Misstep,
    Obstacle,
    Pulse,
    Skill,
    SprintStatus,
    Team,
)
from tests.conftest import NOW
from tests.support import Chat, add_kpi, member

NOBODYS = 9999
"""A number nothing has, to hear the answer the outsider must not be able to tell apart."""

SECRETS = ("Ana", "Ben", "Lea", "Growth", "Qualified leads")
"""Whose each thing is, its team and the KPI it is on: none may reach the outsider."""

EVERY_RITUAL = (
    "checkin,one_on_one,kudos,review,pulse,stretch,debate,fail_of_month,experiment_budget,skills"
)


@dataclass(frozen=True)
class Growths:
    """Growth's people and team, for writing its things straight into the store."""

    team: Team
    lea: Member
    ana: Member
    ben: Member


Maker = Callable[[AsyncSession, Growths], Awaitable[int]]


async def _made(sessions: async_sessionmaker[AsyncSession], make: Maker) -> int:
    """The thing `make` writes for Growth, with its people: its number."""
    async with sessions() as session, session.begin():
        team = await session.scalar(select(Team).where(Team.name == "Growth"))
        assert team is not None
        people = [await member(session, user) for user in ("lea", "ana", "ben")]
        return await make(session, Growths(team, *people))


async def _outsiders(chat: Chat) -> None:
    """Zed leads Ops, with Oli, in Growth's workspace: on no team with Ana, Ben or Lea, and
    with every ritual on, so no gate answers before the thing is looked up."""
    await chat.say("zed", "help")
    await chat.say("oli", "help")
    assert "Ops" in await chat.text("zed", "team create Ops")
    assert "Oli" in await chat.text("zed", "team add @oli")
    assert "Saved" in await chat.text("zed", f"settings set rituals {EVERY_RITUAL}")
    assert "Saved" in await chat.text("lea", f"settings set rituals {EVERY_RITUAL}")


async def _as_for_nobodys(chat: Chat, typed: str, number: int, refusal: str) -> None:
    """Zed hears for `number` exactly what he hears for a number nobody uses."""
    nobodys = await chat.text("zed", typed.format(n=NOBODYS))
    assert refusal.format(n=NOBODYS) in nobodys, nobodys
    said = await chat.text("zed", typed.format(n=number))
    assert said == nobodys.replace(str(NOBODYS), str(number)), said
    for secret in SECRETS:
        assert secret not in said, (secret, said)


def _kind(make: Maker, refusal: str, *typed: str) -> list[object]:
    """The cases of one kind of thing: each command an outsider might type about it."""
    name = make.__name__.strip("_")
    return [pytest.param(make, t, refusal, id=f"{name}: {_command(t)}") for t in typed]


def _command(typed: str) -> str:
    """The command's words, without its number or quoted text: a case's name."""
    return re.split(r" \{| \"", typed)[0]


# Commitments: Lea committed Ana to clear Ben's obstacle.


async def _obstacle(session: AsyncSession, g: Growths) -> int:
    row = Obstacle(
        workspace_id=g.team.workspace_id,
        team_id=g.team.id,
        member_id=g.ben.id,
        week="2026-W48",
        text="the printer is broken",
        created_at=NOW,
    )
    session.add(row)
    await session.flush()
    return row.id


async def _commitment(session: AsyncSession, g: Growths) -> int:
    row = Commitment(
        workspace_id=g.team.workspace_id,
        team_id=g.team.id,
        obstacle_id=await _obstacle(session, g),
        for_id=g.ben.id,
        owner_id=g.ana.id,
        made_by_id=g.lea.id,
        action="Order a new printer",
        due=NOW.date() + timedelta(days=3),
        status=CommitmentStatus.OPEN,
        created_at=NOW,
    )
    session.add(row)
    await session.flush()
    return row.id


async def _misstep(session: AsyncSession, g: Growths) -> int:
    row = Misstep(
        workspace_id=g.team.workspace_id,
        team_id=g.team.id,
        lead_id=g.lea.id,
        text="I set the target alone",
        created_at=NOW,
    )
    session.add(row)
    await session.flush()
    return row.id


async def _debate(session: AsyncSession, g: Growths) -> int:
    kpi = await add_kpi(session, g.ana, agreed_at=NOW)
    kpi.team_id = g.team.id
    row = Debate(
        workspace_id=g.team.workspace_id,
        team_id=g.team.id,
        kpi_id=kpi.id,
        started_by_id=g.lea.id,
        question="Is it the right measure?",
        created_at=NOW,
    )
    session.add(row)
    await session.flush()
    return row.id


async def _story(session: AsyncSession, g: Growths) -> int:
    row = FailNomination(
        workspace_id=g.team.workspace_id,
        team_id=g.team.id,
        month=NOW.strftime("%Y-%m"),
        nominee_id=g.ana.id,
        nominator_id=g.ben.id,
        misstep="I sent the wrong price list",
        learned="read it twice",
        consent=Consent.GIVEN,
        created_at=NOW,
    )
    session.add(row)
    await session.flush()
    return row.id


async def _pulse(session: AsyncSession, g: Growths) -> int:
    row = Pulse(
        workspace_id=g.team.workspace_id,
        team_id=g.team.id,
        started_by_id=g.lea.id,
        question="How does the quarter feel?",
        threshold=3,
        counts=[0, 0, 0, 0, 0],
        words=[],
        opened_at=NOW,
        closes_at=NOW + timedelta(days=3),
    )
    session.add(row)
    await session.flush()
    return row.id


async def _experiment(session: AsyncSession, g: Growths) -> int:
    kpi = await add_kpi(session, g.ana, agreed_at=NOW)
    kpi.team_id = g.team.id
    row = Experiment(
        workspace_id=g.team.workspace_id,
        kpi_id=kpi.id,
        owner_id=g.ana.id,
        hypothesis="cold calls on Fridays",
        started_on=NOW.date(),
        review_on=NOW.date() + timedelta(days=14),
        created_at=NOW,
    )
    session.add(row)
    await session.flush()
    return row.id


async def _request(session: AsyncSession, g: Growths) -> int:
    experiment = await session.get(Experiment, await _experiment(session, g))
    assert experiment is not None
    row = BudgetRequest(
        workspace_id=g.team.workspace_id,
        team_id=g.team.id,
        experiment_id=experiment.id,
        member_id=g.ana.id,
        amount=Decimal(2),
        unit="hours",
        scope="ten calls to lost leads",
        look_back=NOW.date() + timedelta(days=14),
        quarter="2026-Q4",
        state=BudgetState.ASKED,
        created_at=NOW,
    )
    session.add(row)
    await session.flush()
    return row.id


async def _gap(session: AsyncSession, g: Growths) -> int:
    skill = Skill(
        workspace_id=g.team.workspace_id,
        team_id=g.team.id,
        name="SQL",
        name_key="sql",
        created_at=NOW,
    )
    session.add(skill)
    await session.flush()
    row = Mentorship(
        workspace_id=g.team.workspace_id,
        team_id=g.team.id,
        skill_id=skill.id,
        learner_id=g.ana.id,
        suggested_id=g.ben.id,
        goal="write the pipeline query alone",
        status=SprintStatus.OPEN,
        asked_at=NOW,
    )
    session.add(row)
    await session.flush()
    return row.id


# Each kind of numbered thing, the answer for a number nobody uses, and what an outsider types.
OUTSIDER_CASES = [
    *_kind(
        _commitment,
        "There is no commitment #{n} here.",
        "done {n}",
        'drop {n} "the printer works again"',
    ),
    *_kind(
        _obstacle,
        "There is no obstacle #{n} here.",
        "commit {n}",
        'commit {n} "Order a new one" due fri',
    ),
    *_kind(_misstep, "There is no misstep #{n} here.", 'feedback {n} "ask us first"'),
    *_kind(
        _debate,
        "There is no debate #{n} here.",
        "debate yes {n}",
        "debate no {n}",
        'debate line {n} "the number hides the calls"',
        'debate decide {n} keep "it still tells us"',
    ),
    *_kind(_story, "There is no story #{n} on a ballot here.", "fail vote {n}"),
    *_kind(_pulse, "There is no pulse #{n} here.", "pulse answer 4 pulse {n}"),
    *_kind(_experiment, "There is no experiment #{n} here.", 'result {n} "two leads came back"'),
    *_kind(
        _request,
        "There is no budget request #{n} here.",
        "budget approve {n}",
        'budget question {n} "which ten leads?"',
    ),
    *_kind(
        _gap,
        "There is no gap or sprint #{n} here.",
        "mentor {n}",
        "mentor decline {n}",
        'lookback {n} "I write it alone"',
    ),
]


@pytest.mark.parametrize(("make", "typed", "refusal"), OUTSIDER_CASES)
async def test_a_numbered_thing_is_unknown_to_an_outsider(
    chat: Chat,
    sessions: async_sessionmaker[AsyncSession],
    make: Maker,
    typed: str,
    refusal: str,
) -> None:
    number = await _made(sessions, make)
    await _outsiders(chat)
    await _as_for_nobodys(chat, typed, number, refusal)


# Those who may know of it still reach it: the answers they had before.


async def test_its_people_their_teammates_and_its_team_still_reach_each_thing(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    commitment = await _made(sessions, _commitment)
    obstacle = await _made(sessions, _obstacle)
    debate = await _made(sessions, _debate)
    request = await _made(sessions, _request)
    gap = await _made(sessions, _gap)
    story = await _made(sessions, _story)
    await _outsiders(chat)
    # Ben, Ana's teammate, is told who may drop her commitment.
    said = await chat.text("ben", f"drop {commitment}")
    assert said == "Only Ana, its owner, or the lead who made it can drop it.", said
    said = await chat.text("ana", f'drop {commitment} "the printer works again"')
    assert said.startswith(f"Dropped #{commitment} Order a new printer."), said
    # Ana, on Growth, is told who commits to its obstacles.
    said = await chat.text("ana", f"commit {obstacle}")
    assert said.startswith("Only the lead of Growth or an admin can commit"), said
    said = await chat.text("ben", f"debate yes {debate}")
    assert said.startswith(f"You were not asked to argue in debate #{debate}."), said
    said = await chat.text("ana", f"budget approve {request}")
    assert said.startswith("Only the lead of Growth or an admin can decide"), said
    said = await chat.text("ana", f"mentor {gap}")
    assert said == f"#{gap} is your own gap: someone who can teach it mentors you.", said
    said = await chat.text("ana", f"fail vote {story}")
    assert said == "That story is yours: vote for a teammate's.", said
    # Lea, the lead and admin, decides the budget.
    said = await chat.text("lea", f"budget approve {request}")
    assert said.startswith(f"Approved request #{request}"), said


async def test_a_team_shared_with_one_of_its_people_is_enough_to_know_of_it(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Once Ana is on Ops too, Zed may know of the commitment she owns (and is told who may
    drop it), but not of Growth's misstep or pulse, whose people he shares no team with."""
    commitment = await _made(sessions, _commitment)
    misstep = await _made(sessions, _misstep)
    pulse = await _made(sessions, _pulse)
    await _outsiders(chat)
    assert "Ana" in await chat.text("zed", "team add @ana")
    said = await chat.text("zed", f"drop {commitment}")
    assert said == "Only Ana, its owner, or the lead who made it can drop it.", said
    said = await chat.text("zed", f'feedback {misstep} "ask us first"')
    assert said == f"There is no misstep #{misstep} here.", said
    said = await chat.text("zed", f"pulse answer 4 pulse {pulse}")
    assert said == f"There is no pulse #{pulse} here.", said
    # Growth's own people still answer them.
    said = await chat.text("ben", f'feedback {misstep} "ask us first"')
    assert said.startswith("Sent to Lea anonymously"), said
    said = await chat.text("ben", f"pulse answer 4 pulse {pulse}")
    assert said.startswith("Thank you: 4 ("), said
