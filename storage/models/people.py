"""People and where they meet: workspaces, members, teams and who is on which."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from storage.models.base import Base, member_fk, stored_enum, team_fk
from storage.types import UtcDateTime


class Platform(enum.StrEnum):
    SLACK = "slack"
    TEAMS = "teams"
    CONSOLE = "console"


class Role(enum.StrEnum):
    """A member's role on one team. Admins are workspace-wide: see `Member.is_admin`."""

    MEMBER = "member"
    LEAD = "lead"


class Workspace(Base):
    """A Slack workspace, a Teams tenant, or the local console's demo workspace."""

    __tablename__ = "workspace"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(stored_enum(Platform, "platform"))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Member(Base):
    """A person in one workspace; the same human in two workspaces is two members."""

    __tablename__ = "member"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform_user_id"),
        UniqueConstraint("workspace_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(120))
    time_zone: Mapped[str] = mapped_column(String(64))
    # Comma-separated three-letter days, e.g. "mon,tue,wed,thu,fri".
    working_days: Mapped[str] = mapped_column(String(27))
    # Local "HH:MM" times. Quiet hours left empty follow app.yaml's default.
    work_start: Mapped[str] = mapped_column(String(5), default="09:00")
    work_end: Mapped[str] = mapped_column(String(5), default="17:00")
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    nudges_paused: Mapped[bool] = mapped_column(default=False)
    # On leave: no nudges before this local date (`away until 2026-12-01`).
    away_until: Mapped[date | None]
    # "2026-W48": nudges of that local ISO week are skipped (`skip week`).
    skip_week: Mapped[str | None] = mapped_column(String(8))
    # Nudges due before this moment wait for it (`snooze 2h`).
    snoozed_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    date_language: Mapped[str] = mapped_column(String(8), default="en")
    # The person who installed the app, and whoever they make admin: may manage every team.
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    welcomed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Team(Base):
    """A group of people with a lead (a membership with the lead role) and a home channel."""

    __tablename__ = "team"
    __table_args__ = (
        UniqueConstraint("workspace_id", "name"),
        UniqueConstraint("workspace_id", "id"),
        UniqueConstraint("workspace_id", "channel_id"),  # a channel is home to one team
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    channel_id: Mapped[str | None] = mapped_column(String(64))
    time_zone: Mapped[str] = mapped_column(String(64))
    settings: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Membership(Base):
    """A member's place on a team, with their role there."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("team_id", "member_id"),
        team_fk(),
        member_fk("member_id"),
        Index(None, "workspace_id", "member_id"),
        # One lead per team, whatever two commands racing each other try.
        Index(
            "uq_membership_one_lead",
            "team_id",
            unique=True,
            sqlite_where=text("role = 'lead'"),
            postgresql_where=text("role = 'lead'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    member_id: Mapped[int]
    role: Mapped[Role] = mapped_column(stored_enum(Role, "role"), default=Role.MEMBER)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class JoinRequest(Base):
    """Someone asked to join a team; the lead approves or declines."""

    __tablename__ = "join_request"
    __table_args__ = (
        UniqueConstraint("team_id", "member_id"),
        team_fk(),
        member_fk("member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    member_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
