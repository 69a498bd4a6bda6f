"""Check-ins, commitments, one-on-ones, and the KPI values, kudos and experiments their scripts read

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 08:48:43.641786
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "misstep",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "lead_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_misstep_workspace_id_lead_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_misstep_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_misstep_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_misstep")),
    )
    op.create_table(
        "one_on_one",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("held_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "lead_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_one_on_one_workspace_id_lead_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_one_on_one_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_one_on_one_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "written_by_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_one_on_one_workspace_id_written_by_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_one_on_one_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_on_one")),
    )
    with op.batch_alter_table("one_on_one", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_one_on_one_lead_id_member_id_held_at"),
            ["lead_id", "member_id", "held_at"],
            unique=False,
        )

    op.create_table(
        "dip_ladder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("whys", sa.JSON(), nullable=False),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_dip_ladder_kpi_id_kpi"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_dip_ladder_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_dip_ladder_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dip_ladder")),
    )
    with op.batch_alter_table("dip_ladder", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dip_ladder_kpi_id_period"), ["kpi_id", "period"], unique=False
        )

    op.create_table(
        "experiment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("hypothesis", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("finished_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_experiment_kpi_id_kpi"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "owner_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_experiment_workspace_id_owner_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_experiment_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiment")),
    )
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_experiment_owner_id_finished_at"),
            ["owner_id", "finished_at"],
            unique=False,
        )

    op.create_table(
        "kpi_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("logged_by_id", sa.Integer(), nullable=False),
        sa.Column("logged_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_kpi_value_kpi_id_kpi"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "logged_by_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_kpi_value_workspace_id_logged_by_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_kpi_value_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_value")),
    )
    with op.batch_alter_table("kpi_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kpi_value_kpi_id_period_start"), ["kpi_id", "period_start"], unique=False
        )

    op.create_table(
        "kudos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=True),
        sa.Column("story", sa.Text(), nullable=False),
        sa.Column("reward", sa.String(length=80), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_kudos_kpi_id_kpi"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_kudos_team_id_team"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "from_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_kudos_workspace_id_from_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_kudos_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kudos")),
    )
    op.create_table(
        "misstep_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("misstep_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["misstep_id"],
            ["misstep.id"],
            name=op.f("fk_misstep_feedback_misstep_id_misstep"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "author_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_misstep_feedback_workspace_id_author_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_misstep_feedback_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_misstep_feedback")),
    )
    op.create_table(
        "obstacle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("kpi_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpi.id"], name=op.f("fk_obstacle_kpi_id_kpi"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_obstacle_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_obstacle_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_obstacle_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obstacle")),
    )
    with op.batch_alter_table("obstacle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_obstacle_team_id_week"), ["team_id", "week"], unique=False
        )

    op.create_table(
        "talking_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("one_on_one_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["one_on_one_id"],
            ["one_on_one.id"],
            name=op.f("fk_talking_point_one_on_one_id_one_on_one"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "author_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_talking_point_workspace_id_author_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "lead_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_talking_point_workspace_id_lead_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_talking_point_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_talking_point_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_talking_point_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talking_point")),
    )
    with op.batch_alter_table("talking_point", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_talking_point_lead_id_member_id_one_on_one_id"),
            ["lead_id", "member_id", "one_on_one_id"],
            unique=False,
        )

    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("obstacle_id", sa.Integer(), nullable=True),
        sa.Column("for_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open", "done", "dropped", name="commitment_status", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["obstacle_id"],
            ["obstacle.id"],
            name=op.f("fk_commitment_obstacle_id_obstacle"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "for_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_commitment_workspace_id_for_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "made_by_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_commitment_workspace_id_made_by_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "owner_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_commitment_workspace_id_owner_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_commitment_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_commitment_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment")),
    )
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_for_id_created_at"), ["for_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_commitment_obstacle_id"), ["obstacle_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_commitment_owner_id_status"), ["owner_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_commitment_team_id_status_due"),
            ["team_id", "status", "due"],
            unique=False,
        )

    op.create_table(
        "kudos_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kudos_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kudos_id"],
            ["kudos.id"],
            name=op.f("fk_kudos_recipient_kudos_id_kudos"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_kudos_recipient_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_kudos_recipient_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kudos_recipient")),
        sa.UniqueConstraint(
            "kudos_id", "member_id", name=op.f("uq_kudos_recipient_kudos_id_member_id")
        ),
    )
    with op.batch_alter_table("kudos_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kudos_recipient_member_id"), ["member_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("kudos_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kudos_recipient_member_id"))

    op.drop_table("kudos_recipient")
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_team_id_status_due"))
        batch_op.drop_index(batch_op.f("ix_commitment_owner_id_status"))
        batch_op.drop_index(batch_op.f("ix_commitment_obstacle_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_for_id_created_at"))

    op.drop_table("commitment")
    with op.batch_alter_table("talking_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_talking_point_lead_id_member_id_one_on_one_id"))

    op.drop_table("talking_point")
    with op.batch_alter_table("obstacle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_obstacle_team_id_week"))

    op.drop_table("obstacle")
    op.drop_table("misstep_feedback")
    op.drop_table("kudos")
    with op.batch_alter_table("kpi_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kpi_value_kpi_id_period_start"))

    op.drop_table("kpi_value")
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_experiment_owner_id_finished_at"))

    op.drop_table("experiment")
    with op.batch_alter_table("dip_ladder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dip_ladder_kpi_id_period"))

    op.drop_table("dip_ladder")
    with op.batch_alter_table("one_on_one", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_one_on_one_lead_id_member_id_held_at"))

    op.drop_table("one_on_one")
    op.drop_table("misstep")
