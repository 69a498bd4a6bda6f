"""The tension pulse, kept as counts and words so no answer leads back to who gave it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from storage.models.base import Base, member_fk, team_fk
from storage.types import UtcDateTime


class Pulse(Base):
    """A tension pulse: "How does chasing this KPI feel right now?", 1 to 5 and a word.

    The answers are only counts per score and a list of words in no order: no row, position or
    timestamp ties an answer to the person who gave it. Who answered is kept apart
    (`PulseRespondent`), only to refuse a second answer.
    """

    __tablename__ = "pulse"
    __table_args__ = (
        team_fk(),
        member_fk("started_by_id", cascade=False),
        # A scheduled pulse is opened once per team and period, whichever tick gets there first.
        UniqueConstraint("team_id", "period"),
        Index(None, "closed_at", "closes_at"),
        # One open pulse per team, whatever a lead's double click or a racing tick try.
        Index(
            "uq_pulse_one_open",
            "team_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpi.id", ondelete="SET NULL"))
    question: Mapped[str] = mapped_column(Text)
    # The lead who started it; None for one the team's schedule opened (or a forgotten lead).
    started_by_id: Mapped[int | None]
    period: Mapped[str | None] = mapped_column(String(8))  # a scheduled pulse's week
    threshold: Mapped[int]  # answers needed before anyone sees results, fixed at the start
    counts: Mapped[list[int]] = mapped_column(JSON)  # answers per score, 1 to 5
    words: Mapped[list[str]] = mapped_column(JSON)  # shuffled as they come in
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Whether the results were shown when it closed (enough answers), or stay sealed.
    shown: Mapped[bool] = mapped_column(default=False, server_default=false())


class PulseRespondent(Base):
    """That someone answered a pulse, and nothing about what they answered."""

    __tablename__ = "pulse_respondent"
    __table_args__ = (UniqueConstraint("pulse_id", "member_id"), member_fk("member_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulse.id", ondelete="CASCADE"))
    member_id: Mapped[int]
