"""The heat-map's picture: whole at any size, with nothing cut off at its edges, every level
in its own colour, and small enough for a Teams card."""

from __future__ import annotations

import io

import PIL.Image

from rituals.skills.picture import BLANK, COLOURS, heat_map_png
from rituals.skills.store import MapData
from tests.support import assert_valid_png

# The longest a name is shown (longer ones are cut), in letters as wide as they come.
SKILLS = [f"WWWWWWWWWWWWWWWWW{n:x}" for n in range(15)]


def _map(people: int, skills: list[str]) -> MapData:
    rows: list[tuple[str, list[int | None]]] = [
        (
            f"Wolfgang Amadeus Mozart {n:02d}",
            [None if (n + s) % 5 == 0 else 1 + (n * 7 + s) % 4 for s in range(len(skills))],
        )
        for n in range(people)
    ]
    return MapData(skills, rows, [[] for _ in skills], people, people, [None] * len(skills), True)


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def test_a_team_of_50_by_15_long_skills_fits_inside_the_picture() -> None:
    png = heat_map_png("Platform: skills", _map(50, SKILLS))
    assert len(png) < 60 * 1024
    with PIL.Image.open(io.BytesIO(png)) as image:
        assert image.mode == "P"
        picture = image.convert("RGB")
    width, height = picture.size
    assert width == 800
    assert height > 50 * 28  # a row per person, never squeezed
    # A white frame all round: no skill's name, person's name or cell runs off an edge.
    frame = [(0, 0, width, 4), (0, height - 4, width, height)]
    frame += [(0, 0, 4, height), (width - 4, 0, width, height)]
    for box in frame:
        assert picture.crop(box).getcolors() == [
            ((box[2] - box[0]) * (box[3] - box[1]), (255, 255, 255))
        ], box
    colours = {colour for _, colour in picture.getcolors(maxcolors=256) or []}
    assert {_rgb(c) for c in (BLANK, *COLOURS)} <= colours


def test_a_small_map_is_a_whole_chart_sized_png() -> None:
    width, height = assert_valid_png(heat_map_png("Growth: skills", _map(3, SKILLS[:2])))
    assert width == 800
    assert 300 <= height <= 400
