"""Words on Pillow pictures: written from the cache of drawn words, they are exactly what
Pillow would have drawn, and people's names in Greek and Cyrillic are letters, not boxes."""

from __future__ import annotations

import PIL.Image
import PIL.ImageChops
import PIL.ImageDraw
import pytest

from rituals.core.drawing import font, stamp, text_width

SAID = (
    "KPI Raw, Team 12, week 2026-W48: each KPI as a share of its target",
    "Андрей Łukasz-Σοφία  (two spaces) jiffy",
    "100%",
)


def _pair(mode: str) -> tuple[PIL.Image.Image, PIL.Image.Image, int | str]:
    background, ink = ("white", "#1e3a8a") if mode == "RGB" else (0, 1)
    return (
        PIL.Image.new(mode, (640, 40), background),
        PIL.Image.new(mode, (640, 40), background),
        ink,
    )


@pytest.mark.parametrize("mode", ["RGB", "P"])
@pytest.mark.parametrize("anchor", ["la", "lm", "ra", "rm"])
def test_stamped_words_are_the_pixels_pillow_draws(mode: str, anchor: str) -> None:
    """Antialiased on a colour picture, hard-edged on a palette one, wherever anchored; the
    second time from the cache."""
    for _ in range(2):
        for text in SAID:
            stamped, drawn, ink = _pair(mode)
            at = {"l": 8.0, "r": 630.0}[anchor[0]], 20.0 if anchor[1] == "m" else 4.0
            stamp(stamped, at, text, 12, ink, anchor)
            PIL.ImageDraw.Draw(drawn).text(at, text, fill=ink, font=font(12), anchor=anchor)
            difference = PIL.ImageChops.difference(stamped.convert("L"), drawn.convert("L"))
            assert difference.getbbox() is None, (text, mode, anchor)


def test_a_width_is_what_pillow_measures() -> None:
    for text in SAID:
        assert text_width(text, 12) == font(12).getlength(text)
        assert text_width(text, 12, sharp=True) == font(12).getlength(text, mode="1")


@pytest.mark.parametrize("letter", ["Д", "ж", "Σ", "ω", "Ł", "ß"])
def test_names_in_greek_and_cyrillic_are_letters_not_boxes(letter: str) -> None:
    """Pillow's own font draws a box for each of these; a box is what a letter it does not
    have looks like (U+0378 is no letter at all)."""
    written, missing, ink = _pair("RGB")
    stamp(written, (8, 4), letter, 14, ink)
    stamp(missing, (8, 4), "\u0378", 14, ink)
    assert PIL.ImageChops.difference(written, missing).getbbox() is not None
