"""What KPI Raw's tests share: Growth with its channel and the newsletter switched on, its
KPIs shared with the team, and their history written straight into the store."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.periods import period_of
from storage.models import Cadence, Commitment, CommitmentStatus, Kpi, KpiValue, Member, Role, Team
from tests.scheduling import LONG_AGO, Someone, seed_team
from tests.support import member

CHANNEL = "C0GROWTH"
RAW_ON = ["checkin", "one_on_one", "kudos", "review", "raw"]
GROWTH = (Someone("lea", role=Role.LEAD), Someone("ana"), Someone("ben"), Someone("cid"))


async def growth(
    sessions: async_sessionmaker[AsyncSession], settings: dict[str, object] | None = None
) -> None:
    """Growth in T1 with its channel and KPI Raw on; Other in T2, which must hear nothing."""
    async with sessions() as session, session.begin():
        team = await seed_team(session, GROWTH, settings=settings or {"enabled": RAW_ON})
        team.channel_id = CHANNEL
        other = await seed_team(
            session,
            [Someone("zed", role=Role.LEAD), Someone("yan")],
            team="Other",
            workspace="T2",
            settings={"enabled": RAW_ON},
        )
        other.channel_id = "C0OTHER"
        await session.execute(update(Member).values(welcomed_at=LONG_AGO))


async def share(sessions: async_sessionmaker[AsyncSession], kpi_id: int) -> None:
    """The KPI was co-created with the team: the team sees its numbers."""
    async with sessions() as session, session.begin():
        await session.execute(update(Kpi).where(Kpi.id == kpi_id).values(shared=True))


async def history(
    sessions: async_sessionmaker[AsyncSession],
    kpi_id: int,
    owner: str,
    values: list[int],
    last_week: date,
    logged_at: datetime,
) -> None:
    """Weekly values ending with the week of `last_week`, logged long before the issue."""
    async with sessions() as session, session.begin():
        who = await member(session, owner)
        first = period_of(Cadence.WEEKLY, last_week).shifted(1 - len(values))
        for i, value in enumerate(values):
            period = first.shifted(i)
            session.add(
                KpiValue(
                    workspace_id=who.workspace_id,
                    kpi_id=kpi_id,
                    period=period.name,
                    period_start=period.start,
                    value=Decimal(value),
                    logged_by_id=who.id,
                    logged_at=logged_at - timedelta(days=7 * (len(values) - i) + 1),
                )
            )


async def kept_commitment(
    sessions: async_sessionmaker[AsyncSession], owner: str, action: str, closed: datetime
) -> None:
    """A commitment the lead made to clear an obstacle, done at `closed`."""
    async with sessions() as session, session.begin():
        lea, who = await member(session, "lea"), await member(session, owner)
        team = await session.scalar(select(Team).where(Team.name == "Growth"))
        assert team is not None
        session.add(
            Commitment(
                workspace_id=lea.workspace_id,
                team_id=team.id,
                for_id=who.id,
                owner_id=who.id,
                made_by_id=lea.id,
                action=action,
                due=closed.date(),
                status=CommitmentStatus.DONE,
                created_at=closed - timedelta(days=2),
                closed_at=closed,
            )
        )
