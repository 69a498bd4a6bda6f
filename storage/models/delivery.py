"""Getting messages out: the scheduler's ledger of nudges, the outbox, and where Teams lets
the bot write first."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from storage.models.base import Base, member_fk, stored_enum, team_fk
from storage.models.people import Platform
from storage.types import UtcDateTime


class NudgeOutcome(enum.StrEnum):
    QUEUED = "queued"  # an outbox row carries it: its own, or a merged one (see reason)
    SKIPPED = "skipped"  # the person chose not to get it: paused, away, skipped the week
    MISSED = "missed"  # its grace window passed unsent: the bot was down, or the budget spent


class Nudge(Base):
    """The scheduler's ledger: one row per ritual, recipient and period, whatever became of it.

    Its unique key is what makes a tick idempotent: a second tick, a restart or a second
    replica computing the same prompt finds the row and does nothing.
    """

    __tablename__ = "nudge"
    __table_args__ = (
        member_fk("member_id"),
        team_fk(),
        Index(None, "ritual", "period"),
        # A tick asks, for each person it prompts, when they were last nudged (the month's
        # manners footer, a lead's first digest): without it, a full scan per slice of people.
        Index(None, "member_id", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No key of its own to the workspace: the member's key below holds it (member_id is never
    # empty), goes with it, and a tick checked it 10,000 times for nothing.
    workspace_id: Mapped[int]
    team_id: Mapped[int]
    member_id: Mapped[int]
    ritual: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    outcome: Mapped[NudgeOutcome] = mapped_column(stored_enum(NudgeOutcome, "nudge_outcome"))
    reason: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its time (next_attempt_at)
    SENDING = "sending"  # claimed by a worker until lease_until
    SENT = "sent"  # the platform accepted it
    FAILED = "failed"  # permanently: the reason says why
    # Its worker stopped mid-send and the platform never said whether it arrived: never sent
    # again blindly, left for an operator (`kpicoach outbox`, /healthz) to check and resend.
    IN_DOUBT = "in_doubt"


class Outbox(Base):
    """A message to send later: a scheduled nudge, a channel post, a proactive DM.

    A row is marked sent only after the platform accepted it. Workers claim rows by setting
    them `sending` with a lease; a row whose lease ran out was claimed by a worker that died.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        member_fk("member_id"),
        # A worker's claim reads the next due rows in this order and stops at its batch.
        Index(None, "status", "next_attempt_at", "id"),
        Index(None, "member_id", "budget_week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    platform: Mapped[Platform] = mapped_column(stored_enum(Platform, "platform"))
    # The member a DM goes to (None for a channel post); target is the platform's user or
    # channel id, so a worker needs no other table to send.
    member_id: Mapped[int | None]
    target: Mapped[str] = mapped_column(String(64))
    ritual: Mapped[str] = mapped_column(String(20))
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    # Counts against the recipient's weekly nudge budget (their local ISO week, "2026-W48").
    budget_week: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[OutboxStatus] = mapped_column(
        stored_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SendPace(Base):
    """A workspace's next free send slot, shared by every worker on the database: each claims
    a few slots at a time by moving it on, so replicas together keep the workspace's pace, and
    a 429's Retry-After moves it past the pause for all of them."""

    __tablename__ = "send_pace"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    # Seconds since the epoch (the workers' clocks; NTP keeps replicas within milliseconds).
    next_slot: Mapped[float] = mapped_column(Float)


class TeamsConversation(Base):
    """Where the bot can write first in Teams: a person's chat with it, or a channel.

    Teams gives a bot no way to open a chat from an id alone; it needs the service URL and the
    conversation (or the person's Teams id) from an activity it received. These are kept from
    every activity so nudges and channel posts can go out later. `key` is what the outbox
    targets: the person's AAD object id, or the channel's id.
    """

    __tablename__ = "teams_conversation"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        member_fk("member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[int | None]  # set for a person's chat
    service_url: Mapped[str] = mapped_column(String(300))
    bot_id: Mapped[str] = mapped_column(String(200))
    # The person's Teams id ("29:..."), to open a chat when none is known yet.
    user_id: Mapped[str | None] = mapped_column(String(200))
    conversation_id: Mapped[str | None] = mapped_column(String(300))
    # A channel's name as Teams last gave it ("General"): people are shown that, not its id.
    name: Mapped[str | None] = mapped_column(String(120))
    # Why it cannot be written to (the person blocked the bot, the bot left the team); cleared
    # when the conversation speaks to the bot again.
    unreachable: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
