"""Who closed a commitment (marked it done or dropped it): the reason given is their words, and
an export carries it only to them

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 18:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("commitment") as batch:
        batch.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_commitment_workspace_id_closed_by_id_member"),
            "member",
            ["workspace_id", "closed_by_id"],
            ["workspace_id", "id"],
            ondelete="CASCADE",
        )
    # Who closed one before is known only when its owner made it too; the others' reasons are
    # left with nobody's name, so no export carries them (never the wrong person's).
    commitment = sa.table(
        "commitment",
        sa.column("owner_id", sa.Integer()),
        sa.column("made_by_id", sa.Integer()),
        sa.column("closed_at", sa.DateTime()),
        sa.column("closed_by_id", sa.Integer()),
    )
    op.execute(
        commitment.update()
        .where(
            commitment.c.closed_at.is_not(None),
            commitment.c.owner_id == commitment.c.made_by_id,
        )
        .values(closed_by_id=commitment.c.owner_id)
    )


def downgrade() -> None:
    with op.batch_alter_table("commitment") as batch:
        batch.drop_constraint(
            batch.f("fk_commitment_workspace_id_closed_by_id_member"), type_="foreignkey"
        )
        batch.drop_column("closed_by_id")
