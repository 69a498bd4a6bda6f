"""One issue of KPI Raw, written from a team's week: pure, no I/O.

Real numbers with their context notes, the week's kudos stories, the Fail of the Month,
commitments kept, experiments and their results, mentorship sprints finished. No ranking
(KPIs by name, stories by time), no red or green, no spin: a fall is said as a fall, beside
the wild idea being tested to turn it round. A week with nothing in it is one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from rituals.core.amounts import amount
from rituals.core.messages import Block, Bullets, Heading, Image, Note, Paragraph, Rich, rich
from rituals.core.periods import Period, period_of
from rituals.kpis.commands import describe_target
from rituals.numbers.declines import TREND_SPAN, Decline, detect
from rituals.raw.chart import Line, raw_png, sketch, worth_a_picture
from rituals.raw.store import Shown, Tried, Value, Week, Window
from storage.models import Experiment

FOOTER = (
    "Real numbers, real stories, no spin. KPIs are listed by name, never ranked. Numbers "
    "shown are of KPIs their owners share with the team; `raw out` keeps yours out."
)
# Most of each kind of story an issue tells; the rest are counted.
MOST = 10


@dataclass(frozen=True)
class Reading:
    """A KPI's latest period logged this week, and its fall if it fell."""

    shown: Shown
    period: Period
    value: Decimal
    note: str | None
    fall: Decline | None
    history: tuple[Decimal, ...]


def quiet(team: str, week: str) -> tuple[Block, ...]:
    """A week without content: one line."""
    return (Paragraph(rich(f"KPI Raw, {team}, {week}: a quiet week.")),)


def latest_per_period(rows: Sequence[Value]) -> list[Value]:
    """One value per period, the latest said (corrections win), in period order."""
    chosen: dict[date, Value] = {}
    for row in rows:
        held = chosen.get(row.period_start)
        if held is None or (row.logged_at, row.id) > (held.logged_at, held.id):
            chosen[row.period_start] = row
    return [chosen[day] for day in sorted(chosen)]


def readings(week: Week, window: Window, threshold: int) -> list[Reading]:
    """Each visible KPI with a value logged in the window: its latest such period."""
    out = []
    for shown in week.numbers:
        series = latest_per_period(shown.values)
        fresh = [v for v in series if window.holds(v.logged_at)]
        if not fresh:
            continue
        last = fresh[-1]
        cadence = shown.kpi.cadence
        period = period_of(cadence, last.period_start)
        # A period each, in order: `detect` looks back at most 2 * TREND_SPAN periods, so only
        # those are turned into periods (a thousand teams' issues are written in one tick).
        before = [v for v in series if v.period_start < last.period_start][-2 * TREND_SPAN :]
        earlier = [(period_of(cadence, v.period_start), v.value) for v in before]
        fall = detect(period, last.value, earlier, threshold, shown.kpi.direction)
        history = tuple(v.value for v in series if v.period_start <= last.period_start)[-12:]
        out.append(Reading(shown, period, last.value, last.note, fall, history))
    return out


def _wild_idea(reading: Reading, tried: Sequence[Tried]) -> Tried | None:
    """The experiment answering a fall: the newest on its KPI still running or begun this
    week."""
    mine = [t for t in tried if t.experiment.kpi_id == reading.shown.kpi.id]
    return mine[-1] if mine else None


def _number_line(reading: Reading, idea: Tried | None) -> Rich:
    kpi = reading.shown.kpi
    said = (
        f"{kpi.name} ({reading.shown.owner}): {amount(reading.value, kpi.unit)} for "
        f"{reading.period.name}; target {describe_target(kpi.target, kpi.unit, kpi.cadence)}."
    )
    parts: list[str] = [said]
    if reading.note:
        parts.append(f' "{reading.note}"')
    if reading.fall is not None:
        fall = reading.fall
        parts.append(f" It {fall.moved} {fall.percent}% against {fall.against}.")
        if idea is not None:
            parts.append(f" Wild idea being tested: {idea.experiment.hypothesis} ({idea.owner}).")
        else:
            parts.append(f" No wild idea yet: `experiment {kpi.id} <idea>`.")
    return rich("".join(parts))


