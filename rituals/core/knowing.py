"""Who may know that a numbered thing of a team or a person exists: a commitment, an obstacle,
a debate, a story, a pulse, a budget request, an experiment, a gap or sprint.

The rule is the one `rituals.kpis.visibility.known_to` applies to KPIs: the thing's own people
(its owner, whoever it is for or by), an admin, anyone on a team with one of them (their lead
among them) and anyone on the thing's team. Everyone else is answered, word for word, as for a
number nobody uses: a refusal that named the owner, the team or the thing's words, or that
only read differently, would tell someone typing numbers at random what they may not know.
Every command that takes such a number asks here through its kind's one lookup, before any
other check (a ritual switched off, a role missing) could speak of the team.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import aliased

from rituals.core.context import Ctx
from rituals.core.permissions import is_admin
from storage.models import Membership


async def may_know_of(ctx: Ctx, team_id: int | None, people: Iterable[int | None]) -> bool:
    """Whether the actor may learn that a thing of this team and these people exists, and
    whose it is. One query, whatever the thing; `people` is its few own people (at most a
    handful, so the `IN` list stays bounded)."""
    own = {p for p in people if p is not None}
    actor, workspace = ctx.actor.member_id, ctx.actor.workspace_id
    if actor in own:
        return True
    mine, theirs = aliased(Membership), aliased(Membership)
    beside: ColumnElement[bool] = theirs.member_id.in_(own)
    if team_id is not None:
        beside = or_(beside, theirs.team_id == team_id)
    shared = exists().where(
        mine.workspace_id == workspace,
        mine.member_id == actor,
        theirs.workspace_id == workspace,
        theirs.team_id == mine.team_id,
        beside,
    )
    if await ctx.session.scalar(select(shared)):
        return True
    return await is_admin(ctx)
