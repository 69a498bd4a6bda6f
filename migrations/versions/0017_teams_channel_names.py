"""Teams channels' names, so people are shown "#General" rather than a 19:... id

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 12:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("teams_conversation") as batch:
        batch.add_column(sa.Column("name", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("teams_conversation") as batch:
        batch.drop_column("name")
