"""One-on-ones: what was said, what either side wants to raise next, and the whys behind a dip."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from storage.models.base import Base, member_fk, team_fk
from storage.types import UtcDateTime


class OneOnOne(Base):
    """A one-on-one that happened: its notes and the next steps agreed, written after it."""

    __tablename__ = "one_on_one"
    __table_args__ = (
        team_fk(),
        member_fk("lead_id"),
        member_fk("member_id"),
        member_fk("written_by_id"),
        Index(None, "lead_id", "member_id", "held_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    lead_id: Mapped[int]
    member_id: Mapped[int]
    notes: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str] = mapped_column(Text)  # one step per line
    written_by_id: Mapped[int]
    held_at: Mapped[datetime] = mapped_column(UtcDateTime())


class TalkingPoint(Base):
    """Something either of a pair wants to raise at their next one-on-one."""

    __tablename__ = "talking_point"
    __table_args__ = (
        team_fk(),
        member_fk("lead_id"),
        member_fk("member_id"),
        member_fk("author_id"),
        Index(None, "lead_id", "member_id", "one_on_one_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    lead_id: Mapped[int]
    member_id: Mapped[int]
    author_id: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    # The one-on-one it was raised at; None until then.
    one_on_one_id: Mapped[int | None] = mapped_column(
        ForeignKey("one_on_one.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DipLadder(Base):
    """The answers to "Why did this dip?", asked again up to five times, for one KPI period."""

    __tablename__ = "dip_ladder"
    __table_args__ = (member_fk("member_id"), Index(None, "kpi_id", "period"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(8))
    member_id: Mapped[int]  # who answered
    whys: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
