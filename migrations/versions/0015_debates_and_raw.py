"""Servant vs Scorekeeper debates, and who keeps their numbers out of KPI Raw

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 11:06:08.953168
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "raw_opt_out",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_raw_opt_out_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_raw_opt_out_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raw_opt_out")),
        sa.UniqueConstraint(
            "workspace_id", "member_id", name=op.f("uq_raw_opt_out_workspace_id_member_id")
        ),
    )
    op.create_table(
        "debate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("slot_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "decision",
            sa.Enum("keep", "adjust", "kill", name="debate_decision", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column("decision_why", sa.Text(), nullable=True),
        sa.Column("quarter", sa.String(length=8), nullable=True),
        sa.Column("decided_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_debate_kpi_id_kpi"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "started_by_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_debate_workspace_id_started_by_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_debate_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_debate_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debate")),
    )
    with op.batch_alter_table("debate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_debate_team_id_quarter"), ["team_id", "quarter"], unique=False
        )

    op.create_table(
        "debate_volunteer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "side",
            sa.Enum("critic", "advocate", name="debate_side", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_debate_volunteer_kpi_id_kpi"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_debate_volunteer_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_debate_volunteer_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debate_volunteer")),
        sa.UniqueConstraint(
            "kpi_id", "member_id", name=op.f("uq_debate_volunteer_kpi_id_member_id")
        ),
    )
    op.create_table(
        "debate_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("debate_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "side",
            sa.Enum("critic", "advocate", name="debate_side", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "answer",
            sa.Enum("asked", "yes", "no", name="seat_answer", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("line", sa.Text(), nullable=True),
        sa.Column("asked_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["debate_id"],
            ["debate.id"],
            name=op.f("fk_debate_seat_debate_id_debate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_debate_seat_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_debate_seat_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debate_seat")),
        sa.UniqueConstraint(
            "debate_id", "member_id", name=op.f("uq_debate_seat_debate_id_member_id")
        ),
    )
    with op.batch_alter_table("debate_seat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_debate_seat_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("debate_seat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_debate_seat_member_id"))

    op.drop_table("debate_seat")
    op.drop_table("debate_volunteer")
    with op.batch_alter_table("debate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_debate_team_id_quarter"))

    op.drop_table("debate")
    op.drop_table("raw_opt_out")
