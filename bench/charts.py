"""How long one trend chart takes to draw: two years of weekly values, as `trend_png` gets them;
and one tension pulse's results chart.

A chart is drawn inside a command's reply, so it spends the same budget as the rest of the
command: the target is well under 300 ms. It draws 104 weekly points (2024-W49 to 2026-W48,
seeded pseudo-random values around a target, a few of them with notes) and prints

- import: loading `rituals.core.charts`, matplotlib with it, once per process;
- cold: the first chart, which also loads the font and fills matplotlib's text caches;
- warm: the median and p95 of the next --runs charts, which is what a running bot pays;
- pulse: the same for `pulse_png` with a team of 12's answers, PULSE_COUNTS, after one draw
  untimed, since its fonts and caches are the trend's and already warm;

each with the PNG's size. It asserts nothing.

    .venv/bin/python bench/charts.py [--runs 30]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from datetime import date, timedelta

LAST_MONDAY = date(2026, 11, 23)  # 2026-W48
WEEKS = 104
TARGET = 45.0
NOTES = ("a team offsite", "two people on leave", "the CRM migration", "a new hire started")
SEED = 20261125
PULSE_COUNTS = (1, 2, 4, 3, 2)  # answers per score 1 to 5: a team of 12, every score used


def two_years() -> list[tuple[str, float, str | None]]:
    """104 weeks' label, value and note: a seeded random walk near the target, a note now and
    then."""
    rng = random.Random(SEED)
    value, weeks = 40.0, []
    for ago in range(WEEKS - 1, -1, -1):
        year, week, _ = (LAST_MONDAY - timedelta(weeks=ago)).isocalendar()
        value = max(0.0, value + rng.uniform(-4, 4))
        note = rng.choice(NOTES) if rng.random() < 0.06 else None
        weeks.append((f"{year}-W{week:02d}", round(value, 1), note))
    return weeks


def row(name: str, median_ms: float, p95_ms: float | None, size: int) -> str:
    p95 = "-" if p95_ms is None else f"{p95_ms:.2f}"
    return f"{name:<8}{median_ms:<11.2f}{p95:<8}{size / 1024:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("give at least one run")

    start = time.perf_counter()
    from rituals.core.charts import Point, noted, pulse_png, trend_png  # timed: matplotlib with it

    import_ms = (time.perf_counter() - start) * 1000
    points = [Point(*week) for week in two_years()]

    def draw() -> tuple[float, bytes]:
        start = time.perf_counter()
        png = trend_png("Qualified leads", points, TARGET, "leads")
        return (time.perf_counter() - start) * 1000, png

    cold_ms, png = draw()
    timings = sorted(draw()[0] for _ in range(args.runs))
    p95 = timings[math.ceil(len(timings) * 0.95) - 1]

    print(
        f"{len(points)} weekly points ({points[0].label} to {points[-1].label}), "
        f"{len(noted(points))} with notes, {args.runs} warm runs"
    )
    print(f"{'chart':<8}{'median ms':<11}{'p95 ms':<8}PNG KB")
    print(f"{'import':<8}{import_ms:.2f}")
    print(row("cold", cold_ms, None, len(png)))
    print(row("warm", statistics.median(timings), p95, len(png)))

    def pulse() -> tuple[float, bytes]:
        start = time.perf_counter()
        png = pulse_png("How does chasing Qualified leads feel right now?", PULSE_COUNTS)
        return (time.perf_counter() - start) * 1000, png

    _, pulse_bytes = pulse()
    pulse_timings = sorted(pulse()[0] for _ in range(args.runs))
    pulse_p95 = pulse_timings[math.ceil(len(pulse_timings) * 0.95) - 1]
    print(row("pulse", statistics.median(pulse_timings), pulse_p95, len(pulse_bytes)))


if __name__ == "__main__":
    main()
