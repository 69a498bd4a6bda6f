"""Who may read a KPI's numbers and context notes: one rule, for every query that shows them;
and who may know of the KPI at all: one rule, asked where every command finds it.

The welcome promises "I won't show your individual numbers to anyone but you and your lead".
Its owner and their lead always see them. Beyond the two, the KPI's team sees them when the
KPI is the team's (co-created and voted in the team's channel: `shared`) or when its owner
opened it to them (`share <kpi>`: `open_to_team`); nobody else ever does. Every screen, post or
page that shows values filters with `TEAM_SEES_NUMBERS` in SQL, or `team_sees_numbers` on a
loaded row, never a rule of its own.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from rituals.core.context import Ctx
from rituals.core.knowing import known_clause
from rituals.core.permissions import is_admin, may_act_for
from storage.models import Kpi
from storage.teams import membership, shares_team_as

# The SQL side of the rule, for queries that list KPIs a whole team may read.
TEAM_SEES_NUMBERS: ColumnElement[bool] = or_(Kpi.shared.is_(True), Kpi.open_to_team.is_(True))


def team_sees_numbers(kpi: Kpi) -> bool:
    """Whether the KPI's team, beyond its owner and lead, may read its values and notes."""
    return kpi.shared or kpi.open_to_team


async def may_see_numbers(ctx: Ctx, kpi: Kpi) -> bool:
    """The rule for one reader: the owner and their lead; the KPI's team when it sees them."""
    if await may_act_for(ctx, kpi.owner_id):
        return True
    return await _on_its_team(ctx, kpi) if team_sees_numbers(kpi) else False


async def known_to(ctx: Ctx) -> ColumnElement[bool]:
    """Who may learn that a KPI exists and whose it is, as a filter for the query that finds
    one by its number or name (`resolve_kpi`, so every command asks it): the rule of
    `rituals.core.knowing`, with the owner as the KPI's one person. Anyone else is answered
    as if there were no such KPI, so a number typed at random names nobody, and a name several
    people's KPIs share offers only the ones the reader may know of."""
    if await is_admin(ctx):
        return true()
    return known_clause(ctx.actor.workspace_id, ctx.actor.member_id, Kpi.team_id, [Kpi.owner_id])


async def may_know_all_of(ctx: Ctx, member_id: int) -> bool:
    """Whether the reader may know of every KPI the person owns: themself, an admin, or anyone
    on a team with them (their lead among them). Anyone else may know only of those `known_to`
    lets through: the KPIs of a team they are on."""
    if member_id == ctx.actor.member_id:
        return True
    workspace, actor = ctx.actor.workspace_id, ctx.actor.member_id
    return await shares_team_as(ctx.session, workspace, actor, member_id, None) or await is_admin(
        ctx
    )


async def may_steer(ctx: Ctx, kpi: Kpi) -> bool:
    """Who may start an experiment on a KPI: its owner and their lead, and for a team KPI its
    team. Seeing an owner's opened numbers is not a say in how they work on them."""
    if await may_act_for(ctx, kpi.owner_id):
        return True
    return await _on_its_team(ctx, kpi) if kpi.shared else False


async def _on_its_team(ctx: Ctx, kpi: Kpi) -> bool:
    if kpi.team_id is None:
        return False
    seat = await membership(ctx.session, kpi.workspace_id, kpi.team_id, ctx.actor.member_id)
    return seat is not None
