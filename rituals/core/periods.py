"""A KPI's periods: the week, month or quarter a value belongs to, by the KPI's cadence.

Periods have names people read ("2026-W48", "2026-11", "2026-Q4") and a running index, so
"the period before" and "how many periods apart" are plain subtraction, across year ends and
the ISO years that have a 53rd week.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rituals.core.dates import format_date
from storage.models import Cadence

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
# Monday 1 January 2001: weekly indexes count whole weeks from here.
_MONDAY = date(2001, 1, 1)
PERIOD = {Cadence.WEEKLY: "week", Cadence.MONTHLY: "month", Cadence.QUARTERLY: "quarter"}


@dataclass(frozen=True, order=True)
class Period:
    """One period of a cadence. Ordered by index; the index only compares within a cadence."""

    index: int
    cadence: Cadence
    name: str
    start: date

    @property
    def end(self) -> date:
        """The period's last day."""
        return from_index(self.cadence, self.index + 1).start - timedelta(days=1)

    def shifted(self, steps: int) -> Period:
        return from_index(self.cadence, self.index + steps)


def period_of(cadence: Cadence, day: date) -> Period:
    """The period of the cadence that contains the day."""
    if cadence is Cadence.WEEKLY:
        return from_index(cadence, (day - _MONDAY).days // 7)
    if cadence is Cadence.MONTHLY:
        return from_index(cadence, day.year * 12 + day.month - 1)
    return from_index(cadence, day.year * 4 + (day.month - 1) // 3)


# Periods are values, and the same few dozen recur across every KPI of every team: a tick
# writing a thousand newsletters names the same weeks a hundred thousand times.
@functools.lru_cache(maxsize=4096)
def from_index(cadence: Cadence, index: int) -> Period:
    if cadence is Cadence.WEEKLY:
        start = _MONDAY + timedelta(weeks=index)
        year, week, _ = start.isocalendar()
        return Period(index, cadence, f"{year}-W{week:02d}", start)
    if cadence is Cadence.MONTHLY:
        year, month = divmod(index, 12)
        return Period(index, cadence, f"{year}-{month + 1:02d}", date(year, month + 1, 1))
    year, quarter = divmod(index, 4)
    return Period(index, cadence, f"{year}-Q{quarter + 1}", date(year, quarter * 3 + 1, 1))


def parse_period(cadence: Cadence, text: str, today: date) -> Period:
    """A period as typed: its name in the cadence's shape, "this" or "last". Raises ValueError
    with what to write instead."""
    words = text.strip().lower()
    current = period_of(cadence, today)
    if words in {"this", "now", "current", f"this {PERIOD[cadence]}"}:
        return current
    if words in {"last", "previous", f"last {PERIOD[cadence]}"}:
        return current.shifted(-1)
    found = named(cadence, text.strip().upper())
    if found is None:
        raise ValueError(
            f'"{text[:20]}" is not a {PERIOD[cadence]}; write it like {current.name}, or '
            f"last for last {PERIOD[cadence]}"
        )
    return found


def named(cadence: Cadence, text: str) -> Period | None:
    """The period a name in the cadence's shape names ("2026-W48", "2026-11", "2026-Q4"), or
    None for a name that is not one."""
    try:
        if cadence is Cadence.WEEKLY and (m := _WEEK.match(text)):
            return period_of(cadence, date.fromisocalendar(int(m[1]), int(m[2]), 1))
        if cadence is Cadence.MONTHLY and (m := _MONTH.match(text)):
            return period_of(cadence, date(int(m[1]), int(m[2]), 1))
    except ValueError:  # week 54, month 13, year 0: no such period
        return None
    if cadence is Cadence.QUARTERLY and (m := _QUARTER.match(text)) and int(m[1]) >= 1:
        return period_of(cadence, date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1))
    return None


def describe_period(period: Period) -> str:
    """How people say a period: "the week of 23 November 2026", "November 2026", "Q4 2026"."""
    if period.cadence is Cadence.WEEKLY:
        return f"the week of {format_date(period.start, 'en')}"
    if period.cadence is Cadence.MONTHLY:
        return f"{format_date(period.start, 'en').split(' ', 1)[1]}"
    return f"Q{(period.start.month - 1) // 3 + 1} {period.start.year}"


def quarter_at(now: datetime, zone: str) -> Period:
    """The quarter a moment falls in on a team's clock: budgets and rotations count by it."""
    return period_of(Cadence.QUARTERLY, now.astimezone(ZoneInfo(zone)).date())
