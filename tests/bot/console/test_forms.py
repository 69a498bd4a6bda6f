"""A form in the console never keeps someone who has moved on: a console command or a bot
command typed for a field leaves it, and a refused command answers without trapping anyone in
its form."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import Dispatcher
from rituals.core.context import FixedClock
from storage.models import Kpi, KpiValue, Obstacle, Purpose
from tests.bot.console.transcript import session_of

PROPOSE = 'propose "Qualified leads" target 10 leads per week'
GOAL = "I want to run discovery calls on my own by March"


async def test_a_console_command_typed_for_a_field_leaves_the_form_and_acts(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await session_of(
        dispatcher, sessions, clock, [":as lea", "purpose start", ":as ben", "kpis"]
    )
    form = transcript.split("lea> purpose start", 1)[1]
    assert "Left the form 'Why we exist'; nothing was saved." in form
    assert "You are now Ben." in form
    assert "ben> kpis" in form
    async with sessions() as session:
        assert await session.scalar(select(Purpose)) is None


async def test_a_command_typed_for_a_field_runs_without_a_question_that_eats_the_next_line(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await session_of(
        dispatcher,
        sessions,
        clock,
        [
            ":as lea",
            "purpose start",
            "settings",  # a bare command: run, not taken as the purpose
            "purpose start",
            "help nudges",  # a command with words of its own: run as well
            "experiment",
            "experiment 1",  # a complete command, typed for the KPI asked
            ":as ben",  # the next piped line: acts, not read as a y/N
            "kpis",
        ],
    )
    first, _, rest = transcript.partition("lea> purpose start")[2].partition("purpose start")
    second, _, third = rest.partition("lea> experiment\n")
    assert "Left the form 'Why we exist'; nothing was saved." in first
    assert "== Settings of Demo team ==" in first.split("nothing was saved.", 1)[1]
    assert "Left the form 'Why we exist'; nothing was saved." in second
    assert "/kpi snooze" in second  # the Nudges topic, not a purpose called "help nudges"
    assert "Left the form 'What wild idea" in third
    assert "You are now Ben." in third
    assert "ben> kpis" in third
    assert "y/N" not in transcript
    async with sessions() as session:
        assert await session.scalar(select(Purpose)) is None


async def test_prose_that_starts_like_a_command_is_kept_as_the_answer(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await session_of(
        dispatcher,
        sessions,
        clock,
        [
            ":as lea",
            "purpose start",
            "help our customers grow faster than they hoped",
            "",
            "",
        ],
    )
    assert 'Kept as your answer, though it starts like the command "help"' in transcript
    assert "y/N" not in transcript
    async with sessions() as session:
        purpose = await session.scalar(select(Purpose))
    assert purpose is not None
    assert purpose.text == "help our customers grow faster than they hoped"


async def test_a_refused_command_answers_and_offers_its_form_without_opening_it(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await session_of(
        dispatcher,
        sessions,
        clock,
        [
            PROPOSE,
            "1",  # link a growth goal, so that the lead can activate it
            GOAL,
            ":as lea",
            'activate "Qualified leads"',
            ":as ana",
            'log "Qualified leads" 12%',  # the wrong unit: refused, with its form
            "kpis",  # not an answer to the form: the next command
            'log "Qualified leads" 12%',
            "1",  # the offered form, with what was typed kept
            "",
            "leads from the fair",
            "",
        ],
    )
    refused = transcript.split('ana> log "Qualified leads" 12%', 2)
    assert "is counted in leads, not in %." in refused[1]
    assert "[1] Fill it in as a form (what you typed is kept)" in refused[1]
    assert "== Log a value ==" not in refused[1]
    assert "ana> kpis" in refused[1]
    assert "== Log a value ==" in refused[2]
    assert "[12]" in refused[2]
    async with sessions() as session:
        logged = (await session.scalars(select(KpiValue))).all()
    assert [(v.value, v.note) for v in logged] == [(12, "leads from the fair")]


async def test_a_refused_form_asks_again_for_the_kpi_typed_wrong_so_it_can_be_corrected(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await session_of(
        dispatcher,
        sessions,
        clock,
        [
            PROPOSE,
            "1",
            GOAL,
            'obstacle in "Demo team"',  # the check-in's button: the team known, the KPI asked
            "The CRM is down since Monday",
            "leads",  # no KPI is called that
            "",
            "",  # the obstacle kept
            "Qualified leads",  # the KPI asked again, and corrected
            "",
        ],
    )
    again = transcript.split('No KPI is called "leads".', 1)[1]
    assert "KPI it blocks (its number or name; optional; up to 200 characters) [leads]" in again
    async with sessions() as session:
        obstacle = await session.scalar(select(Obstacle))
        kpi = await session.scalar(select(Kpi))
    assert obstacle is not None
    assert kpi is not None
    assert (obstacle.text, obstacle.kpi_id) == ("The CRM is down since Monday", kpi.id)
