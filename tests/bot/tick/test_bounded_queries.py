"""A tick over a crowd keeps every statement small: `IN` lists come in bounded slices.

PostgreSQL fails a 10,000-person check-in when one statement lists 9,900 (lead, report) pairs
("stack depth limit exceeded"). Here a team a little over twice `LIMIT` is ticked through a
check-in and a one-on-one week, and the widest statement must stay near one slice's width.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.config import AppConfig
from storage.bounded import LIMIT
from storage.models import (
    Member,
    Membership,
    Nudge,
    NudgeOutcome,
    Outbox,
    Platform,
    Role,
    Team,
    Workspace,
)
from tests.scheduling import LONG_AGO, planner

CROWD = 2 * LIMIT + 101  # three slices: two full, one partial
# Monday's check-in, then the Wednesdays of two weeks: one of them is the one-on-one week.
TICKS = [datetime(2026, 11, day, 10, 0, 20, tzinfo=UTC) for day in (9, 11, 18)]


async def seed_crowd(session: AsyncSession) -> None:
    """One Slack team of CROWD people, the first its lead, all in UTC, all there for months."""
    workspace = await session.scalar(
        insert(Workspace)
        .values(platform=Platform.SLACK, external_id="TCROWD", created_at=LONG_AGO)
        .returning(Workspace.id)
    )
    team = await session.scalar(
        insert(Team)
        .values(
            workspace_id=workspace,
            name="Crowd",
            time_zone="UTC",
            settings={},
            created_at=LONG_AGO,
        )
        .returning(Team.id)
    )
    people = [
        {
            "workspace_id": workspace,
            "platform_user_id": f"U{i:06d}",
            "display_name": f"Person {i}",
            "time_zone": "UTC",
            "working_days": "mon,tue,wed,thu,fri",
            "created_at": LONG_AGO,
        }
        for i in range(CROWD)
    ]
    await session.execute(insert(Member), people)
    ids = (await session.scalars(select(Member.id).where(Member.workspace_id == workspace))).all()
    lead = min(ids)
    await session.execute(
        insert(Membership),
        [
            {
                "workspace_id": workspace,
                "team_id": team,
                "member_id": m,
                "role": Role.LEAD if m == lead else Role.MEMBER,
                "created_at": LONG_AGO,
            }
            for m in ids
        ],
    )


@contextmanager
def widest_statement(connection: AsyncConnection) -> Iterator[list[int]]:
    """The most parameters any one statement sent (an executemany's rows count apart)."""
    widest = [0]

    def seen(
        _conn: Any, _cursor: Any, _sql: str, parameters: Any, _context: Any, executemany: bool
    ) -> None:
        if not executemany:
            widest[0] = max(widest[0], len(parameters or ()))

    sync = connection.sync_connection
    assert sync is not None
    event.listen(sync, "before_cursor_execute", seen)
    try:
        yield widest
    finally:
        event.remove(sync, "before_cursor_execute", seen)


async def test_a_crowd_is_prompted_with_statements_of_bounded_width(
    connection: AsyncConnection, sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    async with sessions() as session, session.begin():
        await seed_crowd(session)
    tick = planner(sessions, config)
    with widest_statement(connection) as widest:
        for moment in TICKS:
            await tick.tick(moment)
    async with sessions() as session:
        counted = await session.execute(
            select(Nudge.ritual, func.count())
            .where(Nudge.outcome == NudgeOutcome.QUEUED)
            .group_by(Nudge.ritual)
        )
        per_ritual = {ritual: n for ritual, n in counted.all()}
        queued = await session.scalar(select(func.count()).select_from(Outbox))
    # The work was done: everyone's check-in, and the lead's one-on-one script for them all.
    # The work was done: everyone's check-in, and everyone's one-on-one (the lead's script
    # covering all CROWD - 1 pairs), each its own message.
    assert per_ritual == {"checkin": CROWD, "one_on_one": CROWD}
    assert queued == 2 * CROWD
    # A slice of (lead, report) pairs is two parameters a pair; a few more for the rest.
    assert widest[0] <= 2 * LIMIT + 20, widest[0]
