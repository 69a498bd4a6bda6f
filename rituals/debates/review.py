"""What a debate's decision says to the quarterly review: one line per debated KPI, for the
review prompt of the owner and lead and for the team's summary post."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.periods import named
from rituals.debates.store import decisions_for_review
from rituals.debates.words import TITLE
from storage.models import Cadence


def review_quarters(quarter: str) -> tuple[str, ...]:
    """The quarters whose decisions a review reads: the one it looks back on, and its own
    (a debate decided in the review's first week still counts)."""
    period = named(Cadence.QUARTERLY, quarter)
    if period is None:
        return (quarter,)
    return (period.shifted(-1).name, period.name)


async def decided_lines(
    session: AsyncSession, kpis: Collection[tuple[int, str]], quarter: str
) -> dict[int, str]:
    """KPI id -> what its debate decided, for the KPIs given (id, name); one statement."""
    names = dict(kpis)
    found = await decisions_for_review(session, names, review_quarters(quarter))
    return {
        kpi_id: (
            f"{TITLE} on {names[kpi_id]}: the team decided {d.decision.value}"
            + (f" ({d.decision_why})" if d.decision_why else "")
            + "."
        )
        for kpi_id, d in found.items()
        if d.decision is not None
    }
