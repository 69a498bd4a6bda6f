"""The ledger's own foreign key to its workspace goes: its key to the member, (workspace,
member), already holds the workspace and goes with it, and the check a row cost was a tenth of
a 10,000-person check-in's ledger insert on PostgreSQL

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 21:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("nudge") as batch:
        batch.drop_constraint(batch.f("fk_nudge_workspace_id_workspace"), type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("nudge") as batch:
        batch.create_foreign_key(
            batch.f("fk_nudge_workspace_id_workspace"),
            "workspace",
            ["workspace_id"],
            ["id"],
            ondelete="CASCADE",
        )
