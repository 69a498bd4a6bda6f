"""Who may read a KPI's numbers and context notes: one rule, for every query that shows them.

The welcome promises "I won't show your individual numbers to anyone but you and your lead".
A team KPI (co-created and voted in the team's channel) is the team's to see; anything else is
seen by its owner and their lead only. Every screen, post or page that shows values filters
with `TEAM_SEES_NUMBERS` in SQL, or `team_sees_numbers` on a loaded row, never a rule of its own.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from storage.models import Kpi

# The SQL side of the rule, for queries that list KPIs a whole team may read.
TEAM_SEES_NUMBERS: ColumnElement[bool] = Kpi.shared.is_(True)


def team_sees_numbers(kpi: Kpi) -> bool:
    """Whether the KPI's team, beyond its owner and lead, may read its values and notes."""
    return kpi.shared
