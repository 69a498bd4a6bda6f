"""The ledger indexed by person and time: a tick's "when was this person last nudged" per slice

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 11:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_nudge_member_id_decided_at"),
        "nudge",
        ["member_id", "decided_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_nudge_member_id_decided_at"), table_name="nudge")
