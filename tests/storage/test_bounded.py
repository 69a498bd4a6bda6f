"""`among`: a slice's `IN` list as one parameter (an array on PostgreSQL, a JSON array on
SQLite), the same rows as the list."""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from rituals.core.context import Clock
from storage.bounded import among
from storage.models import Member
from tests.support import seed_people


async def test_among_finds_what_in_finds_with_one_parameter(
    connection: AsyncConnection, sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    widths: list[int] = []

    def seen(*args: object) -> None:
        parameters = args[3]
        widths.append(len(parameters) if isinstance(parameters, tuple | list | dict) else 0)

    async with sessions() as session, session.begin():
        await seed_people(session, clock)
        ids = list((await session.scalars(select(Member.id).order_by(Member.id))).all())
        assert len(ids) >= 3
        wanted = [ids[0], ids[2], -1]
        sync = connection.sync_connection
        assert sync is not None
        event.listen(sync, "before_cursor_execute", seen)
        try:
            found = await session.scalars(
                select(Member.id).where(among(session, Member.id, wanted))
            )
            none = await session.scalars(select(Member.id).where(among(session, Member.id, [])))
            got, nothing = sorted(found.all()), list(none.all())
        finally:
            event.remove(sync, "before_cursor_execute", seen)
    assert (got, nothing) == ([ids[0], ids[2]], [])
    assert widths[0] == 1, widths
