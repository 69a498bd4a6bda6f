"""Stretch assignments and experiment budgets

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 11:06:48.583411
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stretch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("supporter_id", sa.Integer(), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "asked",
                "accepted",
                "declined",
                "done",
                name="stretch_state",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("learned", sa.Text(), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_stretch_kpi_id_kpi"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_stretch_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "opened_by_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_stretch_workspace_id_opened_by_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "supporter_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_stretch_workspace_id_supporter_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_stretch_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_stretch_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stretch")),
    )
    with op.batch_alter_table("stretch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stretch_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stretch_member_id_finished_at"),
            ["member_id", "finished_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_stretch_team_id_quarter"), ["team_id", "quarter"], unique=False
        )

    op.create_table(
        "budget_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("look_back", sa.Date(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "asked", "questioned", "approved", name="budget_state", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("spent", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("spent_note", sa.Text(), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
            name=op.f("fk_budget_request_experiment_id_experiment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "decided_by_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_budget_request_workspace_id_decided_by_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_budget_request_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_budget_request_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_budget_request_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_request")),
        sa.UniqueConstraint("experiment_id", name=op.f("uq_budget_request_experiment_id")),
    )
    with op.batch_alter_table("budget_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_request_member_id_quarter"),
            ["member_id", "quarter"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_budget_request_team_id_quarter"), ["team_id", "quarter"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("budget_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_request_team_id_quarter"))
        batch_op.drop_index(batch_op.f("ix_budget_request_member_id_quarter"))

    op.drop_table("budget_request")
    with op.batch_alter_table("stretch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stretch_team_id_quarter"))
        batch_op.drop_index(batch_op.f("ix_stretch_member_id_finished_at"))
        batch_op.drop_index(batch_op.f("ix_stretch_due_on"))

    op.drop_table("stretch")