def _picture(team: str, week: str, found: Sequence[Reading]) -> Image | None:
    lines = worth_a_picture(
        [
            Line(
                r.shown.kpi.name,
                tuple(float(v / r.shown.kpi.target * 100) for v in r.history),
                r.shown.owner,
            )
            for r in found
            if r.shown.kpi.target > 0
        ]
    )
    if not lines:
        return None
    title = f"KPI Raw, {team}, {week}: each KPI as a share of its target"
    alt = f"{len(lines)} KPIs over their latest periods, as a share of target"
    name = f"kpi-raw-{week.removeprefix('week ')}.png"
    return Image(name, raw_png(title, lines), alt, title, sketch(lines))


def _finished(experiment: Experiment, window: Window) -> bool:
    return window.holds(experiment.finished_at)


def compose(
    team: str, week_name: str, week: Week, window: Window, threshold: int, *, picture: bool = True
) -> tuple[Block, ...]:
    """The issue's blocks; `quiet` when there is nothing to tell."""
    found = readings(week, window, threshold)
    ideas = {r.shown.kpi.id: _wild_idea(r, week.experiments) for r in found if r.fall}
    used = {t.experiment.id for t in ideas.values() if t is not None}
    started = [
        t
        for t in week.experiments
        if window.holds(t.experiment.created_at) and t.experiment.id not in used
    ]
    finished = [t for t in week.experiments if _finished(t.experiment, window)]
    blocks: list[Block] = []
    if found:
        blocks.append(Paragraph(rich("The numbers, with what their owners said about them:")))
        # Every fall is told; of the rest, the first by name up to the cap, and a count.
        told = [r for i, r in enumerate(found) if r.fall or i < MOST * 2]
        blocks.append(Bullets(tuple(_number_line(r, ideas.get(r.shown.kpi.id)) for r in told)))
        if len(told) < len(found):
            more = len(found) - len(told)
            blocks.append(
                Note(
                    f"And {more} more KPIs logged this week, not one of them a fall: each "
                    "owner shows theirs with `trend <kpi>`."
                )
            )
        image = _picture(team, week_name, found) if picture else None
        if image is not None:
            blocks.append(image)
    if week.kudos:
        blocks.append(Paragraph(rich("Kudos stories:")))
        blocks.append(
            Bullets(
                tuple(
                    rich(
                        f"{k.giver} to {', '.join(k.recipients) or 'the team'}"
                        f"{f' ({k.kpi})' if k.kpi else ''}: {k.kudos.story}"
                    )
                    for k in week.kudos[:MOST]
                )
            )
        )
    if week.fails:
        blocks.append(Paragraph(rich("Fail of the Month, the story the team chose:")))
        blocks.append(
            Bullets(
                tuple(
                    rich(f"{f.nominee}: {f.nomination.misstep} Learned: {f.nomination.learned}")
                    for f in week.fails
                )
            )
        )
    if week.kept:
        blocks.append(Paragraph(rich("Obstacles cleared, commitments kept:")))
        blocks.append(
            Bullets(tuple(rich(f"{k.owner}: {k.commitment.action}") for k in week.kept[:MOST]))
        )
    if started or finished:
        blocks.append(Paragraph(rich("Experiments:")))
        items = [rich(f"{t.owner} started on {t.kpi}: {t.experiment.hypothesis}") for t in started]
        items += [rich(f"{t.owner} finished on {t.kpi}: {t.experiment.result}") for t in finished]
        blocks.append(Bullets(tuple(items[: MOST * 2])))
    if week.sprints:
        blocks.append(Paragraph(rich("Mentorship sprints finished:")))
        blocks.append(Bullets(tuple(rich(s) for s in week.sprints[:MOST])))
    if not blocks:
        return quiet(team, week_name)
    return (Heading(f"KPI Raw: {team}, {week_name}"), *blocks, Note(FOOTER))


def covered_week(until: datetime) -> str:
    """The name of the ISO week an issue's seven days ending at `until` (team's zone) mostly
    cover: an issue sent on Monday morning is the past week's news, not the new week's."""
    return week_name((until - timedelta(days=3, hours=12)).date())


def week_name(day: date) -> str:
    """ "week 2026-W49": the ISO week an issue goes out in."""
    year, week, _ = day.isocalendar()
    return f"week {year}-W{week:02d}"
