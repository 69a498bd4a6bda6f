"""Slack requests seen, by signature: a replay inside Slack's five minutes is refused

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_seen_request",
        sa.Column("signature", sa.String(length=80), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("signature", name=op.f("pk_slack_seen_request")),
    )
    op.create_index(
        op.f("ix_slack_seen_request_received_at"),
        "slack_seen_request",
        ["received_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_slack_seen_request_received_at"), table_name="slack_seen_request")
    op.drop_table("slack_seen_request")
