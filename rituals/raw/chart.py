"""KPI Raw's picture: each shared KPI's recent periods as a share of its target, one line
each, so a team sees the shapes at a glance.

Drawn with Pillow, not matplotlib: a tick may write a thousand issues, and a line drawing
takes a few milliseconds this way. No red and no green, on purpose: the newsletter shows
numbers, not verdicts; the lines are blues and greys, the target a dashed grey line.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass

import PIL.Image
import PIL.ImageDraw
import PIL.ImageFont

from rituals.core.charts import sparkline

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
def _fonts() -> tuple[PIL.ImageFont.FreeTypeFont | PIL.ImageFont.ImageFont, ...]:
    """Pillow's own font at two sizes, loaded once per process."""
    return PIL.ImageFont.load_default(size=14), PIL.ImageFont.load_default(size=12)


def raw_png(title: str, lines: Sequence[Line]) -> bytes:
    """The picture: percent of target over the latest periods, a line per KPI."""
    # Drawn straight onto a small palette (no quantizing afterwards, the slow part of a PNG).
    image = PIL.Image.new("P", (WIDTH, HEIGHT), 0)
    colours = [(255, 255, 255), INK, MUTED, *LINES]
    colours += [(255, 255, 255)] * (32 - len(colours))  # 32 entries: 8 bits a pixel, as ours
    image.putpalette([c for colour in colours for c in colour])
    ink, muted = 1, 2
    draw = PIL.ImageDraw.Draw(image)
    font, small = _fonts()
    draw.text((LEFT, 14), title[:80], fill=ink, font=font)
    top = max(120.0, *(p for line in lines for p in line.percents))
    span = max(len(line.percents) for line in lines)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(percent: float) -> float:
        return TOP + plot_h * (1 - max(0.0, percent) / top)

    for mark in (0, 50, 100):
        draw.text((8, y(mark) - 7), f"{mark}%", fill=muted, font=small)
    for x in range(LEFT, LEFT + plot_w, 12):  # the target, dashed
        draw.line([(x, y(100)), (x + 6, y(100))], fill=muted, width=1)
    draw.line([(LEFT, TOP + plot_h), (LEFT + plot_w, TOP + plot_h)], fill=muted, width=1)
    draw.text(
        (LEFT, TOP + plot_h + 10), f"the last {span} periods, oldest left", fill=muted, font=small
    )
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
        draw.text((WIDTH - RIGHT + 36, top_y - 2), line.name[:26], fill=ink, font=small)
        if line.who:
            draw.text((WIDTH - RIGHT + 36, top_y + 13), line.who[:26], fill=muted, font=small)
    legend_end = TOP + len(lines) * ROW + 4
    draw.text((WIDTH - RIGHT + 15, legend_end), "- - target (100%)", fill=muted, font=small)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)  # flat colours compress well anyway
    return out.getvalue()
