"""Servant vs Scorekeeper: a debate on one KPI between its sharpest critic and its most
empathetic advocate, and the team's decision that feeds the quarterly review."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, member_fk, stored_enum, team_fk
from storage.types import UtcDateTime


class Side(enum.StrEnum):
    """Which side a person argues: the critic questions the KPI, the advocate backs it."""

    CRITIC = "critic"
    ADVOCATE = "advocate"


class SeatAnswer(enum.StrEnum):
    """Whether someone the bot asked agreed to argue; a "no" is never shown to anyone."""

    ASKED = "asked"
    YES = "yes"
    NO = "no"


class DebateDecision(enum.StrEnum):
    KEEP = "keep"
    ADJUST = "adjust"
    KILL = "kill"


class Debate(Base):
    """A question about a KPI the lead put to a debate, its meeting slot and the decision.

    Open until both seats said yes; then `slot_at` is the team meeting it is held in; after it
    the lead records `decision`, which the quarter's review reads."""

    __tablename__ = "debate"
    __table_args__ = (
        team_fk(),
        member_fk("started_by_id", cascade=False),
        Index(None, "team_id", "quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(Text)
    # The lead who started it; None once they asked to be forgotten.
    started_by_id: Mapped[int | None]
    # The team meeting it is held in, set once both seats agreed.
    slot_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decision: Mapped[DebateDecision | None] = mapped_column(
        stored_enum(DebateDecision, "debate_decision")
    )
    decision_why: Mapped[str | None] = mapped_column(Text)
    # "2026-Q4", in the team's zone, when the decision was taken: the review that reads it.
    quarter: Mapped[str | None] = mapped_column(String(8))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DebateSeat(Base):
    """Someone the bot asked to argue one side, their answer, and their one line after."""

    __tablename__ = "debate_seat"
    __table_args__ = (
        UniqueConstraint("debate_id", "member_id"),
        member_fk("member_id"),
        Index(None, "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    debate_id: Mapped[int] = mapped_column(ForeignKey("debate.id", ondelete="CASCADE"))
    member_id: Mapped[int]
    side: Mapped[Side] = mapped_column(stored_enum(Side, "debate_side"))
    answer: Mapped[SeatAnswer] = mapped_column(stored_enum(SeatAnswer, "seat_answer"))
    line: Mapped[str | None] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DebateVolunteer(Base):
    """Someone who offered to argue a side on a KPI the next time it is debated."""

    __tablename__ = "debate_volunteer"
    __table_args__ = (UniqueConstraint("kpi_id", "member_id"), member_fk("member_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    member_id: Mapped[int]
    side: Mapped[Side] = mapped_column(stored_enum(Side, "debate_side"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
