"""Where a person's budget stands on a team this quarter: what it is, what is held, what is
left. Asking, approving, `budget` and `home` all read it here, so they say the same."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rituals.budgets.store import RequestRow, held, requests_where
from rituals.core.amounts import read_amount, show_amount
from rituals.core.context import Ctx
from rituals.core.periods import quarter_at
from rituals.team.teams import team_rituals
from storage.models import Team


@dataclass(frozen=True)
class Standing:
    team: Team
    quarter: str
    total: Decimal
    unit: str
    rows: list[RequestRow]

    @property
    def held(self) -> Decimal:
        return held(self.rows, self.unit)

    @property
    def left(self) -> Decimal:
        return max(self.total - self.held, Decimal(0))

    def words(self) -> str:
        """ "5 of 8 hours left in 2026-Q4", or, once the lead lowered the budget below what
        is held, how far over it is: "0 left" alone would hide that asks still stand."""
        total = show_amount(self.total, self.unit)
        if self.held > self.total:
            over = show_amount(self.held - self.total, self.unit)
            return (
                f"nothing left of {total} in {self.quarter}: over by {over}, since "
                f"{show_amount(self.held, self.unit)} are held by asks made before the budget "
                "was lowered (approved asks stand)"
            )
        left = show_amount(self.left, self.unit).split(" ", 1)[0]
        return f"{left} of {total} left in {self.quarter}"


def budget_of(ctx: Ctx, team: Team) -> tuple[Decimal, str]:
    """The team's budget a person a quarter: its own setting over app.yaml's."""
    return read_amount(team_rituals(ctx, team).experiment_budget)


async def standing(ctx: Ctx, team: Team, member_id: int) -> Standing:
    quarter = quarter_at(ctx.clock.now(), team.time_zone).name
    total, unit = budget_of(ctx, team)
    rows = await requests_where(
        ctx.session,
        ctx.actor.workspace_id,
        team_ids=[team.id],
        quarters=[quarter],
        member_id=member_id,
    )
    return Standing(team, quarter, total, unit, rows)
