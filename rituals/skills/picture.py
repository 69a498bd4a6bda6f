"""The skills heat-map as a picture for Slack and Teams, and as a grid of digits for the console.

People by skills, a colour per level with the level's number written in the cell too (so the
map reads without telling colours apart, and in grey print), and a legend. It is 800 pixels
wide, what Teams' cards and Slack's image previews scale down from without the names running
together, and grows in height with the number of people.

Drawn with Pillow, not matplotlib: a map is flat cells, and matplotlib took half a second to
lay out 50 people by 15 skills; here each level's cell (colour and digit) is drawn once and
stamped where it goes. It keeps the charts' typeface and palette (rituals.core.charts).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rituals.core.drawing import flat_png, font, stamp, text_width
from rituals.skills.store import LEVELS, MapData

if TYPE_CHECKING:  # Pillow is imported by the first picture drawn
    import PIL.Image
    import PIL.ImageDraw
    import PIL.ImageFont

# Not rated (or not shown), then learning to can teach: light to deep, one hue, so the eye
# reads "more" without any colour meaning "bad".
BLANK = "#f3f4f6"
EDGE = "#d1d5db"  # the blank swatch's outline in the legend, which white would lose
COLOURS = ("#dbeafe", "#93c5fd", "#3b82f6", "#1e3a8a")
INK = ("#1e3a8a", "#1e3a8a", "#ffffff", "#ffffff")
TEXT = "#000000"
WIDTH = 800
MARGIN = 16
ROW = 30  # a person's row, the white gap between cells included
GAP = 2
WIDEST_CELL = 90  # a map of three skills keeps square-ish cells, not three wide bands
ANGLE = 35  # the skills' names rise to the right over their columns, like a table's header
# A skill's name is cut to this many characters over its column: 40 would not fit 15 columns.
LABEL_CHARS = 18
PERSON_CHARS = 24  # a person's name beside their row
NAME_CHARS = 16  # a person's name on the console's grid
TITLE_SIZE, LABEL_SIZE, DIGIT_SIZE, LEGEND_SIZE = 17, 12, 14, 11
LOWEST = 300  # pixels: a map of one person is still a picture, not a strip


def heat_map_png(title: str, data: MapData) -> bytes:
    """PNG of the map: a row per person shown, a column per skill."""
    import PIL.Image

    if not data.skills:
        raise ValueError("a heat-map needs at least one skill")
    rows = data.rows or [("(nobody shown yet)", [None] * len(data.skills))]
    names = [_cut(name, PERSON_CHARS) for name, _ in rows]
    labels = [_label(_cut(skill, LABEL_CHARS)) for skill in data.skills]
    left = MARGIN + max(text_width(name, LABEL_SIZE) for name in names) + 8
    cell = _cell_width(WIDTH - MARGIN - left, labels)
    top = MARGIN + TITLE_SIZE + 12 + max(label.height for label in labels) + 4
    bottom = top + ROW * len(rows)
    height = max(LOWEST, bottom + 16 + LEGEND_SIZE + 8 + MARGIN)
    image = PIL.Image.new("RGB", (WIDTH, height), "white")
    stamp(image, (MARGIN, MARGIN), title, TITLE_SIZE, TEXT)
    x0 = round(left)
    for n, label in enumerate(labels):  # its foot just left of its column's middle
        image.paste(TEXT, (x0 + round((n + 0.5) * cell) - 4 - _FOOT, top - 4 - label.height), label)
    tiles = _tiles(cell - GAP, ROW - GAP)
    for y, ((_, levels), name) in enumerate(zip(rows, names, strict=True)):
        middle = top + y * ROW + (ROW - GAP) // 2
        stamp(image, (left - 8, middle), name, LABEL_SIZE, TEXT, "rm")
        for x, level in enumerate(levels):
            image.paste(tiles[level or 0], (x0 + x * cell, top + y * ROW))
    _legend(image, (x0 + WIDTH - MARGIN) // 2, bottom + 16)
    return flat_png(image, (BLANK, EDGE, *COLOURS, *INK, TEXT))


@functools.lru_cache(maxsize=512)
def _label(text: str) -> PIL.Image.Image:
    """A skill's name as a mask, turned to rise over its column; a team's few are kept for
    its next map."""
    import PIL.Image
    import PIL.ImageDraw

    face = font(LABEL_SIZE)
    flat = PIL.Image.new("L", (math.ceil(face.getlength(text)) + 1, LABEL_SIZE + 4), 0)
    PIL.ImageDraw.Draw(flat).text((0, 1), text, fill=255, font=face)
    return flat.rotate(ANGLE, resample=PIL.Image.Resampling.BICUBIC, expand=True)


def _cell_width(room: float, labels: Sequence[PIL.Image.Image]) -> int:
    """The widest cell that fits the columns in the room, and the last names rising over the
    right edge too: a turned name reaches its own width times the cosine past its foot."""
    widest = min(float(WIDEST_CELL), room / len(labels))
    for n, label in enumerate(labels):
        reach = label.width - _FOOT
        widest = min(widest, (room + 4 - reach) / (n + 0.5))
    return max(12, math.floor(widest))


# How far right of its turned box's left edge a name's foot (its lower left corner) is.
_FOOT = round((LABEL_SIZE + 4) * math.sin(math.radians(ANGLE)))


def _tiles(width: int, height: int) -> list[PIL.Image.Image]:
    """A cell of each level, blank first, its colour and its digit, to stamp across the map."""
    import PIL.Image
    import PIL.ImageDraw

    digit = font(DIGIT_SIZE)
    tiles = [PIL.Image.new("RGB", (width, height), BLANK)]
    for level, (colour, ink) in enumerate(zip(COLOURS, INK, strict=True), start=1):
        tile = PIL.Image.new("RGB", (width, height), colour)
        PIL.ImageDraw.Draw(tile).text(
            (width / 2, height / 2), str(level), fill=ink, font=digit, anchor="mm"
        )
        tiles.append(tile)
    return tiles


def _legend(image: PIL.Image.Image, middle: int, y: int) -> None:
    """A swatch and its words per level, blank first, centred under the cells."""
    import PIL.ImageDraw

    words = ["not rated or not shown"] + [f"{n} {w}" for n, w in enumerate(LEVELS, start=1)]
    swatch, space = LEGEND_SIZE + 2, 18
    widths = [swatch + 5 + text_width(w, LEGEND_SIZE) for w in words]
    x = max(MARGIN, middle - (sum(widths) + space * (len(words) - 1)) / 2)
    draw = PIL.ImageDraw.Draw(image)
    for colour, said, width in zip((BLANK, *COLOURS), words, widths, strict=True):
        draw.rectangle(
            [x, y, x + swatch, y + swatch], fill=colour, outline=EDGE if colour == BLANK else None
        )
        stamp(image, (x + swatch + 5, y + swatch / 2), said, LEGEND_SIZE, TEXT, "lm")
        x += width + space


def heat_map_sketch(data: MapData) -> str:
    """The map as text: a column per skill, numbered, a digit per level, "·" where blank, and
    a key of the columns' numbers below, since skill names do not fit over a terminal's
    columns."""
    width = max([len(_cut(name, NAME_CHARS)) for name, _ in data.rows] + [4])
    head = " ".join(f"{n:>2}" for n in range(1, len(data.skills) + 1))
    lines = [f"{'':<{width}}  {head}"]
    for name, levels in data.rows:
        cells = " ".join(f"{'·' if level is None else level:>2}" for level in levels)
        lines.append(f"{_cut(name, NAME_CHARS):<{width}}  {cells}")
    if not data.rows:
        lines.append("(nobody shown yet)")
    lines += [f"{n:>2} {name}" for n, name in enumerate(data.skills, start=1)]
    lines.append("  ".join(f"{n} {word}" for n, word in enumerate(LEVELS, start=1)) + "  · blank")
    return "\n".join(lines)


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
