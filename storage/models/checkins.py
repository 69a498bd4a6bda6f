"""The weekly check-in: obstacles, the leads' commitments that answer them, and the missteps a
lead shares to ask for feedback."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, member_fk, stored_enum, team_fk
from storage.types import UtcDateTime


class Obstacle(Base):
    """What is in someone's way in one check-in week; no text means nothing was."""

    __tablename__ = "obstacle"
    __table_args__ = (
        team_fk(),
        member_fk("member_id"),
        Index(None, "team_id", "week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    member_id: Mapped[int]
    week: Mapped[str] = mapped_column(String(8))  # the check-in week, "2026-W48"
    text: Mapped[str | None] = mapped_column(Text)
    kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpi.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CommitmentStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class Commitment(Base):
    """A lead's answer to an obstacle: an action, its owner, a due date, and what came of it."""

    __tablename__ = "commitment"
    __table_args__ = (
        team_fk(),
        member_fk("for_id"),
        member_fk("owner_id"),
        member_fk("made_by_id"),
        member_fk("closed_by_id"),
        Index(None, "team_id", "status", "due"),
        Index(None, "owner_id", "status"),
        Index(None, "for_id", "created_at"),
        Index(None, "obstacle_id"),  # "is this obstacle answered?", asked of every digest
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    obstacle_id: Mapped[int | None] = mapped_column(ForeignKey("obstacle.id", ondelete="SET NULL"))
    for_id: Mapped[int]  # whose obstacle it clears
    owner_id: Mapped[int]  # who does it
    made_by_id: Mapped[int]  # the lead who committed
    action: Mapped[str] = mapped_column(Text)
    due: Mapped[date]
    status: Mapped[CommitmentStatus] = mapped_column(
        stored_enum(CommitmentStatus, "commitment_status"), default=CommitmentStatus.OPEN
    )
    reason: Mapped[str | None] = mapped_column(Text)  # why it was dropped, in closed_by's words
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Who marked it done or dropped it (its owner or the lead who made it): whose the reason is.
    closed_by_id: Mapped[int | None]


class Misstep(Base):
    """A lead's own misstep, shared with the team to ask for candid feedback."""

    __tablename__ = "misstep"
    __table_args__ = (team_fk(), member_fk("lead_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    lead_id: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class MisstepFeedback(Base):
    """Feedback on a misstep. An anonymous answer has no author and only the day it came,
    so neither a column nor a timestamp leads back to who wrote it."""

    __tablename__ = "misstep_feedback"
    __table_args__ = (member_fk("author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    misstep_id: Mapped[int] = mapped_column(ForeignKey("misstep.id", ondelete="CASCADE"))
    author_id: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    given_on: Mapped[date]
