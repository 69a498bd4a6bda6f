"""Numbers and experiments in a scripted console session.

`log` then `trend` prints the chart as an `[image]` line with its text sparkline, and saves the
PNG in the console's exports folder as a download would; `experiment` with no idea asks its
form field by field, and a look-back day out of reach brings the form back with the problem.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import Dispatcher
from rituals.core.charts import SPARK_BLOCKS
from rituals.core.context import FixedClock
from rituals.numbers.declines import WILD_IDEA
from tests.bot.console.support import PROPOSE, flat, proposed, run_console, turn
from tests.support import PNG_SIGNATURE, assert_valid_png

IDEA = "call back every lost lead within an hour"


async def test_log_then_trend_prints_the_image_and_sparkline_and_saves_the_png(
    dispatcher: Dispatcher,
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the console saves into ./exports
    kpi = proposed(await run_console(dispatcher, sessions, clock, [PROPOSE]))
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            ":as lea",
            f"activate {kpi}",
            ":as ana",
            f'log {kpi} 8 "fair week" period last',
            f"log {kpi} 12",
            f"trend {kpi}",
        ],
    )
    assert f"== Active: #{kpi} Qualified leads ==" in turn(transcript, f"lea> activate {kpi}")
    assert "Logged 12 leads" in turn(transcript, f"ana> log {kpi} 12")

    shown = turn(transcript, f"ana> trend {kpi}")
    assert f"== #{kpi} Qualified leads (Ana) ==" in shown
    name = f"kpi-{kpi}-trend.png"
    image = f"[image] #{kpi} Qualified leads (Ana): {name}\n"
    assert image in shown
    # Under it, the sparkline: one block character per week, the lower week lower.
    (spark,) = re.findall(rf"^  ([{SPARK_BLOCKS}]+)$", shown.split(image, 1)[1], re.MULTILINE)
    assert len(spark) == 2
    assert SPARK_BLOCKS.index(spark[0]) < SPARK_BLOCKS.index(spark[1])
    assert "  - 1. 2026-W47: fair week" in shown
    assert "Only you and your lead see these numbers." in flat(shown)

    saved = Path("exports") / name
    assert f"  saved to {saved}" in shown
    data = (tmp_path / "exports" / name).read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert assert_valid_png(data) == (800, 400)
    assert [p.name for p in (tmp_path / "exports").iterdir()] == [name]  # nothing else


async def test_an_experiment_by_prompts_asks_again_when_the_day_is_out_of_reach(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    kpi = proposed(await run_console(dispatcher, sessions, clock, [PROPOSE]))
    transcript = await run_console(
        dispatcher,
        sessions,
        clock,
        [
            ":as lea",
            f"activate {kpi}",
            ":as ana",
            f"experiment {kpi}",
            IDEA,
            "2027-06-01",  # look back on: past the eight weeks an experiment may run
            "",  # keeps the idea
            "thu",  # Enter would keep the day refused; another day is typed over it
            "experiments",
        ],
    )
    asked = turn(transcript, f"ana> experiment {kpi}")
    first, again = asked.split(f"== {WILD_IDEA} ==")[1:]
    assert first.startswith(f"\n#{kpi} Qualified leads")
    assert "(the hypothesis: if we try this, the number gets better; up to 500 characters)" in first
    assert "Look back on (in 7 days if empty; a day like fri, or YYYY-MM-DD; optional" in first
    # The same form, the problem on top, the idea kept in [brackets].
    assert again.startswith("\nLook back on: give a day after today and within 8 weeks")
    assert f"up to 500 characters) [{IDEA}]" in again
    assert "or YYYY-MM-DD; optional; up to 20 characters) [2027-06-01]" in again
    done = re.search(rf"Experiment #(\d+) on Qualified leads: {IDEA}", flat(again))
    assert done, again
    assert "I'll ask what happened on Thursday 26 November 2026." in flat(again)

    listed = flat(turn(transcript, "ana> experiments"))
    assert "== Your experiments ==" in listed
    assert f"- #{done[1]} Qualified leads: {IDEA} (look back Thursday 26 November 2026)" in listed
