"""The skills heat-map and micro-mentorship sprints: a team's short list of skills, each
person's own ratings of themselves, whether they show their row, and the sprints in pairs."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, member_fk, stored_enum, team_fk
from storage.types import UtcDateTime


class Skill(Base):
    """One skill on a team's list ("Discovery calls", "SQL"), proposed by anyone on it."""

    __tablename__ = "skill"
    __table_args__ = (
        team_fk(),
        member_fk("proposed_by_id", cascade=False),
        # The name as compared: "sql" and "SQL" are one skill.
        UniqueConstraint("team_id", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(40))
    # None once the proposer asked to be forgotten: the skill stays the team's.
    proposed_by_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SkillRating(Base):
    """A person's rating of themselves on one skill, 1 (learning) to 4 (can teach).

    Rows are only added: the latest per person and skill is the rating, and the ones before
    are how far they came. Nobody writes a row for someone else.
    """

    __tablename__ = "skill_rating"
    __table_args__ = (
        team_fk(),
        member_fk("member_id"),
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        Index(None, "team_id", "member_id", "skill_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    member_id: Mapped[int]
    level: Mapped[int]
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SkillShare(Base):
    """That a person shows their whole row of the heat-map to their team. Without a row here
    the team sees only where they can teach."""

    __tablename__ = "skill_share"
    __table_args__ = (team_fk(), member_fk("member_id"), UniqueConstraint("team_id", "member_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    member_id: Mapped[int]
    shared_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SprintStatus(enum.StrEnum):
    # A gap named, waiting for someone who can teach it.
    OPEN = "open"
    # Claimed: the pair's two weeks are running.
    ACTIVE = "active"
    # The learner looked back: a win for both.
    DONE = "done"


class Mentorship(Base):
    """A gap a person wants to close, and once claimed, the two-week sprint of the pair."""

    __tablename__ = "mentorship"
    __table_args__ = (
        team_fk(),
        member_fk("learner_id"),
        member_fk("mentor_id"),
        member_fk("suggested_id", cascade=False),
        Index(None, "team_id", "status"),
        Index(None, "status", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"))
    learner_id: Mapped[int]
    # What the learner wants to be able to do, in their own words.
    goal: Mapped[str] = mapped_column(Text)
    status: Mapped[SprintStatus] = mapped_column(
        stored_enum(SprintStatus, "sprint_status"), default=SprintStatus.OPEN
    )
    # Who the bot asked to mentor, waiting for their yes; nobody else ever learns who it was.
    suggested_id: Mapped[int | None]
    mentor_id: Mapped[int | None]
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_on: Mapped[date | None] = mapped_column(Date)
    halfway_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # "What can you do now that you could not?", each in their own words.
    learner_lookback: Mapped[str | None] = mapped_column(Text)
    mentor_lookback: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class MentorDecline(Base):
    """That someone the bot asked said no to mentoring a gap: it asks someone else, and never
    tells the learner, nor anyone, who said no."""

    __tablename__ = "mentor_decline"
    __table_args__ = (
        member_fk("mentor_id"),
        UniqueConstraint("mentorship_id", "mentor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorship.id", ondelete="CASCADE"))
    mentor_id: Mapped[int]
    declined_at: Mapped[datetime] = mapped_column(UtcDateTime())
