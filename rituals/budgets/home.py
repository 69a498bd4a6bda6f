"""What `home` shows of experiment budgets: what is left on each team this quarter, and, for
a lead, the requests waiting for their answer."""

from __future__ import annotations

from collections.abc import Sequence

from rituals.budgets.standing import Standing, budget_of
from rituals.budgets.store import requests_where
from rituals.core.amounts import show_amount
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Fields,
    Heading,
    Paragraph,
    rich,
)
from rituals.core.periods import quarter_at
from rituals.core.spec import RitualName
from rituals.team.teams import team_rituals
from storage.models import BudgetState, Team

# The heading of this part of `home`; the dashboard shows what is under it in Mine.
HEADING = "Your experiment budget"


async def budget_blocks(ctx: Ctx, teams: Sequence[Team], led: Sequence[Team]) -> list[Block]:
    """One line per team running budgets, and a lead's waiting requests: one query."""
    running = [t for t in teams if RitualName.EXPERIMENT_BUDGET in team_rituals(ctx, t).enabled]
    if not running:
        return []
    quarters = {t.id: quarter_at(ctx.clock.now(), t.time_zone).name for t in running}
    rows = await requests_where(
        ctx.session,
        ctx.actor.workspace_id,
        team_ids=list(quarters),
        quarters=set(quarters.values()),
    )
    fields = []
    for team in running:
        total, unit = budget_of(ctx, team)
        mine = [
            r
            for r in rows
            if r.request.team_id == team.id
            and r.request.quarter == quarters[team.id]
            and r.request.member_id == ctx.actor.member_id
        ]
        fields.append((team.name, Standing(team, quarters[team.id], total, unit, mine).words()))
    blocks: list[Block] = [Heading(HEADING), Fields(tuple(fields))]
    lead_of = {t.id for t in led}
    for r in rows:
        req = r.request
        if (
            req.team_id in lead_of
            and req.state is BudgetState.ASKED
            and req.member_id != ctx.actor.member_id
        ):
            blocks.append(
                Paragraph(
                    rich(
                        f"{r.person.display_name} asks for {show_amount(req.amount, req.unit)} "
                        f"for experiment #{r.experiment.id}: {req.scope}"
                    )
                )
            )
            blocks.append(
                Actions(
                    (
                        Button("Approve", f"budget approve {req.id}", ButtonStyle.PRIMARY),
                        Button("Ask a question", f"budget question {req.id}"),
                    )
                )
            )
    return blocks
