"""A workspace's send pace in the database, shared by every replica's outbox worker; the
outbox indexed in the order workers claim it (a claim read and sorted every due row before)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 14:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "send_pace",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("next_slot", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_send_pace_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_send_pace")),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index(batch.f("ix_outbox_status_next_attempt_at"))
        batch.create_index(
            batch.f("ix_outbox_status_next_attempt_at_id"),
            ["status", "next_attempt_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index(batch.f("ix_outbox_status_next_attempt_at_id"))
        batch.create_index(
            batch.f("ix_outbox_status_next_attempt_at"), ["status", "next_attempt_at"], unique=False
        )
    op.drop_table("send_pace")
