"""The team's say on proposed KPIs. None of these commit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import KpiVote, Member


@dataclass(frozen=True)
class Tally:
    backs: int
    questions: int
    comments: tuple[tuple[str, bool, str], ...]  # (who, backs it, what they said)

    def __str__(self) -> str:
        return f"{self.backs} back it, {self.questions} question it"


async def vote_of(session: AsyncSession, kpi_id: int, member_id: int) -> KpiVote | None:
    return await session.scalar(
        select(KpiVote).where(KpiVote.kpi_id == kpi_id, KpiVote.member_id == member_id)
    )


async def tally(session: AsyncSession, kpi_id: int) -> Tally:
    rows = (
        await session.execute(
            select(KpiVote, Member.display_name)
            .join(Member, Member.id == KpiVote.member_id)
            .where(KpiVote.kpi_id == kpi_id)
            .order_by(KpiVote.voted_at, KpiVote.id)
        )
    ).all()
    backs = sum(1 for vote, _ in rows if vote.backs)
    comments = tuple((name, vote.backs, vote.comment) for vote, name in rows if vote.comment)
    return Tally(backs, len(rows) - backs, comments)
