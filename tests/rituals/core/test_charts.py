"""KPI pictures: every chart is a whole PNG of the promised size, and the text drawings fit."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import PIL.Image
import pytest

from rituals.core.charts import (
    LINE,
    NOTE,
    PULSE_WORDS,
    Point,
    mean_score,
    noted,
    pulse_bars,
    pulse_png,
    sparkline,
    trend_png,
)
from tests.support import assert_valid_png, png_chunks

LAST_MONDAY = date(2026, 11, 23)  # 2026-W48


def weeks(values: list[float], notes: dict[int, str] | None = None) -> list[Point]:
    """Weekly points ending in 2026-W48, with notes at the given positions."""
    notes = notes or {}
    points = []
    for i, value in enumerate(values):
        year, week, _ = (LAST_MONDAY - timedelta(weeks=len(values) - 1 - i)).isocalendar()
        points.append(Point(f"{year}-W{week:02d}", value, notes.get(i)))
    return points


TWO_YEARS = [40 + (i % 13) * 1.5 - (i % 7) * 2.25 + i / 10 for i in range(104)]


@pytest.mark.parametrize(
    ("points", "target"),
    [
        pytest.param(weeks([12.0]), 20.0, id="one point"),
        pytest.param(weeks(TWO_YEARS, {10: "a", 50: "b", 103: "c"}), 45.0, id="104 points"),
        pytest.param(weeks([-5.0, 3.0, -2.5, 8.0, -9.0, 1.0]), 0.0, id="negative values"),
        pytest.param(weeks([7.0] * 6), 7.0, id="all equal"),
        pytest.param(weeks([0.0] * 3), None, id="all zero"),
        pytest.param(weeks([3.0, 4.5, 2.0, 5.0]), None, id="no target"),
        pytest.param(weeks([3.0, 4.5, 2.0, 5.0]), 5000.0, id="target far above"),
        pytest.param(weeks([1.2e6, 1.25e6, 1.21e6]), 1.3e6, id="large values"),
    ],
)
def test_every_shape_of_trend_renders_a_whole_png(
    points: list[Point], target: float | None
) -> None:
    assert assert_valid_png(trend_png("Qualified leads", points, target, "leads")) == (800, 400)


def test_monthly_and_quarterly_labels_and_a_unit_with_symbols_render() -> None:
    months = [Point(f"2026-{m:02d}", m * 1.5) for m in range(1, 13)]
    quarters = [Point(f"2026-Q{q}", 60.0 + q, "a new hire" if q == 2 else None) for q in (1, 2)]
    assert_valid_png(trend_png("Activation rate", months, 15.0, "%"))
    assert_valid_png(trend_png("Revenue (€k)", quarters, 70.0, "€k"))


def test_no_points_is_refused_rather_than_drawn_as_an_empty_frame() -> None:
    with pytest.raises(ValueError, match="at least one point"):
        trend_png("Qualified leads", [], 10.0, "leads")


def test_noted_numbers_the_points_with_notes_in_order() -> None:
    points = weeks([1.0, 2.0, 3.0, 4.0, 5.0], {1: "holiday", 3: "new hire", 4: ""})
    assert noted(points) == [(1, points[1]), (2, points[3])]  # an empty note is no note
    assert noted(weeks([1.0, 2.0])) == []
    same = Point("2026-W48", 1.0, "twice")  # equal points are still two periods
    assert noted([same, same]) == [(1, same), (2, same)]


def test_notes_are_drawn_on_the_chart() -> None:
    plain = weeks([3.0, 4.5, 2.0, 5.0, 4.0])
    marked = weeks([3.0, 4.5, 2.0, 5.0, 4.0], {2: "server outage"})
    assert trend_png("Leads", plain, 4.0, "leads") != trend_png("Leads", marked, 4.0, "leads")


def test_charts_drawn_in_threads_at_once_match_one_drawn_alone() -> None:
    """No pyplot, no shared figure: concurrent rituals cannot draw on each other's pictures."""
    points = [weeks(TWO_YEARS[: 20 + i], {i: "note"}) for i in range(4)]
    alone = [trend_png("Leads", p, 45.0, "leads") for p in points]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda p: trend_png("Leads", p, 45.0, "leads"), points * 2))
    assert together == alone * 2


def test_sparkline_draws_rising_values_from_lowest_to_highest_block() -> None:
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert sparkline([0.0, 10.0]) == "▁█"
    drawn = sparkline([float(v) for v in range(30)])
    assert (drawn[0], drawn[-1]) == ("▁", "█")
    assert list(drawn) == sorted(drawn)


