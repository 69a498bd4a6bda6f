"""Pictures of KPI numbers: a trend chart for chats that show images, a sparkline for the rest;
and the same two for a tension pulse's answers, a bar chart and lines of blocks.

A column of numbers hides the shape people need to see: is it climbing, did it dip, how far from
the target, how a team's answers spread. Every chart is drawn with matplotlib's object API on an
Agg canvas of its own, never pyplot and never the global rcParams, because rituals run
concurrently and pyplot's current-figure state and global styles would leak between them. Every
style is passed per call for the same reason, so a chart looks the same whatever else the process
has configured. Pictures drawn with Pillow instead (the skills heat-map, KPI Raw's lines) take
their typeface, words and palette from rituals.core.drawing.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib (about 40 MiB) is imported by the first chart drawn, not at start
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MAX_LABELS = 8  # more x labels than this collide at 8 inches wide ("2026-W48" is ~0.6 inch)
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 52  # a year of weeks: fits a terminal line with room for the KPI's name
# The tension pulse's scores 1 to 5 in words, for the chart and for the messages that explain it.
PULSE_WORDS = ("crushing", "heavy", "okay", "good", "energising")
PULSE_BAR_WIDTH = 20  # the console's longest pulse bar, in blocks

LINE = "#2563eb"
NOTE = "#ea580c"
TARGET = "#16a34a"
MUTED = "#6b7280"


@dataclass(frozen=True)
class Point:
    """One period's value on a trend: the period's name as people read it, and its context note."""

    label: str  # e.g. "2026-W48", "2026-11", "2026-Q4"
    value: float
    note: str | None = None


def noted(points: Sequence[Point]) -> list[tuple[int, Point]]:
    """The points that carry a note, numbered from 1 as the chart marks them.

    The picture has no room for the notes' words, so the message lists them by these numbers;
    both come from here so they cannot disagree.
    """
    return [(number, point) for number, (_, point) in enumerate(_with_notes(points), start=1)]


def _with_notes(points: Sequence[Point]) -> list[tuple[int, Point]]:
    """The noted points with their positions: equal points may repeat, so no looking them up."""
    return [(i, point) for i, point in enumerate(points) if point.note]


def trend_png(title: str, points: Sequence[Point], target: float | None, unit: str) -> bytes:
    """PNG of the values over periods, with the target dashed and the noted points numbered.

    Shows the shape of the numbers, so it is kept sparse: at most MAX_LABELS period names (the
    latest always among them, since that is the one being discussed), and y limits that take in
    the target too, so a target far off the values still shows how far off it is.
    """
    if not points:
        raise ValueError("a trend needs at least one point")
    xs = range(len(points))
    ys = [p.value for p in points]

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4), dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_facecolor("white")
    small = len(points) <= 30
    ax.plot(xs, ys, color=LINE, linewidth=2, marker="o", markersize=5 if small else 3, zorder=3)

    marked = _with_notes(points)
    if marked:
        spots = [i for i, _ in marked], [point.value for _, point in marked]
        ax.plot(*spots, linestyle="none", marker="D", markersize=8, color=NOTE, zorder=4)
    for number, (i, point) in enumerate(marked, start=1):
        ax.annotate(
            str(number),
            (i, point.value),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=9,
            fontweight="bold",
            color=NOTE,
            bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            in_layout=False,  # inside the plot, under the headroom: no need to measure
        )

    low, high = min(ys), max(ys)
    if target is not None:
        low, high = min(low, target), max(high, target)
        ax.axhline(target, color=TARGET, linestyle="--", linewidth=1.5, zorder=2)
        ax.annotate(  # beside the plot, where no value can hide it
            "target",
            (1, target),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=9,
            color=TARGET,
        )
    if low < 0 < high:
        ax.axhline(0, color=MUTED, linewidth=0.8, zorder=1)
    pad = (high - low) * 0.12 or max(abs(high) * 0.1, 1.0)  # all equal: a flat line mid-height
    ax.set_ylim(low - pad, high + pad * (1.6 if marked else 1))  # room for the note numbers
    ax.set_xlim(-0.5, len(points) - 0.5)

    step = math.ceil(len(points) / MAX_LABELS)
    ticks = list(range(len(points) - 1, -1, -step))[::-1]
    ax.set_xticks(ticks, [points[i].label for i in ticks], fontsize=9, parse_math=False)
    ax.tick_params(axis="y", labelsize=9)
    ax.ticklabel_format(axis="y", style="plain", useOffset=False)
    ax.set_ylabel(unit, fontsize=10, parse_math=False)
    return _finished(fig, ax, title)


def _finished(fig: Figure, ax: Axes, title: str) -> bytes:
    """The house style every chart ends with, and its PNG."""
    _house_style(ax, title)
    # Not savefig's bbox_inches="tight": it crops to a different size per chart, and is slower.
    fig.tight_layout()
    buffer = io.BytesIO()
    # savefig's own facecolor and no version stamp: the same chart gives the same bytes whatever
    # the process's rcParams and matplotlib's release.
    fig.savefig(buffer, format="png", facecolor="white", metadata={"Software": None})
    return _fewer_colours(buffer.getvalue())


def _house_style(ax: Axes, title: str) -> None:
    """The title as plain text (people's words, never matplotlib's maths: "Spend $_$ per
    lead"), light y grid, no top or right spine, a palette."""
    ax.set_title(title, fontsize=12, loc="left", parse_math=False)
    ax.grid(axis="y", color="#e5e7eb", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _fewer_colours(png: bytes) -> bytes:
    """The chart with a 64-colour palette: a third of the bytes, the same picture to the eye.

    A two-year chart in full colour (about 70 KB) is too big to sit inside a Teams card, and
    this keeps every trend inline there."""
    import PIL.Image  # Pillow (3 MiB) is imported by the first chart drawn, not at start

    with PIL.Image.open(io.BytesIO(png)) as image:
        palette = image.convert("RGB").quantize(colors=64, method=PIL.Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _checked(counts: Sequence[int]) -> list[int]:
    """The counts as a list, refused unless they can be a pulse's answers.

    A wrong length or a negative count means the caller mixed something up, and no answers at all
    would be a mean of nothing and a chart of empty bars: all better refused than drawn.
    """
    answers = list(counts)
    if len(answers) != len(PULSE_WORDS):
        raise ValueError(
            f"a pulse has {len(PULSE_WORDS)} counts, one per score; got {len(answers)}"
        )
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in answers):
        raise ValueError(f"a pulse's counts are whole numbers of answers, 0 or more; got {answers}")
    if sum(answers) < 1:
        raise ValueError("a pulse with no answers has no results to show")
    return answers


def mean_score(counts: Sequence[int]) -> float:
    """The mean of the answers, from the counts per score.

    The chart marks it and the messages say it, so both take it from here and cannot disagree.
    """
    answers = _checked(counts)
    return sum(score * n for score, n in enumerate(answers, start=1)) / sum(answers)


def pulse_png(title: str, counts: Sequence[int]) -> bytes:
    """PNG of how many answered each score, with the mean dashed.

    Only the counts are drawn, never who answered what. It is small (600x300) because it sits
    inline in a Teams card beside the question, and the y axis counts people, so whole numbers.
    """
    answers = _checked(counts)
    mean = mean_score(answers)
    scores = range(1, len(answers) + 1)

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(6, 3), dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_facecolor("white")
    bars = ax.bar(scores, answers, width=0.6, color=LINE, zorder=3)
    # On white and over the mean's line, which a whole-number mean runs through the middle of.
    for count in ax.bar_label(bars, padding=2, fontsize=9):
        count.set(zorder=5, bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"})

    ax.axvline(mean, color=NOTE, linestyle="--", linewidth=1.5, zorder=4)
    right = mean > 4.5  # near the right edge the label would run out of the plot: put it left
    ax.annotate(
        f"mean {mean:.1f}",
        (mean, 1),
        xycoords=("data", "axes fraction"),
        xytext=(-4 if right else 4, -2),
        textcoords="offset points",
        ha="right" if right else "left",
        va="top",
        fontsize=9,
        color=NOTE,
        in_layout=False,  # inside the plot, in the headroom above the bars: no need to measure
    )

    ax.set_xlim(0.4, len(answers) + 0.6)
    ax.set_ylim(0, max(answers) * 1.4)  # headroom for the counts over the bars and the mean
    ax.set_xticks(list(scores), [f"{s}\n{w}" for s, w in zip(scores, PULSE_WORDS, strict=True)])
    ax.tick_params(axis="x", length=0, labelsize=9)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="y", labelsize=9)
    ax.set_ylabel("answers", fontsize=10)
    return _finished(fig, ax, title)


def pulse_bars(counts: Sequence[int]) -> str:
    """The pulse's counts drawn with block characters, one line per score, for the console.

    The console shows no pictures. A small team's answers get a block each, so the bars can be
    counted; past PULSE_BAR_WIDTH answers the bars are scaled so the longest still fits, and any
    score someone chose keeps at least one block so it never looks like nobody did.
    """
    answers = _checked(counts)
    most = max(answers)
    width = max(len(word) for word in PULSE_WORDS)
    lines = []
    for score, (word, n) in enumerate(zip(PULSE_WORDS, answers, strict=True), start=1):
        if most <= PULSE_BAR_WIDTH:
            blocks = n
        else:  # rounded half up, in whole numbers, and never down to nothing
            blocks = max(1, (2 * n * PULSE_BAR_WIDTH + most) // (2 * most)) if n else 0
        bar = "█" * blocks + " " if blocks else ""
        lines.append(f"{score} {word:<{width}}  {bar}{n}")
    return "\n".join(lines)


def sparkline(values: Sequence[float]) -> str:
    """A one-line text drawing of the values with block characters, lowest to highest.

    For places that show no pictures (the terminal console). Equal values say "no change" with a
    flat line at mid-height rather than all lows or all highs, and only the latest SPARK_WIDTH
    values are drawn so the line never wraps.
    """
    recent = list(values)[-SPARK_WIDTH:]
    if not recent:
        return ""
    low, high = min(recent), max(recent)
    if high == low:
        return SPARK_BLOCKS[len(SPARK_BLOCKS) // 2 - 1] * len(recent)
    top = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[round((v - low) / (high - low) * top)] for v in recent)
