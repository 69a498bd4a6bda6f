"""Days as people write them, and the examples a refusal shows: counted from the reader's
today, so an example is never a day that has already passed."""

from __future__ import annotations

import re
from datetime import date

import pytest

from rituals.core.nudges import MANNERS
from rituals.core.when import read_date

MONDAY = date(2027, 6, 14)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", MONDAY),
        ("tomorrow", date(2027, 6, 15)),
        ("fri", date(2027, 6, 18)),
        ("next mon", date(2027, 6, 21)),
        ("in 3 days", date(2027, 6, 17)),
        ("3 weeks", date(2027, 7, 5)),
        ("for 2 weeks", date(2027, 6, 28)),
        ("2027-12-31", date(2027, 12, 31)),
    ],
)
def test_a_day_is_read_the_ways_people_write_it(text: str, day: date) -> None:
    assert read_date(text, MONDAY) == day


def test_an_unreadable_day_is_answered_with_an_example_from_today() -> None:
    with pytest.raises(ValueError, match="like 2027-06-21") as refused:
        read_date("31/12", MONDAY)
    assert "not a day I can read; write fri, tomorrow, in 3 days" in str(refused.value)
    with pytest.raises(ValueError, match="like 2027-06-21"):
        read_date("1 Dec", MONDAY)


def test_the_nudge_footer_shows_no_date_that_could_age() -> None:
    assert not re.search(r"\d{4}-\d{2}-\d{2}", MANNERS)
    assert "`away 2 weeks`" in MANNERS
