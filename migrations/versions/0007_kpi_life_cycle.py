"""KPI life cycle

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 09:38:15.066068
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "purpose",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("closes_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("posted_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "lead_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_purpose_workspace_id_lead_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_purpose_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_purpose_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purpose")),
    )
    with op.batch_alter_table("purpose", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purpose_posted_at_closes_at"), ["posted_at", "closes_at"], unique=False
        )

    op.create_table(
        "kpi_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=20), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("changed_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_kpi_change_kpi_id_kpi"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "changed_by_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_kpi_change_workspace_id_changed_by_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_kpi_change_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_change")),
    )
    with op.batch_alter_table("kpi_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kpi_change_kpi_id"), ["kpi_id"], unique=False)

    op.create_table(
        "kpi_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("relevant", sa.Boolean(), nullable=False),
        sa.Column("motivating", sa.Boolean(), nullable=False),
        sa.Column(
            "verdict",
            sa.Enum("keep", "adjust", "kill", name="review_verdict", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("reviewed_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_kpi_review_kpi_id_kpi"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_kpi_review_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_kpi_review_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_review")),
        sa.UniqueConstraint(
            "kpi_id", "quarter", "member_id", name=op.f("uq_kpi_review_kpi_id_quarter_member_id")
        ),
    )
    op.create_table(
        "kpi_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("backs", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("voted_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_kpi_vote_kpi_id_kpi"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_kpi_vote_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_kpi_vote_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_vote")),
        sa.UniqueConstraint("kpi_id", "member_id", name=op.f("uq_kpi_vote_kpi_id_member_id")),
    )
    op.create_table(
        "purpose_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("purpose_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answered_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["purpose_id"],
            ["purpose.id"],
            name=op.f("fk_purpose_answer_purpose_id_purpose"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_purpose_answer_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_purpose_answer_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purpose_answer")),
        sa.UniqueConstraint(
            "purpose_id", "member_id", name=op.f("uq_purpose_answer_purpose_id_member_id")
        ),
    )
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_experiment_review_on"), ["review_on"], unique=False)

    with op.batch_alter_table("kpi", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shared", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("kpi_value", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("decline_asked", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("kpi_value", schema=None) as batch_op:
        batch_op.drop_column("decline_asked")

    with op.batch_alter_table("kpi", schema=None) as batch_op:
        batch_op.drop_column("shared")

    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_experiment_review_on"))

    op.drop_table("purpose_answer")
    op.drop_table("kpi_vote")
    op.drop_table("kpi_review")
    with op.batch_alter_table("kpi_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kpi_change_kpi_id"))

    op.drop_table("kpi_change")
    with op.batch_alter_table("purpose", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purpose_posted_at_closes_at"))

    op.drop_table("purpose")
