"""A KPI's whole life: proposal and vote, the values logged, the experiments to lift it, and
its quarterly review."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, member_fk, stored_enum
from storage.types import UtcDateTime


class Cadence(enum.StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class Direction(enum.StrEnum):
    """Which way a KPI gets better: most rise to their target, some (time to restore, cost,
    churn) fall to it, and a fall is then the win."""

    HIGHER = "higher"
    LOWER = "lower"


class KpiStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    RETIRED = "retired"


class Kpi(Base):
    """A KPI from proposal to retirement. Retired KPIs keep their row and their reason."""

    __tablename__ = "kpi"
    __table_args__ = (
        ForeignKeyConstraint(["workspace_id", "owner_id"], ["member.workspace_id", "member.id"]),
        ForeignKeyConstraint(
            ["workspace_id", "proposed_by_id"], ["member.workspace_id", "member.id"]
        ),
        ForeignKeyConstraint(["workspace_id", "team_id"], ["team.workspace_id", "team.id"]),
        Index(None, "workspace_id", "owner_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int | None]
    owner_id: Mapped[int]
    proposed_by_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(24))
    target: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    cadence: Mapped[Cadence] = mapped_column(stored_enum(Cadence, "cadence"))
    # Inferred from the name and unit when proposed; its owner can turn it.
    direction: Mapped[Direction] = mapped_column(
        stored_enum(Direction, "kpi_direction"),
        default=Direction.HIGHER,
        server_default=Direction.HIGHER.value,
    )
    status: Mapped[KpiStatus] = mapped_column(
        stored_enum(KpiStatus, "kpi_status"), default=KpiStatus.PROPOSED
    )
    # The proposer's answer to "How can we measure success in a way that excites you?"
    excites: Mapped[str | None] = mapped_column(Text)
    # The owner's growth goal this KPI feeds; a KPI cannot be activated without it.
    growth_goal: Mapped[str | None] = mapped_column(Text)
    # Set when the KPI counts effort; it must be answered with the outcome it drives.
    effort_term: Mapped[str | None] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(Text)
    retired_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # When the owner agreed to it: at once for their own proposals, on `accept` otherwise.
    agreed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    activated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Posted to its team's channel for a vote: the team co-created it and sees its numbers.
    shared: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The owner opened its numbers and notes to their team (`share`); private by default.
    open_to_team: Mapped[bool] = mapped_column(default=False, server_default=false())


class KpiVote(Base):
    """A teammate's say on a proposed KPI: back it, or question it (with a comment).

    One per person and KPI, changed by voting again."""

    __tablename__ = "kpi_vote"
    __table_args__ = (UniqueConstraint("kpi_id", "member_id"), member_fk("member_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    member_id: Mapped[int]
    backs: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(Text)
    voted_at: Mapped[datetime] = mapped_column(UtcDateTime())


class KpiValue(Base):
    """A KPI's value for one period. Rows are never updated: a correction is a newer row for
    the same period, so the history keeps what was said before."""

    __tablename__ = "kpi_value"
    __table_args__ = (
        member_fk("logged_by_id"),
        Index(None, "kpi_id", "period_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    # "2026-W48", "2026-11" or "2026-Q4", by the KPI's cadence; and the day it starts, to order by.
    period: Mapped[str] = mapped_column(String(8))
    period_start: Mapped[date]
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    note: Mapped[str | None] = mapped_column(Text)
    logged_by_id: Mapped[int]
    logged_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # This value fell sharply and "what wild idea will we test?" was asked: once per period.
    decline_asked: Mapped[bool] = mapped_column(default=False, server_default=false())


class Experiment(Base):
    """A wild idea tested to bring a KPI back up: a hypothesis with a date to look back."""

    __tablename__ = "experiment"
    __table_args__ = (
        member_fk("owner_id"),
        Index(None, "owner_id", "finished_at"),
        Index(None, "review_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    owner_id: Mapped[int]
    hypothesis: Mapped[str] = mapped_column(Text)
    started_on: Mapped[date]
    review_on: Mapped[date]
    result: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReviewVerdict(enum.StrEnum):
    KEEP = "keep"
    ADJUST = "adjust"
    KILL = "kill"


class KpiReview(Base):
    """One person's quarterly review of one KPI: still relevant, still motivating, and the
    verdict. The owner and their lead each give one per quarter; a second replaces the first."""

    __tablename__ = "kpi_review"
    __table_args__ = (UniqueConstraint("kpi_id", "quarter", "member_id"), member_fk("member_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    quarter: Mapped[str] = mapped_column(String(8))
    member_id: Mapped[int]
    relevant: Mapped[bool]
    motivating: Mapped[bool]
    verdict: Mapped[ReviewVerdict] = mapped_column(stored_enum(ReviewVerdict, "review_verdict"))
    why: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class KpiChange(Base):
    """A KPI's target or definition changed in review, with what it was and why.

    A change someone else asks for waits for the owner's agreement: targets are set with the
    owner, never for them. Until then it is `waiting`, and `changed_at` is when it was asked;
    agreed, it takes effect and `changed_at` becomes that day. An answered one is deleted."""

    __tablename__ = "kpi_change"
    __table_args__ = (member_fk("changed_by_id"), Index(None, "kpi_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    changed_by_id: Mapped[int]
    what: Mapped[str] = mapped_column(String(20))  # "target" or "name"
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    waiting: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A target change's new number, to apply when the owner agrees.
    target: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
