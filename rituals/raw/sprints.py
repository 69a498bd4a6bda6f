"""The hook for the growth lab's micro-mentorship sprints in KPI Raw.

Sprints are built on another branch at the same time as this. Until their table
(`SPRINT_TABLE`) is part of this schema, the section reads nothing and the issue leaves it
out; a test (tests/rituals/raw) says so, and fails the day the table arrives, so whoever
merges them wires the two together here. Once it exists, a table with `team_id`,
`finished_at` and `goal` columns is read as it stands; any other shape is logged and read
as nothing, so a newsletter is never lost to a section.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base

log = logging.getLogger(__name__)

SPRINT_TABLE = "mentorship_sprint"
_NEEDED = ("team_id", "finished_at", "goal")


def sprints_exist() -> bool:
    """Whether the sprint table is part of this schema yet."""
    return SPRINT_TABLE in Base.metadata.tables


async def finished_sprints(
    session: AsyncSession, team_ids: list[int], since: datetime, until: datetime
) -> dict[int, list[str]]:
    """Each team's sprints finished in the window, one line each; nothing while the table
    does not exist. One statement for all the teams given."""
    table = Base.metadata.tables.get(SPRINT_TABLE)
    if table is None:
        return {}
    if not all(name in table.c for name in _NEEDED):
        log.warning("%s has no %s columns; KPI Raw leaves sprints out", SPRINT_TABLE, _NEEDED)
        return {}
    rows = await session.execute(
        select(table.c.team_id, table.c.goal).where(
            table.c.team_id.in_(team_ids),
            table.c.finished_at >= since,
            table.c.finished_at < until,
        )
    )
    found: dict[int, list[str]] = {}
    for row in rows.all():
        found.setdefault(row[0], []).append(str(row[1]))
    return found
