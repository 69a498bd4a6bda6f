"""Purpose workshops and their answers. None of these commit."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.bounded import slices
from storage.models import Member, Purpose, PurposeAnswer


async def latest_purpose(session: AsyncSession, workspace_id: int, team_id: int) -> Purpose | None:
    return await session.scalar(
        select(Purpose)
        .where(Purpose.workspace_id == workspace_id, Purpose.team_id == team_id)
        .order_by(Purpose.id.desc())
        .limit(1)
    )


async def answer_of(session: AsyncSession, purpose_id: int, member_id: int) -> PurposeAnswer | None:
    return await session.scalar(
        select(PurposeAnswer).where(
            PurposeAnswer.purpose_id == purpose_id, PurposeAnswer.member_id == member_id
        )
    )


async def answers_to(session: AsyncSession, purpose_id: int) -> list[tuple[PurposeAnswer, Member]]:
    """Every answer with its author, in the order they first came."""
    rows = await session.execute(
        select(PurposeAnswer, Member)
        .join(Member, Member.id == PurposeAnswer.member_id)
        .where(PurposeAnswer.purpose_id == purpose_id)
        .order_by(PurposeAnswer.id)
    )
    return [(a, m) for a, m in rows.all()]


async def closing_purposes(
    session: AsyncSession, team_ids: Collection[int], now: datetime
) -> list[Purpose]:
    """Workshops of these teams whose answers are due to be posted."""
    found: list[Purpose] = []
    for teams in slices(team_ids):
        query = select(Purpose).where(
            Purpose.posted_at.is_(None), Purpose.closes_at <= now, Purpose.team_id.in_(teams)
        )
        found.extend((await session.scalars(query)).all())
    return sorted(found, key=lambda purpose: purpose.id)
