"""Experiment budgets: the part of a person's quarterly budget an experiment asks for."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, member_fk, stored_enum, team_fk
from storage.types import UtcDateTime


class BudgetState(enum.StrEnum):
    # Waiting for the lead.
    ASKED = "asked"
    # The lead asked a question; waiting for the person's answer.
    QUESTIONED = "questioned"
    APPROVED = "approved"


class BudgetRequest(Base):
    """An experiment's ask: how much, for what limited scope, until which look-back day.

    The amount is held against its owner's budget for `quarter` while asked and once approved;
    when the experiment is finished, only what was spent stays counted.
    """

    __tablename__ = "budget_request"
    __table_args__ = (
        team_fk(),
        member_fk("member_id"),
        member_fk("decided_by_id", cascade=False),
        Index(None, "team_id", "quarter"),
        Index(None, "member_id", "quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    # One ask per experiment: asking again changes it.
    experiment_id: Mapped[int] = mapped_column(
        ForeignKey("experiment.id", ondelete="CASCADE"), unique=True
    )
    member_id: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    unit: Mapped[str] = mapped_column(String(8))
    scope: Mapped[str] = mapped_column(Text)
    look_back: Mapped[date]
    quarter: Mapped[str] = mapped_column(String(7))
    state: Mapped[BudgetState] = mapped_column(stored_enum(BudgetState, "budget_state"))
    question: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None]
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    spent: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    spent_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
