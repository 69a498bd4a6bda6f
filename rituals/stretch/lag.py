"""Where a team's rotation stands: whose KPIs lag now, and who had a stretch this quarter.

The lead's suggestion, the refusal of a second stretch and the `stretches` view all read this
one picture, so they cannot disagree about whose turn it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rituals.core.amounts import format_number
from rituals.core.context import Ctx
from rituals.core.periods import quarter_at
from rituals.stretch.store import Lag, Turns, lagging_kpis, rotation
from storage.models import Member, Role, Team
from storage.teams import roster


@dataclass(frozen=True)
class Rotation:
    quarter: str
    turns: dict[int, Turns]
    # Each person's KPIs that lag now, by owner (the team's leads included).
    lagging: dict[int, list[Lag]]
    # Who the rotation is for: the team's members (not its leads) whose KPI lags, or who had a
    # stretch this quarter.
    eligible: list[int]
    people: dict[int, Member]


async def rotation_of(ctx: Ctx, team: Team, today: date) -> Rotation:
    """The team's rotation for its current quarter: three queries, whatever its size."""
    quarter = quarter_at(ctx.clock.now(), team.time_zone).name
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    members = [s.member for s in seats if s.role is Role.MEMBER and s.member.is_active]
    lagging = await lagging_kpis(ctx.session, ctx.actor.workspace_id, team.id, today)
    turns = await rotation(ctx.session, team.id, quarter, today)
    eligible = [m.id for m in members if m.id in lagging or (m.id in turns and turns[m.id].taken)]
    return Rotation(quarter, turns, lagging, eligible, {m.id: m for m in members})


def lag_words(lag: Lag) -> str:
    """ "4 of 10 calls in 2026-W48": the latest value beside the target. Owner and lead only."""
    unit = f" {lag.kpi.unit}" if lag.kpi.unit not in ("%", "") else lag.kpi.unit
    value, target = format_number(lag.value), format_number(lag.kpi.target)
    return f"{value} against a target of {target}{unit} in {lag.period}"
