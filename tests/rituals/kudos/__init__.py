"""What the kudos tests share: a KPI to thank someone's help against."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import KpiStatus
from tests.conftest import NOW
from tests.support import add_kpi, member

MONTH = timedelta(weeks=4)


async def new_kpi(
    sessions: async_sessionmaker[AsyncSession],
    owner: str,
    name: str = "Qualified leads",
    status: KpiStatus = KpiStatus.ACTIVE,
) -> int:
    """The number of a KPI of the owner's, agreed a month ago, written straight into the store."""
    async with sessions() as session, session.begin():
        kpi = await add_kpi(
            session, await member(session, owner), name, status=status, agreed_at=NOW - MONTH
        )
        return kpi.id
