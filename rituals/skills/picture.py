"""The skills heat-map as a picture for Slack and Teams, and as a grid of digits for the console.

People by skills, a colour per level with the level's number written in the cell too (so the
map reads without telling colours apart, and in grey print), and a legend. It is drawn like
every chart, on a figure of its own with every style passed per call (see rituals.core.charts).
Its width is fixed at 8 inches, what Teams' cards and Slack's image previews scale down from
without the names running together; it grows in height with the number of people.
"""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from rituals.core.charts import house_png
from rituals.skills.store import LEVELS, MapData

# Not rated (or not shown), then learning to can teach: light to deep, one hue, so the eye
# reads "more" without any colour meaning "bad".
BLANK = "#f3f4f6"
COLOURS = ("#dbeafe", "#93c5fd", "#3b82f6", "#1e3a8a")
INK = ("#1e3a8a", "#1e3a8a", "#ffffff", "#ffffff")
WIDTH_INCHES = 8
ROW_INCHES = 0.32
# A skill's name is cut to this many characters under its column: 40 would not fit 15 columns.
LABEL_CHARS = 18
NAME_CHARS = 16  # a person's name on the console's grid


def heat_map_png(title: str, data: MapData) -> bytes:
    """PNG of the map: a row per person shown, a column per skill."""
    if not data.skills:
        raise ValueError("a heat-map needs at least one skill")
    rows = data.rows or [("(nobody shown yet)", [None] * len(data.skills))]
    grid = [[0 if level is None else level for level in levels] for _, levels in rows]
    height = max(3.0, 2.4 + ROW_INCHES * len(rows))
    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    palette = ListedColormap([BLANK, *COLOURS])
    # Over the house style's grid lines (drawn below everything else): cells, not a chart.
    ax.imshow(grid, cmap=palette, vmin=0, vmax=len(LEVELS), aspect="auto", zorder=1)
    # Each level's number on its cells: one marker drawn from the digit's outline per level,
    # not a text per cell, which for 50 people by 15 skills would take seconds to lay out.
    for level in range(1, len(LEVELS) + 1):
        cells = [
            (x, y) for y, row in enumerate(grid) for x, cell in enumerate(row) if cell == level
        ]
        if cells:
            xs, ys = zip(*cells, strict=True)
            ax.scatter(xs, ys, s=70, marker=f"${level}$", color=INK[level - 1], zorder=3, lw=0)
    # Skill names along the top, like a table's header; the legend underneath.
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(data.skills)), [_cut(s, LABEL_CHARS) for s in data.skills])
    ax.tick_params(axis="x", labelsize=9, length=0, labelrotation=35)
    for label in ax.get_xticklabels():
        label.set(ha="left", rotation_mode="anchor")
    ax.set_yticks(range(len(rows)), [_cut(name, 24) for name, _ in rows], fontsize=9)
    ax.tick_params(axis="y", length=0)
    for x in range(1, len(data.skills)):
        ax.axvline(x - 0.5, color="white", linewidth=2, zorder=2)
    for y in range(1, len(rows)):
        ax.axhline(y - 0.5, color="white", linewidth=2, zorder=2)
    legend = [Patch(facecolor=BLANK, edgecolor="#d1d5db", label="not rated or not shown")] + [
        Patch(facecolor=colour, label=f"{n} {word}")
        for n, (colour, word) in enumerate(zip(COLOURS, LEVELS, strict=True), start=1)
    ]
    ax.legend(
        handles=legend,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncols=len(legend),
        fontsize=8,
        frameon=False,
        handlelength=1.2,
        columnspacing=1.0,
    )
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return house_png(fig, ax, title, (BLANK, "#d1d5db", *COLOURS, *INK))


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
