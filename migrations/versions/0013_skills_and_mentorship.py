"""The skills heat-map and micro-mentorship sprints: a team's skills, self-ratings kept as
history, who shows their row, the sprints in pairs and the declines nobody is told of

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 11:06:58.801538
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "skill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_key", sa.String(length=40), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "proposed_by_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_skill_workspace_id_proposed_by_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_skill_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_skill_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill")),
        sa.UniqueConstraint("team_id", "name_key", name=op.f("uq_skill_team_id_name_key")),
    )
    op.create_table(
        "skill_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("shared_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_skill_share_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_skill_share_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_skill_share_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_share")),
        sa.UniqueConstraint("team_id", "member_id", name=op.f("uq_skill_share_team_id_member_id")),
    )
    op.create_table(
        "mentorship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "active", "done", name="sprint_status", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("suggested_id", sa.Integer(), nullable=True),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("asked_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("halfway_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("learner_lookback", sa.Text(), nullable=True),
        sa.Column("mentor_lookback", sa.Text(), nullable=True),
        sa.Column("finished_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skill.id"],
            name=op.f("fk_mentorship_skill_id_skill"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "learner_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_mentorship_workspace_id_learner_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "mentor_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_mentorship_workspace_id_mentor_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "suggested_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_mentorship_workspace_id_suggested_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_mentorship_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_mentorship_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentorship")),
    )
    with op.batch_alter_table("mentorship", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentorship_status_ends_on"), ["status", "ends_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mentorship_team_id_status"), ["team_id", "status"], unique=False
        )

    op.create_table(
        "skill_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("rated_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 4", name=op.f("ck_skill_rating_level")),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skill.id"],
            name=op.f("fk_skill_rating_skill_id_skill"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "member_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_skill_rating_workspace_id_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["team.workspace_id", "team.id"],
            name=op.f("fk_skill_rating_workspace_id_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_skill_rating_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_rating")),
    )
    with op.batch_alter_table("skill_rating", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_skill_rating_team_id_member_id_skill_id"),
            ["team_id", "member_id", "skill_id"],
            unique=False,
        )

    op.create_table(
        "mentor_decline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("mentorship_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("declined_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentorship_id"],
            ["mentorship.id"],
            name=op.f("fk_mentor_decline_mentorship_id_mentorship"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "mentor_id"],
            ["member.workspace_id", "member.id"],
            name=op.f("fk_mentor_decline_workspace_id_mentor_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_mentor_decline_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_decline")),
        sa.UniqueConstraint(
            "mentorship_id", "mentor_id", name=op.f("uq_mentor_decline_mentorship_id_mentor_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("mentor_decline")
    with op.batch_alter_table("skill_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skill_rating_team_id_member_id_skill_id"))

    op.drop_table("skill_rating")
    with op.batch_alter_table("mentorship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentorship_team_id_status"))
        batch_op.drop_index(batch_op.f("ix_mentorship_status_ends_on"))

    op.drop_table("mentorship")
    op.drop_table("skill_share")
    op.drop_table("skill")
