"""The rotation's rules as pure functions: whose turn it is, who still waits for a first, and
what "lags its target" means for a KPI where lower is better; and how amounts are read."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from rituals.core.amounts import budget_text, read_amount
from rituals.stretch.store import Turns, lags, next_in_turn, waiting
from storage.models import Direction, Kpi

EARLY, LATE = datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 9, 1, tzinfo=UTC)


def test_the_turn_goes_to_the_fewest_this_quarter_then_the_longest_since_the_last() -> None:
    turns = {
        1: Turns(1, False, LATE),  # had one this quarter
        2: Turns(0, False, LATE),  # none this quarter, one lately
        3: Turns(0, False, EARLY),  # none this quarter, one long ago
        4: Turns(0, True, None),  # said not this time: sits the quarter out
        5: Turns(0, False, EARLY, open=True),  # one under way: one at a time
    }
    assert next_in_turn(turns, [1, 2, 3, 4, 5, 6]) == [6, 3, 2, 1]


def test_those_who_wait_for_a_first_are_the_eligible_without_one_who_did_not_pass() -> None:
    turns = {1: Turns(1, False, LATE, firsts=1), 2: Turns(0, True, None)}
    assert waiting(turns, [1, 2, 3], besides=1) == [3]
    assert waiting(turns, [1, 2], besides=1) == []
    # Asked and not answered yet is no first: they still wait for one.
    turns[4] = Turns(1, False, None, open=True)
    assert waiting(turns, [1, 2, 3, 4], besides=1) == [3, 4]


def test_a_kpi_lags_when_short_of_its_target_the_way_it_gets_better() -> None:
    higher = Kpi(target=Decimal(10), direction=Direction.HIGHER)
    lower = Kpi(target=Decimal(30), direction=Direction.LOWER)  # minutes to restore
    assert lags(higher, Decimal(4))
    assert not lags(higher, Decimal(10))
    assert lags(lower, Decimal(45))
    assert not lags(lower, Decimal(20))


def test_amounts_are_read_in_hours_or_a_currency() -> None:
    assert read_amount("3h") == (Decimal(3), "hours")
    assert read_amount("150 eur") == (Decimal(150), "EUR")
    assert read_amount("€80,50") == (Decimal("80.50"), "EUR")
    assert budget_text("8.00 hrs") == "8 hours"
    with pytest.raises(ValueError, match="three-letter currency code"):
        read_amount("5 parsecs")
    with pytest.raises(ValueError, match="a budget is more than 0"):
        budget_text("0 EUR")
