"""The "why we exist" workshop and each member's answer to it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, member_fk, team_fk
from storage.types import UtcDateTime


class Purpose(Base):
    """A "why we exist" workshop: the lead's purpose, and until when answers are gathered."""

    __tablename__ = "purpose"
    __table_args__ = (team_fk(), member_fk("lead_id"), Index(None, "posted_at", "closes_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    lead_id: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime())
    posted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PurposeAnswer(Base):
    """How one member's role moves the needle on the purpose; revised in place."""

    __tablename__ = "purpose_answer"
    __table_args__ = (UniqueConstraint("purpose_id", "member_id"), member_fk("member_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    purpose_id: Mapped[int] = mapped_column(ForeignKey("purpose.id", ondelete="CASCADE"))
    member_id: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())
