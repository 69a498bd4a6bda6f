"""When a KPI's fall is worth celebrating: sharp, against last period or the recent trend.

A decline is not a failure to scold; it is the prompt for an experiment. So it must be a real
fall: a first value has nothing to fall from, and a period nobody logged is unknown, not zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rituals.core.periods import PERIOD, Period

WILD_IDEA = "What wild idea will we test this week to bring this back up?"
# The trend is the mean of up to this many values, found within twice as many periods back.
TREND_SPAN = 4


@dataclass(frozen=True)
class Decline:
    value: Decimal
    reference: Decimal
    against: str  # "last week", "the trend of the last 4 weeks"
    percent: int  # how far it fell, in whole percent


def detect(
    current: Period,
    value: Decimal,
    earlier: Sequence[tuple[Period, Decimal]],
    threshold_percent: int,
) -> Decline | None:
    """The decline the value makes against the period before it, or else against the trend.

    `earlier` holds the KPI's values for periods before `current`, in any order. A value at or
    above the latest one before it is recovering, so it never counts against the trend.
    """
    before = sorted(
        (p, v) for p, v in earlier if current.index - 2 * TREND_SPAN <= p.index < current.index
    )
    word = PERIOD[current.cadence]
    previous = before[-1][1] if before and before[-1][0].index == current.index - 1 else None
    if previous is not None:
        fall = _fall(value, previous)
        if fall > threshold_percent:
            return Decline(value, previous, f"last {word}", int(fall))
    if before and value >= before[-1][1]:
        return None  # up on the latest value there is: recovering, whatever the trend says
    recent = [v for _, v in before[-TREND_SPAN:]]
    if len(recent) < 2:
        return None
    trend = sum(recent, Decimal(0)) / len(recent)
    fall = _fall(value, trend)
    if fall > threshold_percent:
        return Decline(value, trend, f"the trend of the last {len(recent)} {word}s", int(fall))
    return None


def _fall(value: Decimal, reference: Decimal) -> Decimal:
    """How far below the reference, in percent; 0 when it is not below, or the reference is
    not positive (a fall from zero or below has no size in percent)."""
    if reference <= 0 or value >= reference:
        return Decimal(0)
    return (reference - value) * 100 / reference


def latest_declines(
    series: Mapping[int, Sequence[tuple[Period, Decimal]]], threshold_percent: int
) -> dict[int, Decline]:
    """Each KPI's decline in its latest logged period, if that period fell: a team at a glance.

    `series` maps a KPI to its values per period, oldest first."""
    found = {}
    for kpi_id, values in series.items():
        if not values:
            continue
        current, value = values[-1]
        decline = detect(current, value, values[:-1], threshold_percent)
        if decline is not None:
            found[kpi_id] = decline
    return found
