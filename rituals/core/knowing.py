"""Who may know that a numbered thing of a team or a person exists: a commitment, an obstacle,
a debate, a story, a pulse, a budget request, an experiment, a gap or sprint, and a KPI
(`rituals.kpis.visibility.known_to` filters with `known_clause`).

The rule: the thing's own people
(its owner, whoever it is for or by), an admin, anyone on a team with one of them (their lead
among them) and anyone on the thing's team. Everyone else is answered, word for word, as for a
number nobody uses: a refusal that named the owner, the team or the thing's words, or that
only read differently, would tell someone typing numbers at random what they may not know.
Every command that takes such a number asks here through its kind's one lookup, before any
other check (a ritual switched off, a role missing) could speak of the team.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, exists, false, literal, or_, select
from sqlalchemy.orm import aliased

from rituals.core.context import Ctx
from rituals.core.permissions import is_admin
from storage.models import Membership

# Aliases made once: one made per call adapts its columns afresh at every comparison, about
# half a millisecond of CPU a query; made once, SQLAlchemy keeps what it adapted.
_THEIRS = aliased(Membership)

# A person's or a team's id: a value, or the column that holds it.
Id = int | SQLColumnExpression[Any]


def known_clause(
    workspace: int, actor: int, team: Id | None, people: Sequence[Id]
) -> ColumnElement[bool]:
    """The rule as SQL, for a thing whose team and people are values or columns: the actor is
    one of its people, or on its team, or on a team with one of its people. Admins are let
    through by the callers, who know whether to ask. `people` is a handful at most."""
    mine = select(Membership.team_id).where(
        Membership.workspace_id == workspace, Membership.member_id == actor
    )
    beside = exists().where(
        _THEIRS.workspace_id == workspace,
        _THEIRS.member_id.in_([_sql(p) for p in people]),
        _THEIRS.team_id.in_(mine),
    )
    own = [_sql(p) == actor for p in people]
    on_its_team = _sql(team).in_(mine) if team is not None else false()
    return or_(*own, on_its_team, beside)


def _sql(value: Id) -> SQLColumnExpression[Any]:
    return literal(value) if isinstance(value, int) else value


async def may_know_of(ctx: Ctx, team_id: int | None, people: Iterable[int | None]) -> bool:
    """Whether the actor may learn that a thing of this team and these people exists, and
    whose it is: one query, whatever the thing."""
    own = sorted({p for p in people if p is not None})
    if ctx.actor.member_id in own:
        return True
    clause = known_clause(ctx.actor.workspace_id, ctx.actor.member_id, team_id, own)
    if await ctx.session.scalar(select(clause)):
        return True
    return await is_admin(ctx)
