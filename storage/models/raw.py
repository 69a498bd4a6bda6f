"""KPI Raw, the weekly newsletter: who keeps their numbers out of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, member_fk
from storage.types import UtcDateTime


class RawOptOut(Base):
    """A person who keeps their numbers out of KPI Raw: their KPIs' values, notes and falls
    are left out of every issue, whatever the team may otherwise see."""

    __tablename__ = "raw_opt_out"
    __table_args__ = (UniqueConstraint("workspace_id", "member_id"), member_fk("member_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    member_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
