"""Stretch assignments: a piece of work that grows someone where a KPI of theirs lags."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, member_fk, stored_enum, team_fk
from storage.types import UtcDateTime


class StretchState(enum.StrEnum):
    # The lead opened it; the person has not said yes or no yet.
    ASKED = "asked"
    ACCEPTED = "accepted"
    # The person said not this time: they sit out the rotation for the quarter.
    DECLINED = "declined"
    DONE = "done"


class Stretch(Base):
    """What someone takes on, by when and with whom, toward a KPI that lags its target.

    `quarter` is the team's quarter it was opened in: the rotation counts within it.
    """

    __tablename__ = "stretch"
    __table_args__ = (
        team_fk(),
        member_fk("member_id"),
        member_fk("opened_by_id", cascade=False),
        member_fk("supporter_id", cascade=False),
        Index(None, "team_id", "quarter"),
        Index(None, "member_id", "finished_at"),
        Index(None, "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    member_id: Mapped[int]
    # Who opened it (the lead, or the person themself); None once they are forgotten.
    opened_by_id: Mapped[int | None]
    supporter_id: Mapped[int | None]
    what: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date]
    quarter: Mapped[str] = mapped_column(String(7))
    state: Mapped[StretchState] = mapped_column(stored_enum(StretchState, "stretch_state"))
    outcome: Mapped[str | None] = mapped_column(Text)
    learned: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
