"""Pictures drawn with Pillow rather than matplotlib (the skills heat-map, KPI Raw's lines):
the charts' typeface, words written from a cache of drawn words, and a small PNG in a few flat
colours.

Laying out hundreds of cells and labels is what matplotlib is slowest at, and a tick writes a
thousand newsletters: these pictures are drawn straight onto pixels instead, and look like the
charts (rituals.core.charts) all the same.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rituals.core.charts import MUTED

if TYPE_CHECKING:  # Pillow is imported by the first picture drawn
    import PIL.Image
    import PIL.ImageDraw
    import PIL.ImageFont


def flat_png(image: PIL.Image.Image, colours: Sequence[str]) -> bytes:
    """A small PNG of a picture drawn with Pillow in a few flat colours (the skills heat-map):
    it sits inside a Teams card.

    The picture is mapped onto those colours, the house ones and the blends between them (what
    antialiased edges and text are made of), which is exact and a tenth of the work of finding
    a palette."""
    import PIL.Image

    reduced = image.quantize(palette=_palette(tuple(colours)), dither=PIL.Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="PNG")
    return out.getvalue()


@functools.cache
def font(size: int) -> PIL.ImageFont.FreeTypeFont:
    """The charts' typeface (DejaVu Sans, what matplotlib draws every other chart with) at a
    pixel size, for pictures drawn with Pillow; loaded once per size and process.

    Not Pillow's own default: people's names are in many scripts, and DejaVu covers Latin,
    Greek and Cyrillic alike. It ships with matplotlib, a dependency anyway. Letters are set
    side by side (Pillow's basic layout), as matplotlib sets them: no shaping, and twice as
    fast."""
    import PIL.ImageFont

    return PIL.ImageFont.truetype(str(_DEJAVU), size, layout_engine=PIL.ImageFont.Layout.BASIC)


# Found where matplotlib keeps it, without importing matplotlib (40 MiB) for a path.
_MATPLOTLIB = importlib.util.find_spec("matplotlib")
assert _MATPLOTLIB is not None
assert _MATPLOTLIB.submodule_search_locations
_DEJAVU = (
    Path(next(iter(_MATPLOTLIB.submodule_search_locations)))
    / "mpl-data"
    / "fonts"
    / "ttf"
    / "DejaVuSans.ttf"
)


BLENDS = 1  # the midpoint of two colours: the palette stays within 64, and edges stay smooth


@functools.cache
def _palette(colours: tuple[str, ...]) -> PIL.Image.Image:
    """A palette image of the colours, white, the house greys, and the blends of every pair."""
    import PIL.Image

    base = [_rgb(c) for c in ("#ffffff", "#000000", MUTED, "#e5e7eb", *colours)]
    found = dict.fromkeys(base)
    for i, a in enumerate(base):
        for b in base[i + 1 :]:
            for step in range(1, BLENDS + 1):
                t = step / (BLENDS + 1)
                blend = tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
                # One too near a colour of the picture would be taken for it (white, say).
                if min(sum(abs(p - q) for p, q in zip(blend, c, strict=True)) for c in base) > 24:
                    found[blend] = None
    flat = [channel for colour in list(found)[:256] for channel in colour]
    image = PIL.Image.new("P", (1, 1))
    image.putpalette(flat)
    return image


def _rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def text_width(text: str, size: int, sharp: bool = False) -> float:
    """How wide `stamp` writes the text, in pixels, from the same words (`sharp`: on a
    palette picture, where letters are hinted for hard edges and come out wider)."""
    words = text.split(" ")
    space = _word(size, " ", sharp)[1]
    return sum(_word(size, word, sharp)[1] for word in words) + space * (len(words) - 1)


Ink = int | str | tuple[int, int, int]  # a palette index, or a colour


def stamp(
    image: PIL.Image.Image,
    xy: tuple[float, float],
    text: str,
    size: int,
    ink: Ink,
    anchor: str = "la",
) -> None:
    """Write the text on the picture as `ImageDraw.text` would (the anchor's first letter l or
    r, its second a or m), from words drawn once per process and size.

    Drawing letters is most of a Pillow picture's cost (a few hundred microseconds a name),
    and the same words come back picture after picture: the axis's marks, "KPI", a team's
    names, the same week. A palette picture gets hard-edged words, as Pillow draws on one
    (its palette has no blends); any other, antialiased ones."""
    sharp = image.mode in ("1", "P")
    words = [_word(size, word, sharp) for word in text.split(" ")]
    space = _word(size, " ", sharp)[1]
    width = text_width(text, size, sharp)
    x = xy[0] - {"l": 0.0, "r": width}[anchor[0]]
    y = xy[1] + _drop(size, anchor[1])
    for mask, advance in words:
        if advance:
            image.paste(ink, (round(x) - _PAD, round(y)), mask)
        x += advance + space


_PAD = 3  # room either side of a word for letters that lean out of their advance ("j", "f")


@functools.cache
def _drop(size: int, vertical: str) -> int:
    """How far below a point anchored at it a line's top is: Pillow's own say, measured on one
    letter, so the words land on the pixel its `text` would put them on."""
    face = font(size)
    return round(face.getbbox("H", anchor=f"l{vertical}")[1] - face.getbbox("H", anchor="la")[1])


@functools.lru_cache(maxsize=4096)  # about a kilobyte each
def _word(size: int, word: str, sharp: bool) -> tuple[PIL.Image.Image, float]:
    """A word's mask and how far it moves the pen; kept for the next picture that says it."""
    import PIL.Image
    import PIL.ImageDraw

    face = font(size)
    advance = face.getlength(word, mode="1" if sharp else "L")
    ascent, descent = face.getmetrics()
    mask = PIL.Image.new("1" if sharp else "L", (math.ceil(advance) + 2 * _PAD, ascent + descent))
    PIL.ImageDraw.Draw(mask).text((_PAD, 0), word, fill=255, font=face)
    return mask, advance
