"""The review's switch for one KPI: a person's KPIs are reviewed in each of their teams'
reviews, so the review and what it proposes run while one of those teams runs it."""

from __future__ import annotations

from rituals.core.context import Ctx
from rituals.core.refusal import Refusal
from rituals.team.gate import switched_on
from storage.models import Kpi
from storage.teams import teams_of


async def switched_on_for(ctx: Ctx, kpi: Kpi) -> None:
    """Refuse when every team the KPI's owner is on has switched the review off: a person's
    KPIs are reviewed in each of their teams' reviews, so one team still running it is enough.
    """
    teams = await teams_of(ctx.session, kpi.workspace_id, kpi.owner_id)
    refused: list[Refusal] = []
    for team in teams:
        try:
            await switched_on(ctx, team)
        except Refusal as off:
            refused.append(off)
    if teams and len(refused) == len(teams):
        raise refused[0]
