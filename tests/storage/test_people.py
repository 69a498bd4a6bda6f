"""Shared people queries that ask the database nothing when there is nothing to ask."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from storage.teams import requests_to_join
from tests.support import statements


async def test_requests_to_join_no_team_sends_no_query(
    connection: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Home asks this of everyone, and most people lead no team."""
    async with sessions() as session:
        with statements(connection) as sent:
            assert await requests_to_join(session, 1, []) == []
    assert sent == []