def test_sparkline_of_equal_values_is_a_flat_middle_line() -> None:
    assert sparkline([5.0, 5.0, 5.0]) == "▄▄▄"
    assert sparkline([-2.0]) == "▄"


def test_sparkline_of_nothing_is_empty() -> None:
    assert sparkline([]) == ""


def test_sparkline_keeps_the_latest_52_values() -> None:
    values = [float(v) for v in range(200)]
    drawn = sparkline(values)
    assert len(drawn) == 52
    assert drawn == sparkline(values[-52:])
    assert sparkline([9.0] * 148 + [float(v) for v in range(52)])[0] == "▁"  # the old max is gone


QUESTION = "How does chasing Qualified leads feel right now?"


def columns_in(png: bytes, colour: str) -> dict[int, int]:
    """How many pixels of about this colour ("#rrggbb") each column of the picture has, if any."""
    want = bytes.fromhex(colour.removeprefix("#"))
    with PIL.Image.open(io.BytesIO(png)) as image:
        picture = image.convert("RGB")
    width, height = picture.size
    data = picture.tobytes()  # row after row, three bytes a pixel

    def near(at: int) -> bool:
        return sum(abs(a - b) for a, b in zip(data[at : at + 3], want, strict=True)) <= 40

    found: dict[int, int] = {}
    for x in range(width):
        n = sum(near(3 * (y * width + x)) for y in range(height))
        if n:
            found[x] = n
    return found


def bars_in(png: bytes) -> list[tuple[float, int]]:
    """The bars drawn, left to right: each one's middle column and its height in pixels."""
    columns = columns_in(png, LINE)
    runs: list[list[int]] = []
    for x in sorted(columns):
        if runs and x == runs[-1][-1] + 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    return [((run[0] + run[-1]) / 2, max(columns[x] for x in run)) for run in runs]


@pytest.mark.parametrize(
    "counts",
    [
        pytest.param([1, 2, 4, 3, 1], id="spread"),
        pytest.param([0, 0, 7, 0, 0], id="all okay"),
        pytest.param([5, 0, 0, 0, 0], id="all crushing"),
        pytest.param([0, 0, 0, 0, 3], id="all energising"),
        pytest.param([2, 0, 1, 0, 0], id="some zeros"),
        pytest.param([0, 1, 0, 0, 0], id="one answer"),
        pytest.param([900, 45, 0, 1, 1000], id="many answers"),
    ],
)
def test_every_shape_of_pulse_renders_a_small_whole_png(counts: list[int]) -> None:
    png = pulse_png(QUESTION, counts)
    assert assert_valid_png(png) == (600, 300)
    assert len(png) < 30 * 1024, f"{len(png)} bytes: too big for a Teams card"
    assert png_chunks(png)[0][1][9] == 3  # drawn with a palette, as every chart is kept small


def test_pulse_bars_stand_as_tall_as_their_counts_and_only_where_someone_answered() -> None:
    spread = bars_in(pulse_png(QUESTION, [1, 2, 4, 3, 1]))
    assert len(spread) == 5
    one = spread[0][1]
    heights = [height for _, height in spread]
    assert [round(height / one) for height in heights] == [1, 2, 4, 3, 1]
    assert all(abs(h - n * one) <= 2 for h, n in zip(heights, [1, 2, 4, 3, 1], strict=True))
    lonely = bars_in(pulse_png(QUESTION, [0, 0, 7, 0, 0]))
    assert len(lonely) == 1
    assert lonely[0][0] == pytest.approx(spread[2][0], abs=1)  # over "3", not anywhere


@pytest.mark.parametrize("counts", [[1, 1, 1, 1, 4], [3, 1, 1, 1, 1], [1, 2, 4, 3, 1]])
def test_the_pulse_chart_marks_its_mean_where_the_score_would_be(counts: list[int]) -> None:
    png = pulse_png(QUESTION, counts)
    middles = [x for x, _ in bars_in(png)]
    step = (middles[-1] - middles[0]) / 4
    line = max(columns_in(png, NOTE).items(), key=lambda column: column[1])[0]
    assert line == pytest.approx(middles[0] + (mean_score(counts) - 1) * step, abs=2)


