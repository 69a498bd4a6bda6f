"""A tick over a crowd keeps every statement small: `IN` lists come in bounded slices.

PostgreSQL fails a 10,000-person check-in when one statement lists 9,900 (lead, report) pairs
("stack depth limit exceeded"). Here a team a little over twice `LIMIT` is ticked through a
check-in and a one-on-one week, and the widest statement must stay near one slice's width.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.config import AppConfig
from rituals.core.nudges import MANNERS
from storage.bounded import LIMIT
from storage.models import (
    Commitment,
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


async def test_each_slice_gets_its_own_peoples_details(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    """What a check-in says of last week's commitments is read for each slice alongside the
    writes before it: each person's, in each slice, reaches that person and nobody else."""
    async with sessions() as session, session.begin():
        await seed_crowd(session)
        people = (await session.scalars(select(Membership).order_by(Membership.member_id))).all()
        lead = people[0]
        picked = [people[1], people[LIMIT + 1], people[2 * LIMIT + 1]]  # one in each slice
        for seat in picked:
            session.add(
                Commitment(
                    workspace_id=seat.workspace_id,
                    team_id=seat.team_id,
                    for_id=seat.member_id,
                    owner_id=lead.member_id,
                    made_by_id=lead.member_id,
                    action=f"unblock member {seat.member_id}",
                    due=date(2026, 11, 6),
                    created_at=datetime(2026, 11, 3, 9, tzinfo=UTC),
                )
            )
    await planner(sessions, config).tick(TICKS[0])
    async with sessions() as session:
        rows = (await session.execute(select(Outbox.member_id, Outbox.payload))).all()
    said = {member: json.dumps(payload) for member, payload in rows}
    for seat in picked:
        assert f"unblock member {seat.member_id}" in said[seat.member_id]
        assert MANNERS in said[seat.member_id]  # their first nudge this month, in every slice
    mentioning = [m for m, text in said.items() if "unblock member" in text]
    assert sorted(mentioning) == sorted([lead.member_id, *(s.member_id for s in picked)])
