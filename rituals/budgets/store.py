"""Experiment budgets' queries, and how much of a budget a request holds.

A request holds its amount while it waits and once approved; when its experiment is finished,
only what was spent stays held, and the rest returns to the budget. None of these commit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BudgetRequest, BudgetState, Experiment, Kpi, Member


@dataclass(frozen=True)
class RequestRow:
    request: BudgetRequest
    experiment: Experiment
    kpi: Kpi
    person: Member

    @property
    def held(self) -> Decimal:
        """What it takes from the budget now."""
        r = self.request
        if r.state is BudgetState.APPROVED and self.experiment.result is not None:
            return r.spent or Decimal(0)
        return max(r.amount, r.spent or Decimal(0))


def _rows() -> Select[BudgetRequest, Experiment, Kpi, Member]:
    return (
        select(BudgetRequest, Experiment, Kpi, Member)
        .join(Experiment, Experiment.id == BudgetRequest.experiment_id)
        .join(Kpi, Kpi.id == Experiment.kpi_id)
        .join(Member, Member.id == BudgetRequest.member_id)
        .order_by(BudgetRequest.id)
    )


async def requests_where(
    session: AsyncSession,
    workspace_id: int,
    *,
    team_ids: Collection[int],
    quarters: Collection[str],
    member_id: int | None = None,
    states: Collection[BudgetState] = tuple(BudgetState),
) -> list[RequestRow]:
    """Requests on these teams in these quarters (a person's, or everyone's): one query."""
    if not team_ids or not quarters:
        return []
    query = _rows().where(
        BudgetRequest.workspace_id == workspace_id,
        BudgetRequest.team_id.in_(team_ids),
        BudgetRequest.quarter.in_(quarters),
        BudgetRequest.state.in_(states),
    )
    if member_id is not None:
        query = query.where(BudgetRequest.member_id == member_id)
    return [RequestRow(a, b, c, d) for a, b, c, d in (await session.execute(query)).all()]


async def request_by_id(session: AsyncSession, workspace_id: int, number: int) -> RequestRow | None:
    query = _rows().where(BudgetRequest.workspace_id == workspace_id, BudgetRequest.id == number)
    found = (await session.execute(query)).first()
    return RequestRow(found[0], found[1], found[2], found[3]) if found else None


async def request_of(session: AsyncSession, experiment_id: int) -> BudgetRequest | None:
    query = select(BudgetRequest).where(BudgetRequest.experiment_id == experiment_id)
    return (await session.scalars(query)).first()


def held(rows: Sequence[RequestRow], unit: str) -> Decimal:
    """What these requests take from a budget kept in `unit`."""
    return sum((r.held for r in rows if r.request.unit == unit), Decimal(0))


async def quarters_requests(
    session: AsyncSession, team_quarters: Collection[tuple[int, str]]
) -> list[RequestRow]:
    """Every approved request of these teams' quarters (every workspace), for the posts."""
    if not team_quarters:
        return []
    teams = {t for t, _ in team_quarters}
    quarters = {q for _, q in team_quarters}
    query = _rows().where(
        BudgetRequest.team_id.in_(teams),
        BudgetRequest.quarter.in_(quarters),
        BudgetRequest.state == BudgetState.APPROVED,
    )
    rows = [RequestRow(a, b, c, d) for a, b, c, d in (await session.execute(query)).all()]
    return [r for r in rows if (r.request.team_id, r.request.quarter) in team_quarters]