def test_the_same_pulse_gives_the_same_bytes_and_a_different_one_does_not() -> None:
    png = pulse_png(QUESTION, [1, 2, 4, 3, 1])
    assert pulse_png(QUESTION, [1, 2, 4, 3, 1]) == png
    assert pulse_png(QUESTION, (1, 2, 4, 3, 1)) == png  # any sequence of counts
    assert pulse_png(QUESTION, [1, 2, 4, 3, 2]) != png
    assert pulse_png("How does chasing Activation rate feel?", [1, 2, 4, 3, 1]) != png


def test_pulses_drawn_in_threads_at_once_match_one_drawn_alone() -> None:
    """No pyplot, no shared figure: two teams' pulses cannot draw on each other's pictures."""
    counts = [[1, 2, 4, 3, 1], [0, 0, 7, 0, 0], [6, 1, 0, 0, 2], [0, 3, 3, 3, 40]]
    alone = [pulse_png(QUESTION, c) for c in counts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda c: pulse_png(QUESTION, c), counts * 2))
    assert together == alone * 2
    assert len(set(alone)) == 4


@pytest.mark.parametrize(
    ("counts", "problem"),
    [
        pytest.param([1, 2, 3, 4], "5 counts", id="four"),
        pytest.param([1, 2, 3, 4, 5, 6], "5 counts", id="six"),
        pytest.param([], "5 counts", id="none"),
        pytest.param([1, 2, -1, 4, 5], "0 or more", id="negative"),
        pytest.param([1, 2, 3.0, 4, 5], "whole numbers", id="a float"),
        pytest.param([True, 0, 0, 0, 0], "whole numbers", id="a bool"),
        pytest.param([0, 0, 0, 0, 0], "no answers", id="all zero"),
    ],
)
def test_counts_that_cannot_be_a_pulse_are_refused_everywhere(
    counts: list[int], problem: str
) -> None:
    for use in (lambda: pulse_png(QUESTION, counts), lambda: pulse_bars(counts)):
        with pytest.raises(ValueError, match=problem):
            use()
    with pytest.raises(ValueError, match=problem):
        mean_score(counts)


def test_mean_score_is_the_mean_of_the_answers() -> None:
    assert mean_score([1, 2, 4, 3, 1]) == pytest.approx(34 / 11)
    assert mean_score([0, 0, 7, 0, 0]) == 3.0
    assert mean_score([1, 0, 0, 0, 1]) == 3.0
    assert mean_score([2, 0, 0, 0, 0]) == 1.0
    assert mean_score([0, 0, 0, 0, 3]) == 5.0
    assert mean_score([0, 1, 0, 0, 0]) == 2.0
    assert mean_score([0, 0, 0, 1, 3]) == 4.75


def test_pulse_bars_draw_a_block_per_answer_for_a_small_team() -> None:
    assert pulse_bars([2, 0, 5, 1, 0]) == (
        "1 crushing    ██ 2\n"
        "2 heavy       0\n"
        "3 okay        █████ 5\n"
        "4 good        █ 1\n"
        "5 energising  0"
    )
    assert [line.split()[1] for line in pulse_bars([1, 1, 1, 1, 1]).splitlines()] == list(
        PULSE_WORDS
    )
    assert pulse_bars([20, 0, 0, 0, 0]).splitlines()[0] == "1 crushing    " + "█" * 20 + " 20"


def test_pulse_bars_are_scaled_to_20_blocks_and_keep_a_block_for_any_answer() -> None:
    assert pulse_bars([40, 1, 0, 10, 25]) == (
        "1 crushing    ████████████████████ 40\n"
        "2 heavy       █ 1\n"  # half a block, rounded up
        "3 okay        0\n"
        "4 good        █████ 10\n"
        "5 energising  █████████████ 25"  # 12.5 blocks, rounded up
    )
    assert pulse_bars([0, 1000, 1, 0, 0]).splitlines()[1:3] == [
        "2 heavy       " + "█" * 20 + " 1000",
        "3 okay        █ 1",  # a fiftieth of a block is still somebody
    ]
    assert pulse_bars([21, 0, 0, 0, 0]).splitlines()[0] == "1 crushing    " + "█" * 20 + " 21"


def test_dollar_signs_in_a_name_or_unit_are_text_not_mathematics() -> None:
    """Matplotlib would read "$_$" as maths and raise: a KPI's name is people's words."""
    points = [Point("2026-W47", 10.0), Point("2026-W48", 12.0)]
    assert_valid_png(trend_png("Spend $_$ per lead", points, 11.0, "$"))
    assert_valid_png(pulse_png("How does chasing Spend $_$ per lead feel?", [1, 0, 2, 0, 1]))
