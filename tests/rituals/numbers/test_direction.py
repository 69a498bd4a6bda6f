"""A KPI where lower is better (time to restore, cost, churn): its drop is a gain and its rise
is the fall that asks for a wild idea, in the log's answer, the lead's falls, the trend, the
one-on-one script and the catalogue; inferred from the name, and turned by its owner."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.config import AppConfig
from rituals.core.periods import period_of
from rituals.kpis.catalogue import CATALOGUE
from rituals.kpis.direction import infer_direction
from rituals.numbers.declines import WILD_IDEA, detect
from storage.models import Cadence, Direction
from tests.support import Chat, buttons_of, text_of

RESTORE = 'propose "Time to restore service" target 60 minutes per month growth "lead incidents"'


async def _restore_kpi(chat: Chat) -> int:
    said = await chat.text("ana", RESTORE)
    assert "Better: lower is better" in said
    number = int(said.split("#")[1].split(":")[0])
    assert "Active" in await chat.text("lea", f"activate {number}")
    return number


async def test_a_drop_of_a_lower_is_better_kpi_is_a_gain_and_a_rise_asks_for_a_wild_idea(
    chat: Chat,
) -> None:
    kpi = await _restore_kpi(chat)
    await chat.text("ana", f"log {kpi} 90 period last")
    said = await chat.text("ana", f"log {kpi} 20")
    assert "Logged 20 minutes" in said
    assert WILD_IDEA not in said
    assert "fell" not in said
    assert "No KPI on Growth fell" in await chat.text("lea", "falls")

    said = await chat.text("ana", f"log {kpi} 250 period last")  # a correction of October
    said = await chat.text("ana", f"log {kpi} 20")  # back down: a gain, whatever the size
    assert WILD_IDEA not in said

    await chat.text("ana", f"log {kpi} 20 period last")
    said = await chat.text("ana", f"log {kpi} 250")
    assert (
        "Time to restore service rose 1150% against last month (20 minutes to 250 minutes)." in said
    )
    assert WILD_IDEA in said
    falls = await chat.text("lea", "falls")
    assert f"#{kpi} Time to restore service: 1150% up against last month" in falls
    trend = await chat.text("ana", f"trend {kpi}")
    assert "lower is better" in trend


async def test_the_owner_turns_the_direction_and_nobody_else_does(chat: Chat) -> None:
    said = await chat.text("ana", 'propose "Support tickets closed" target 40 per week')
    kpi = int(said.split("#")[1].split(":")[0])
    assert "Better: higher is better" in said
    refused = await chat.text("lea", f"direction {kpi} lower")
    assert "Only Ana can turn it" in refused
    said = await chat.text("ana", f"direction {kpi} lower")
    assert f"#{kpi} Support tickets closed: lower is better now." in said
    asked = await chat.say("ana", f"direction {kpi}")
    assert "lower is better" in text_of(asked)
    assert [b.command for b in buttons_of(asked)] == [f"direction {kpi} higher"]


async def test_the_one_on_one_script_counts_a_drop_as_a_win_and_a_rise_as_a_dip(
    chat: Chat,
) -> None:
    kpi = await _restore_kpi(chat)
    await chat.text("ana", f"log {kpi} 90 period last")
    await chat.text("ana", f"log {kpi} 20")
    said = await chat.text("ana", "script")
    wins, dips = said.split("2. Dips")
    assert "Time to restore service fell from 90 minutes to 20 minutes" in wins
    assert "Time to restore service" not in dips.split("Talking points")[0]

    await chat.text("ana", f"log {kpi} 250")
    said = await chat.text("ana", "script")
    wins, dips = said.split("2. Dips")
    assert "Time to restore service" not in wins
    assert "Time to restore service rose from 90 minutes to 250 minutes" in dips
    assert "Why did this rise?" in dips
    said = await chat.text("ana", f"dip {kpi}")
    assert "no dip to ask about" not in said


def test_the_rule_for_lower_is_better() -> None:
    today = date(2026, 11, 23)
    current = period_of(Cadence.MONTHLY, today)
    last = [(current.shifted(-1), Decimal(20))]
    lower = Direction.LOWER
    found = detect(current, Decimal(250), last, 20, lower)
    assert found is not None
    assert (found.percent, found.moved, found.way) == (1150, "rose", "up")
    assert detect(current, Decimal(2), last, 20, lower) is None
    steady = [(current.shifted(i), Decimal(20)) for i in (-4, -3, -2)]
    trend = detect(current, Decimal(30), [*steady, (current.shifted(-1), Decimal(40))], 20, lower)
    assert trend is None  # down on last month: recovering, whatever the trend says


@pytest.mark.parametrize(
    ("name", "unit", "direction"),
    [
        ("Time to restore service", "minutes", Direction.LOWER),
        ("Customer churn", "%", Direction.LOWER),
        ("Cost per lead", "EUR", Direction.LOWER),
        ("Defects escaped", "", Direction.LOWER),
        ("Complaints", "", Direction.LOWER),
        ("Cycle time", "days", Direction.LOWER),
        ("Error-free orders", "%", Direction.HIGHER),
        ("Bugs fixed", "", Direction.HIGHER),
        ("Return on ad spend", "x", Direction.HIGHER),
        ("Qualified leads", "leads", Direction.HIGHER),
        ("Net revenue retention", "%", Direction.HIGHER),
    ],
)
def test_the_direction_is_inferred_from_name_and_unit(
    config: AppConfig, name: str, unit: str, direction: Direction
) -> None:
    assert infer_direction(name, unit, config.kpis) is direction


def test_the_catalogue_says_what_a_proposal_of_it_would_infer(config: AppConfig) -> None:
    for examples in CATALOGUE.values():
        for example in examples:
            inferred = infer_direction(example.name, example.unit, config.kpis)
            assert inferred is example.direction, example.name


async def test_the_catalogue_shows_which_examples_are_better_lower(chat: Chat) -> None:
    said = await chat.text("ana", "examples engineering")
    assert "Time to restore service, 60 minutes per month, lower is better." in said
