"""A KPI's direction, and target changes that wait for their owner

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 10:00:00.000000

Existing KPIs get the direction their name and unit suggest, by the word lists app.yaml
shipped with when this migration was written (copied here: a migration must not change with
later settings); the owner can turn it afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOWER_TERMS = (
    "time to", "lead time", "cycle time", "response time", "resolution time", "handle time",
    "wait time", "turnaround", "latency", "downtime", "outage", "mttr", "cost", "spend",
    "expense", "churn", "attrition", "turnover", "defect", "bug", "failure rate", "error",
    "incident", "complaint", "escalation", "return rate", "returns", "refund", "cancellation",
    "bounce rate", "backlog", "overdue", "delay", "rework", "waste", "absence", "absenteeism",
)  # fmt: skip
HIGHER_TERMS = (
    "free", "saved", "savings", "avoided", "prevented", "reduction", "reduced", "fixed",
    "resolved", "on time", "uptime", "return on",
)  # fmt: skip


def _stems(text: str) -> list[str]:
    return [
        w[:-1] if len(w) > 3 and w.endswith("s") else w for w in re.findall(r"\w+", text.lower())
    ]


def _says(words: list[str], terms: Sequence[str]) -> bool:
    for term in terms:
        wanted = _stems(term)
        size = len(wanted)
        if any(words[i : i + size] == wanted for i in range(len(words) - size + 1)):
            return True
    return False


def _lower_is_better(name: str, unit: str) -> bool:
    words = _stems(f"{name} {unit}")
    return _says(words, LOWER_TERMS) and not _says(words, HIGHER_TERMS)


def upgrade() -> None:
    with op.batch_alter_table("kpi", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "direction",
                sa.Enum("higher", "lower", name="kpi_direction", native_enum=False, length=20),
                server_default="higher",
                nullable=False,
            )
        )
    with op.batch_alter_table("kpi_change", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("waiting", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("target", sa.Numeric(precision=18, scale=4), nullable=True))
    connection = op.get_bind()
    kpis = connection.execute(sa.text("SELECT id, name, unit FROM kpi")).all()
    lower = [kpi_id for kpi_id, name, unit in kpis if _lower_is_better(name, unit)]
    if lower:
        connection.execute(
            sa.text("UPDATE kpi SET direction = 'lower' WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": lower},
        )


def downgrade() -> None:
    # A change still waiting for its owner would read as made: it goes.
    op.execute(sa.text("DELETE FROM kpi_change WHERE waiting = :yes").bindparams(yes=True))
    with op.batch_alter_table("kpi_change", schema=None) as batch_op:
        batch_op.drop_column("target")
        batch_op.drop_column("waiting")
    with op.batch_alter_table("kpi", schema=None) as batch_op:
        batch_op.drop_column("direction")
