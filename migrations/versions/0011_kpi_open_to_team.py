"""A KPI's owner may open its numbers to their team

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 11:30:00.000000

Every existing KPI stays as private as it was: only a team KPI (voted in the channel) was the
team's to see, and `open_to_team` starts false for all.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("kpi", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("open_to_team", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("kpi", schema=None) as batch_op:
        batch_op.drop_column("open_to_team")
