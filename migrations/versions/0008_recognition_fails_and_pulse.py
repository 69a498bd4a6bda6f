"""Recognition, Fail of the Month and the tension pulse

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21 10:26:13.830119
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fail_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("closed_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_fail_month_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_fail_month_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fail_month")),
        sa.UniqueConstraint("team_id", "month", name=op.f("uq_fail_month_team_id_month")),
    )
    op.create_table(
        "fail_nomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("nominee_id", sa.Integer(), nullable=False),
        sa.Column("nominator_id", sa.Integer(), nullable=True),
        sa.Column("misstep", sa.Text(), nullable=False),
        sa.Column("learned", sa.Text(), nullable=False),
        sa.Column(
            "consent",
            sa.Enum("asked", "given", "declined", name="consent", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=True),
        sa.Column("won", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "nominator_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_fail_nomination_workspace_id_nominator_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "nominee_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_fail_nomination_workspace_id_nominee_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_fail_nomination_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_fail_nomination_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fail_nomination")),
    )
    with op.batch_alter_table("fail_nomination", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fail_nomination_team_id_month"), ["team_id", "month"], unique=False
        )

    op.create_table(
        "fail_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["fail_nomination.id"],
            name=op.f("fk_fail_vote_nomination_id_fail_nomination"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_fail_vote_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "voter_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_fail_vote_workspace_id_voter_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_fail_vote_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fail_vote")),
        sa.UniqueConstraint(
            "team_id", "month", "voter_id", name=op.f("uq_fail_vote_team_id_month_voter_id")
        ),
    )
    op.create_table(
        "pulse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=8), nullable=True),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("words", sa.JSON(), nullable=False),
        sa.Column("opened_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("shown", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_pulse_kpi_id_kpi"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "started_by_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_pulse_workspace_id_started_by_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_pulse_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_pulse_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse")),
        sa.UniqueConstraint("team_id", "period", name=op.f("uq_pulse_team_id_period")),
    )
    with op.batch_alter_table("pulse", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pulse_closed_at_closes_at"), ["closed_at", "closes_at"], unique=False
        )
        batch_op.create_index(
            "uq_pulse_one_open",
            ["team_id"],
            unique=True,
            sqlite_where=sa.text("closed_at IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL"),
        )

    op.create_table(
        "pulse_respondent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pulse_id"],
            ["pulse.id"],
            name=op.f("fk_pulse_respondent_pulse_id_pulse"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_pulse_respondent_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_pulse_respondent_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_respondent")),
        sa.UniqueConstraint(
            "pulse_id", "member_id", name=op.f("uq_pulse_respondent_pulse_id_member_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("pulse_respondent")
    with op.batch_alter_table("pulse", schema=None) as batch_op:
        batch_op.drop_index("uq_pulse_one_open")
        batch_op.drop_index(batch_op.f("ix_pulse_closed_at_closes_at"))

    op.drop_table("pulse")
    op.drop_table("fail_vote")
    with op.batch_alter_table("fail_nomination", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fail_nomination_team_id_month"))

    op.drop_table("fail_nomination")
    op.drop_table("fail_month")
