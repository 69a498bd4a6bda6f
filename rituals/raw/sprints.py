"""Micro-mentorship sprints finished in KPI Raw's week: who learned what from whom.

Only the pair's names and the skill are told. The goal and the look-back are the pair's own
words, written for each other and for their one-on-ones, not for the team's newsletter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Member, Mentorship, Skill, SprintStatus

# Aliases made once: one made per call adapts its columns afresh at every comparison, about
# half a millisecond of CPU a query; made once, SQLAlchemy keeps what it adapted.
_LEARNER, _MENTOR = aliased(Member), aliased(Member)


async def finished_sprints(
    session: AsyncSession,
    team_ids: list[int],
    since: datetime,
    until: datetime,
    holds: Callable[[int, datetime | None], bool],
) -> dict[int, list[str]]:
    """Each team's sprints finished in its own week, one line each, in one statement for all
    the teams given (`holds` says whether a moment is inside a team's week)."""
    learner, mentor = _LEARNER, _MENTOR
    rows = await session.execute(
        select(
            Mentorship.team_id,
            Mentorship.finished_at,
            learner.display_name,
            mentor.display_name,
            Skill.name,
        )
        .join(learner, learner.id == Mentorship.learner_id)
        .join(mentor, mentor.id == Mentorship.mentor_id)
        .join(Skill, Skill.id == Mentorship.skill_id)
        .where(
            Mentorship.team_id.in_(team_ids),
            Mentorship.status == SprintStatus.DONE,
            Mentorship.finished_at >= since,
            Mentorship.finished_at < until,
        )
        .order_by(Mentorship.finished_at, Mentorship.id)
    )
    found: dict[int, list[str]] = {}
    for team_id, finished_at, learned, taught, skill in rows.all():
        if holds(team_id, finished_at):
            line = f"{learned} finished a two-week sprint on {skill}, mentored by {taught}."
            found.setdefault(team_id, []).append(line)
    return found
