"""KPI values as logged: every row kept, the latest said per period read as the value.

None of these commit; each reads only the KPIs it is given, which the caller found in its own
workspace.

Experiments' queries live here too: what each KPI hack tried and when to look back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Experiment, Kpi, KpiStatus, KpiValue, Membership


def latest_per_period(rows: Sequence[KpiValue]) -> list[KpiValue]:
    """One value per period, the latest said (corrections win), in period order."""
    chosen: dict[str, KpiValue] = {}
    for row in rows:
        held = chosen.get(row.period)
        if held is None or (row.logged_at, row.id) > (held.logged_at, held.id):
            chosen[row.period] = row
    return sorted(chosen.values(), key=lambda r: r.period_start)


async def values_since(session: AsyncSession, kpi_id: int, since: date) -> Sequence[KpiValue]:
    """Every row logged for periods starting on or after `since`, corrections included."""
    query = (
        select(KpiValue)
        .where(KpiValue.kpi_id == kpi_id, KpiValue.period_start >= since)
        .order_by(KpiValue.period_start, KpiValue.logged_at, KpiValue.id)
    )
    return (await session.scalars(query)).all()


async def series_since(
    session: AsyncSession, kpi_ids: Collection[int], since: date
) -> dict[int, list[KpiValue]]:
    """Each KPI's value per period since a day, in one query however many KPIs."""
    if not kpi_ids:
        return {}
    query = (
        select(KpiValue)
        .where(KpiValue.kpi_id.in_(kpi_ids), KpiValue.period_start >= since)
        .order_by(KpiValue.kpi_id, KpiValue.period_start)
    )
    rows: dict[int, list[KpiValue]] = defaultdict(list)
    for row in (await session.scalars(query)).all():
        rows[row.kpi_id].append(row)
    return {kpi_id: latest_per_period(found) for kpi_id, found in rows.items()}


async def active_team_kpis(session: AsyncSession, workspace_id: int, team_id: int) -> list[Kpi]:
    """The active KPIs owned by a team's people, whatever team each KPI is filed under: a
    person's KPIs are their team's concern."""
    owners = select(Membership.member_id).where(
        Membership.workspace_id == workspace_id, Membership.team_id == team_id
    )
    query = (
        select(Kpi)
        .where(
            Kpi.workspace_id == workspace_id,
            Kpi.status == KpiStatus.ACTIVE,
            Kpi.owner_id.in_(owners),
        )
        .order_by(Kpi.owner_id, Kpi.id)
    )
    return list((await session.scalars(query)).all())


async def experiment_by_id(
    session: AsyncSession, workspace_id: int, experiment_id: int
) -> tuple[Experiment, Kpi] | None:
    found = (
        await session.execute(
            select(Experiment, Kpi)
            .join(Kpi, Kpi.id == Experiment.kpi_id)
            .where(Experiment.workspace_id == workspace_id, Experiment.id == experiment_id)
        )
    ).first()
    return (found[0], found[1]) if found else None


async def experiments_of(
    session: AsyncSession, workspace_id: int, owner_id: int
) -> list[tuple[Experiment, str]]:
    """A person's experiments with their KPI's name, oldest first."""
    rows = await session.execute(
        select(Experiment, Kpi.name)
        .join(Kpi, Kpi.id == Experiment.kpi_id)
        .where(Experiment.workspace_id == workspace_id, Experiment.owner_id == owner_id)
        .order_by(Experiment.id)
    )
    return [(e, name) for e, name in rows.all()]


@dataclass(frozen=True)
class DueExperiment:
    experiment: Experiment
    kpi_name: str
    team_id: int | None  # the KPI's team, when it has one


async def due_experiments(session: AsyncSession, days: Collection[date]) -> list[DueExperiment]:
    """Unfinished experiments whose look-back day is one of these (every workspace)."""
    if not days:
        return []
    rows = await session.execute(
        select(Experiment, Kpi.name, Kpi.team_id)
        .join(Kpi, Kpi.id == Experiment.kpi_id)
        .where(Experiment.result.is_(None), Experiment.review_on.in_(days))
        .order_by(Experiment.id)
    )
    return [DueExperiment(e, name, team_id) for e, name, team_id in rows.all()]
