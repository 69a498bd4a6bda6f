"""When a KPI's fall is worth celebrating: sharp, against last period or the recent trend.

A decline is not a failure to scold; it is the prompt for an experiment. So it must be a real
fall: a first value has nothing to fall from, and a period nobody logged is unknown, not zero.
A fall is a move the wrong way: down for most KPIs, up for one where lower is better (time to
restore, cost, churn), whose drop is a gain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rituals.core.periods import PERIOD, Period
from rituals.kpis.direction import improved, worse_percent
from storage.models import Direction

WILD_IDEA = "What wild idea will we test this week to turn this around?"
# The trend is the mean of up to this many values, found within twice as many periods back.
TREND_SPAN = 4


@dataclass(frozen=True)
class Decline:
    value: Decimal
    reference: Decimal
    against: str  # "last week", "the trend of the last 4 weeks"
    percent: int  # how far it went the wrong way, in whole percent
    direction: Direction = Direction.HIGHER

    @property
    def moved(self) -> str:
        """ "fell", or "rose" for a KPI where lower is better."""
        return "rose" if self.direction is Direction.LOWER else "fell"

    @property
    def way(self) -> str:
        """ "down", or "up" for a KPI where lower is better."""
        return "up" if self.direction is Direction.LOWER else "down"


def detect(
    current: Period,
    value: Decimal,
    earlier: Sequence[tuple[Period, Decimal]],
    threshold_percent: int,
    direction: Direction = Direction.HIGHER,
) -> Decline | None:
    """The decline the value makes against the period before it, or else against the trend.

    `earlier` holds the KPI's values for periods before `current`, in any order. A value no
    worse than the latest one before it is recovering, so it never counts against the trend.
    """
    before = sorted(
        (p, v) for p, v in earlier if current.index - 2 * TREND_SPAN <= p.index < current.index
    )
    word = PERIOD[current.cadence]
    previous = before[-1][1] if before and before[-1][0].index == current.index - 1 else None
    if previous is not None:
        fall = worse_percent(value, previous, direction)
        if fall > threshold_percent:
            return Decline(value, previous, f"last {word}", int(fall), direction)
    if before and not improved(value, before[-1][1], direction):
        return None  # the latest value before is no better: recovering, whatever the trend says
    recent = [v for _, v in before[-TREND_SPAN:]]
    if len(recent) < 2:
        return None
    trend = sum(recent, Decimal(0)) / len(recent)
    fall = worse_percent(value, trend, direction)
    if fall > threshold_percent:
        against = f"the trend of the last {len(recent)} {word}s"
        return Decline(value, trend, against, int(fall), direction)
    return None


def latest_declines(
    series: Mapping[int, Sequence[tuple[Period, Decimal]]],
    threshold_percent: int,
    directions: Mapping[int, Direction],
) -> dict[int, Decline]:
    """Each KPI's decline in its latest logged period, if that period fell: a team at a glance.

    `series` maps a KPI to its values per period, oldest first; `directions` says which way
    each gets better."""
    found = {}
    for kpi_id, values in series.items():
        if not values:
            continue
        current, value = values[-1]
        decline = detect(current, value, values[:-1], threshold_percent, directions[kpi_id])
        if decline is not None:
            found[kpi_id] = decline
    return found
