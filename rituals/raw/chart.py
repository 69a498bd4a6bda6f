"""KPI Raw's picture: each shared KPI's recent periods as a share of its target, one line
each, so a team sees the shapes at a glance.

Drawn with Pillow, not matplotlib: a tick may write a thousand issues, and a line drawing
takes a few milliseconds this way; its words come from the charts' cache of drawn words
(`stamp`), in the charts' typeface, which has the letters of people's names in Greek and
Cyrillic too. No red and no green, on purpose: the newsletter shows
numbers, not verdicts; the lines are blues and greys, the target a dashed grey line.
"""

from __future__ import annotations

import functools
import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rituals.core.charts import sparkline
from rituals.core.drawing import stamp

if TYPE_CHECKING:  # Pillow is imported by the first picture drawn
    import PIL.Image
    import PIL.ImageDraw

WIDTH, HEIGHT = 900, 420
LEFT, RIGHT, TOP, BOTTOM = 60, 230, 50, 50
INK = (31, 41, 55)
MUTED = (156, 163, 175)
# Blues, purples and greys: distinct lines without a colour that reads as good or bad.
LINES = (
    (37, 99, 235),
    (124, 58, 237),
    (14, 116, 144),
    (71, 85, 105),
    (147, 51, 234),
    (30, 64, 175),
)
# The shortest line worth a picture: fewer periods say nothing a sentence could not.
FEWEST = 3
MOST_KPIS = 6
# A legend entry's height: the KPI's name, and whose it is under it.
ROW = 34
TITLE_SIZE, SMALL_SIZE = 14, 12


@dataclass(frozen=True)
class Line:
    """One KPI: its name and its latest periods' values as percent of its target."""

    name: str
    percents: tuple[float, ...]
    # Whose it is, under its name in the legend (a team's KPIs often share a name).
    who: str = ""


def worth_a_picture(lines: Sequence[Line]) -> list[Line]:
    """The lines with a shape to see, at most `MOST_KPIS` (in the order given: by name)."""
    return [line for line in lines if len(line.percents) >= FEWEST][:MOST_KPIS]


def sketch(lines: Sequence[Line]) -> str:
    """The text drawing for places without pictures: a sparkline per KPI."""
    return "\n".join(
        f"{line.name}{f' ({line.who})' if line.who else ''}: {sparkline(line.percents)}"
        for line in lines
    )


@functools.cache
def _dashes(width: int) -> PIL.Image.Image:
    """The target's dashed line as a mask, drawn once: 6 pixels on, 6 off."""
    import PIL.Image
    import PIL.ImageDraw

    mask = PIL.Image.new("1", (width, 1), 0)
    PIL.ImageDraw.Draw(mask).point([(x, 0) for x in range(width) if x % 12 <= 6], fill=1)
    return mask


def raw_png(title: str, lines: Sequence[Line]) -> bytes:
    """The picture: percent of target over the latest periods, a line per KPI."""
    import PIL.Image
    import PIL.ImageDraw

    # Drawn straight onto a small palette (no quantizing afterwards, the slow part of a PNG).
    image = PIL.Image.new("P", (WIDTH, HEIGHT), 0)
    colours = [(255, 255, 255), INK, MUTED, *LINES]
    colours += [(255, 255, 255)] * (32 - len(colours))  # 32 entries: 8 bits a pixel, as ours
    image.putpalette([c for colour in colours for c in colour])
    ink, muted = 1, 2
    draw = PIL.ImageDraw.Draw(image)
    stamp(image, (LEFT, 14), title[:80], TITLE_SIZE, ink)
    top = max(120.0, *(p for line in lines for p in line.percents))
    span = max(len(line.percents) for line in lines)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(percent: float) -> float:
        return TOP + plot_h * (1 - max(0.0, percent) / top)

    for mark in (0, 50, 100):
        stamp(image, (8, y(mark) - 7), f"{mark}%", SMALL_SIZE, muted)
    image.paste(muted, (LEFT, round(y(100))), _dashes(plot_w))  # the target
    draw.line([(LEFT, TOP + plot_h), (LEFT + plot_w, TOP + plot_h)], fill=muted, width=1)
    caption = f"the last {span} periods, oldest left"
    stamp(image, (LEFT, TOP + plot_h + 10), caption, SMALL_SIZE, muted)
    for i, line in enumerate(lines):
        colour = 3 + i % len(LINES)
        step = plot_w / max(1, span - 1)
        offset = span - len(line.percents)
        points = [(LEFT + (offset + j) * step, y(p)) for j, p in enumerate(line.percents)]
        draw.line(points, fill=colour, width=3)
        for px, py in points:
            draw.ellipse([px - 3, py - 3, px + 3, py + 3], fill=colour)
        top_y = TOP + i * ROW
        draw.rectangle([WIDTH - RIGHT + 15, top_y, WIDTH - RIGHT + 29, top_y + 12], fill=colour)
        stamp(image, (WIDTH - RIGHT + 36, top_y - 2), line.name[:26], SMALL_SIZE, ink)
        if line.who:
            stamp(image, (WIDTH - RIGHT + 36, top_y + 13), line.who[:26], SMALL_SIZE, muted)
    legend_end = TOP + len(lines) * ROW + 4
    stamp(image, (WIDTH - RIGHT + 15, legend_end), "- - target (100%)", SMALL_SIZE, muted)
    out = io.BytesIO()
    # Flat colours and hard edges are runs of one index: zlib's run-length mode packs them as
    # small as its level 3 does, in half the time.
    image.save(out, format="PNG", compress_type=zlib.Z_RLE)
    return out.getvalue()
