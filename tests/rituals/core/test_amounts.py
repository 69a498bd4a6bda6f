"""Amounts as people say them: one hour, two hours; codes and percentages untouched."""

from __future__ import annotations

from decimal import Decimal

from rituals.core.amounts import amount


def test_exactly_one_takes_the_singular() -> None:
    assert amount(Decimal(1), "hours") == "1 hour"
    assert amount(Decimal("1.0"), "leads") == "1 lead"
    assert amount(Decimal(2), "hours") == "2 hours"
    assert amount(Decimal("1.5"), "hours") == "1.5 hours"


def test_codes_percentages_and_words_ending_in_s_stay() -> None:
    assert amount(Decimal(1), "EUR") == "1 EUR"
    assert amount(Decimal(1), "%") == "1%"
    assert amount(Decimal(1), "status") == "1 status"
    assert amount(Decimal(1), "") == "1"
