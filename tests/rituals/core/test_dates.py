"""A date reads in one language: the day name follows the month's language."""

from __future__ import annotations

from datetime import date

from rituals.core.dates import format_day

DAY = date(2027, 1, 13)


def test_the_day_name_is_in_the_same_language_as_the_month() -> None:
    assert format_day(DAY, "de") == "Mittwoch, 13. Januar 2027"
    assert format_day(DAY, "fr") == "mercredi 13 janvier 2027"
    assert format_day(DAY, "en") == "Wednesday 13 January 2027"
    assert format_day(DAY, "xx") == "Wednesday 13 January 2027"
