"""Experiments as rituals and the tick read them. None of these commit."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Experiment, Kpi


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
