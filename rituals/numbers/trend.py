"""A KPI's trend as a picture, for whoever may see it (`rituals.kpis.visibility`): numbers
are their owner's and their lead's, and their team's when the team co-created the KPI or the
owner shared it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from decimal import Decimal

from pydantic import Field

from rituals.core.amounts import amount
from rituals.core.charts import Point, noted, sparkline, trend_png
from rituals.core.command import Command, KpiRef
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Fields,
    Heading,
    Image,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.people import local_today
from rituals.core.periods import PERIOD, period_of
from rituals.core.permissions import refuse
from rituals.core.refusal import Refusal
from rituals.kpis.commands import (
    better_words,
    describe_target,
    owner_of,
    resolve_kpi,
)
from rituals.kpis.visibility import may_see_numbers, team_sees_numbers
from rituals.numbers.commands import may_log
from rituals.numbers.store import latest_per_period, values_since
from storage.models import Direction, Kpi, KpiStatus, KpiValue

# The trend chart's span: two years of any cadence.
TREND_PERIODS = {"weekly": 104, "monthly": 24, "quarterly": 8}


class ShowTrend(Command):
    kpi: KpiRef = Field(title="KPI")


def _nothing_logged(kpi: Kpi, loggable: bool) -> Message:
    """A trend with no values: a button to log one only for whoever `log` would take it
    from (`may_log`): a proposal takes numbers once activated, a retired KPI none, and a
    teammate who may see the numbers may not log them."""
    if kpi.status is KpiStatus.PROPOSED:
        return say(
            f"#{kpi.id} {kpi.name} has no values yet: it is still a proposal, and numbers are "
            "logged once a lead activates it."
        )
    if kpi.status is KpiStatus.RETIRED:
        return say(f"#{kpi.id} {kpi.name} was retired with no values logged.")
    said = Paragraph(rich(f"#{kpi.id} {kpi.name} has no values yet."))
    if not loggable:
        return Message((said,))
    return Message((said, Actions((Button("Log one", f"log {kpi.id}", ButtonStyle.PRIMARY),))))


async def trend(ctx: Ctx, cmd: ShowTrend) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "trend")
    owner = await owner_of(ctx, kpi)
    if not await may_see_numbers(ctx, kpi):
        doing = f"see {owner.display_name}'s numbers: they are not shared with you"
        raise Refusal(await refuse(ctx, doing, owner, owner_may=True))
    today = await local_today(ctx)
    current = period_of(kpi.cadence, today)
    span = TREND_PERIODS[kpi.cadence.value]
    rows = await values_since(ctx.session, kpi.id, current.shifted(1 - span).start)
    series = latest_per_period(rows)
    loggable = await may_log(ctx, kpi)
    if not series:
        return [_nothing_logged(kpi, loggable)]
    points = [Point(r.period, float(r.value), r.note) for r in series]
    title = f"#{kpi.id} {kpi.name} ({owner.display_name})"
    target = float(kpi.target)
    png = await asyncio.to_thread(trend_png, title, points, target, kpi.unit)
    first, last = series[0], series[-1]
    # Most KPIs get better as they rise, and say nothing of it; the others say so everywhere.
    lower = f", {better_words(kpi.direction)}" if kpi.direction is Direction.LOWER else ""
    alt = (
        f"{kpi.name} per {PERIOD[kpi.cadence]}, {len(series)} "
        f"value{'s' if len(series) > 1 else ''} from {first.period} to "
        f"{last.period}; latest {amount(last.value, kpi.unit)}, target "
        f"{amount(kpi.target, kpi.unit)}{lower}."
    )
    blocks: list[Block] = [
        Heading(title),
        Image(f"kpi-{kpi.id}-trend.png", png, alt, title, sparkline([p.value for p in points])),
    ]
    notes = noted(points)
    if notes:
        blocks.append(Bullets(tuple(rich(f"{n}. {p.label}: {p.note}") for n, p in notes)))
    corrected = _corrections(rows, kpi.unit)
    if corrected:
        blocks.append(Note("Corrected: " + "; ".join(corrected[-5:]) + "."))
    blocks.append(
        Fields(
            (
                ("Latest", f"{amount(last.value, kpi.unit)} ({last.period})"),
                ("Target", describe_target(kpi.target, kpi.unit, kpi.cadence) + lower),
            )
        )
    )
    if loggable:
        blocks.append(Actions((Button("Log a value", f"log {kpi.id}"),)))
    mine = owner.id == ctx.actor.member_id
    if not team_sees_numbers(kpi):
        who = "you and your lead" if mine else f"{owner.display_name} and their lead"
        blocks.append(Note(f"Only {who} see these numbers."))
    elif not kpi.shared:
        who = "You share" if mine else f"{owner.display_name} shares"
        blocks.append(Note(f"{who} these numbers with {'your' if mine else 'their'} team."))
    return [Message(tuple(blocks))]


def _corrections(rows: Sequence[KpiValue], unit: str) -> list[str]:
    """ "2026-W47 10 to 12" for each period whose value changed when said again; a value
    logged again unchanged is no correction."""
    by_period: dict[str, list[KpiValue]] = {}
    for row in rows:
        by_period.setdefault(row.period, []).append(row)
    out = []
    for period, said in by_period.items():
        values: list[Decimal] = []
        for row in sorted(said, key=lambda r: (r.logged_at, r.id)):
            if not values or row.value != values[-1]:
                values.append(row.value)
        if len(values) > 1:
            out.append(f"{period} " + " to ".join(amount(v, unit) for v in values))
    return out
