"""Writing an issue from a week, without the store: a long list of numbers is cut, but never
a fall, and what was cut is counted; the picture's legend names each KPI's owner."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from rituals.core.messages import Image, Message
from rituals.raw.issue import compose
from rituals.raw.store import Shown, ShownKpi, Value, Week, Window
from storage.models import Cadence, Direction

ISSUE = datetime(2026, 11, 27, 16, tzinfo=UTC)
FALLING = 24


def _week(kpis: int) -> Week:
    """`kpis` weekly KPIs, every one logged this week at its target, but the last, which
    falls to a fifth of it."""
    week = Week()
    for i in range(kpis):
        kpi = ShownKpi(i, f"Leads {i:02d}", "leads", Decimal(10), Cadence.WEEKLY, Direction.HIGHER)
        values = [
            Value(
                100 * i + j,
                i,
                date(2026, 11, 16) - timedelta(weeks=3 - j),
                Decimal(2 if i == FALLING and j == 3 else 10),
                None,
                ISSUE - timedelta(days=1 + 7 * (3 - j)),
            )
            for j in range(4)
        ]
        week.numbers.append(Shown(kpi, "Ana" if i % 2 else "Ben", values))
    return week


def test_a_long_list_is_cut_but_never_a_fall_and_the_rest_is_counted() -> None:
    window = Window(1, ISSUE - timedelta(days=7), ISSUE)
    blocks = compose("Growth", "week 2026-W48", _week(FALLING + 1), window, 20)
    text = Message(blocks).text
    assert "Leads 19 (Ana): 10 leads" in text
    assert "Leads 20" not in text
    assert f"Leads {FALLING} (Ben): 2 leads for 2026-W47" in text
    assert "It fell 80% against last week." in text
    assert "And 4 more KPIs logged this week, not one of them a fall" in text
    (picture,) = [b for b in blocks if isinstance(b, Image)]
    assert "Leads 00 (Ben):" in picture.sketch


def test_a_short_list_is_told_whole() -> None:
    window = Window(1, ISSUE - timedelta(days=7), ISSUE)
    text = Message(compose("Growth", "week 2026-W48", _week(3), window, 20)).text
    assert "more KPIs" not in text
    assert "Leads 02 (Ben)" in text
