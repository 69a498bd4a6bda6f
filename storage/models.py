"""The typed ORM models. The schema only changes through an Alembic migration.

Every row that holds team data carries its workspace, and rows that point at a member or a team
do so with a composite key that includes the workspace, so the database itself refuses a row that
would link two workspaces.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Enum,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import JSON

from storage.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Store the readable value, not the Python name, and keep it a plain string column so adding
    # a value later is a one-line migration on every engine.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
    )


class Platform(enum.StrEnum):
    SLACK = "slack"
    TEAMS = "teams"
    CONSOLE = "console"


class Role(enum.StrEnum):
    """A member's role on one team. Admins are workspace-wide: see `Member.is_admin`."""

    MEMBER = "member"
    LEAD = "lead"


class Cadence(enum.StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class KpiStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    RETIRED = "retired"


class Workspace(Base):
    """A Slack workspace, a Teams tenant, or the local console's demo workspace."""

    __tablename__ = "workspace"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(_enum(Platform, "platform"))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Member(Base):
    """A person in one workspace; the same human in two workspaces is two members."""

    __tablename__ = "member"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform_user_id"),
        UniqueConstraint("workspace_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(120))
    time_zone: Mapped[str] = mapped_column(String(64))
    # Comma-separated three-letter days, e.g. "mon,tue,wed,thu,fri".
    working_days: Mapped[str] = mapped_column(String(27))
    # Local "HH:MM" times. Quiet hours left empty follow app.yaml's default.
    work_start: Mapped[str] = mapped_column(String(5), default="09:00")
    work_end: Mapped[str] = mapped_column(String(5), default="17:00")
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    nudges_paused: Mapped[bool] = mapped_column(default=False)
    # On leave: no nudges before this local date (`away until 2026-12-01`).
    away_until: Mapped[date | None]
    # "2026-W48": nudges of that local ISO week are skipped (`skip week`).
    skip_week: Mapped[str | None] = mapped_column(String(8))
    # Nudges due before this moment wait for it (`snooze 2h`).
    snoozed_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    date_language: Mapped[str] = mapped_column(String(8), default="en")
    # The person who installed the app, and whoever they make admin: may manage every team.
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    welcomed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Team(Base):
    """A group of people with a lead (a membership with the lead role) and a home channel."""

    __tablename__ = "team"
    __table_args__ = (
        UniqueConstraint("workspace_id", "name"),
        UniqueConstraint("workspace_id", "id"),
        UniqueConstraint("workspace_id", "channel_id"),  # a channel is home to one team
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    channel_id: Mapped[str | None] = mapped_column(String(64))
    time_zone: Mapped[str] = mapped_column(String(64))
    settings: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Membership(Base):
    """A member's place on a team, with their role there."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("team_id", "member_id"),
        ForeignKeyConstraint(
            ["workspace_id", "team_id"], ["team.workspace_id", "team.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["workspace_id", "member_id"], ["member.workspace_id", "member.id"], ondelete="CASCADE"
        ),
        Index(None, "workspace_id", "member_id"),
        # One lead per team, whatever two commands racing each other try.
        Index(
            "uq_membership_one_lead",
            "team_id",
            unique=True,
            sqlite_where=text("role = 'lead'"),
            postgresql_where=text("role = 'lead'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    member_id: Mapped[int]
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.MEMBER)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class JoinRequest(Base):
    """Someone asked to join a team; the lead approves or declines."""

    __tablename__ = "join_request"
    __table_args__ = (
        UniqueConstraint("team_id", "member_id"),
        ForeignKeyConstraint(
            ["workspace_id", "team_id"], ["team.workspace_id", "team.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["workspace_id", "member_id"], ["member.workspace_id", "member.id"], ondelete="CASCADE"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    member_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


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
    cadence: Mapped[Cadence] = mapped_column(_enum(Cadence, "cadence"))
    status: Mapped[KpiStatus] = mapped_column(
        _enum(KpiStatus, "kpi_status"), default=KpiStatus.PROPOSED
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
        ForeignKeyConstraint(
            ["workspace_id", "member_id"], ["member.workspace_id", "member.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["workspace_id", "team_id"], ["team.workspace_id", "team.id"], ondelete="CASCADE"
        ),
        Index(None, "ritual", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    member_id: Mapped[int]
    ritual: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    outcome: Mapped[NudgeOutcome] = mapped_column(_enum(NudgeOutcome, "nudge_outcome"))
    reason: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its time (next_attempt_at)
    SENDING = "sending"  # claimed by a worker until lease_until
    SENT = "sent"  # the platform accepted it
    FAILED = "failed"  # permanently: the reason says why


class Outbox(Base):
    """A message to send later: a scheduled nudge, a channel post, a proactive DM.

    A row is marked sent only after the platform accepted it. Workers claim rows by setting
    them `sending` with a lease; a row whose lease ran out was claimed by a worker that died.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        ForeignKeyConstraint(
            ["workspace_id", "member_id"], ["member.workspace_id", "member.id"], ondelete="CASCADE"
        ),
        Index(None, "status", "next_attempt_at"),
        Index(None, "member_id", "budget_week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    platform: Mapped[Platform] = mapped_column(_enum(Platform, "platform"))
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
        _enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


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
        ForeignKeyConstraint(
            ["workspace_id", "member_id"], ["member.workspace_id", "member.id"], ondelete="CASCADE"
        ),
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
    # Why it cannot be written to (the person blocked the bot, the bot left the team); cleared
    # when the conversation speaks to the bot again.
    unreachable: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


def _member_fk(column: str, *, cascade: bool = True) -> ForeignKeyConstraint:
    """A column naming a member of the row's own workspace."""
    return ForeignKeyConstraint(
        ["workspace_id", column],
        ["member.workspace_id", "member.id"],
        ondelete="CASCADE" if cascade else None,
    )


def _team_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["workspace_id", "team_id"], ["team.workspace_id", "team.id"], ondelete="CASCADE"
    )


class KpiValue(Base):
    """A KPI's value for one period. Rows are never updated: a correction is a newer row for
    the same period, so the history keeps what was said before."""

    __tablename__ = "kpi_value"
    __table_args__ = (
        _member_fk("logged_by_id"),
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


class Kudos(Base):
    """Recognition that names how the giver served the recipients."""

    __tablename__ = "kudos"
    __table_args__ = (_member_fk("from_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    from_id: Mapped[int]
    kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpi.id", ondelete="SET NULL"))
    story: Mapped[str] = mapped_column(Text)
    reward: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class KudosRecipient(Base):
    __tablename__ = "kudos_recipient"
    __table_args__ = (
        UniqueConstraint("kudos_id", "member_id"),
        _member_fk("member_id"),
        Index(None, "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kudos_id: Mapped[int] = mapped_column(ForeignKey("kudos.id", ondelete="CASCADE"))
    member_id: Mapped[int]


class Experiment(Base):
    """A wild idea tested to bring a KPI back up: a hypothesis with a date to look back."""

    __tablename__ = "experiment"
    __table_args__ = (
        _member_fk("owner_id"),
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


class Obstacle(Base):
    """What is in someone's way in one check-in week; no text means nothing was."""

    __tablename__ = "obstacle"
    __table_args__ = (
        _team_fk(),
        _member_fk("member_id"),
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
        _team_fk(),
        _member_fk("for_id"),
        _member_fk("owner_id"),
        _member_fk("made_by_id"),
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
        _enum(CommitmentStatus, "commitment_status"), default=CommitmentStatus.OPEN
    )
    reason: Mapped[str | None] = mapped_column(Text)  # why it was dropped
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Misstep(Base):
    """A lead's own misstep, shared with the team to ask for candid feedback."""

    __tablename__ = "misstep"
    __table_args__ = (_team_fk(), _member_fk("lead_id"))

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
    __table_args__ = (_member_fk("author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    misstep_id: Mapped[int] = mapped_column(ForeignKey("misstep.id", ondelete="CASCADE"))
    author_id: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    given_on: Mapped[date]


class OneOnOne(Base):
    """A one-on-one that happened: its notes and the next steps agreed, written after it."""

    __tablename__ = "one_on_one"
    __table_args__ = (
        _team_fk(),
        _member_fk("lead_id"),
        _member_fk("member_id"),
        _member_fk("written_by_id"),
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
        _team_fk(),
        _member_fk("lead_id"),
        _member_fk("member_id"),
        _member_fk("author_id"),
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
    __table_args__ = (_member_fk("member_id"), Index(None, "kpi_id", "period"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(8))
    member_id: Mapped[int]  # who answered
    whys: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class KpiVote(Base):
    """A teammate's say on a proposed KPI: back it, or question it (with a comment).

    One per person and KPI, changed by voting again."""

    __tablename__ = "kpi_vote"
    __table_args__ = (UniqueConstraint("kpi_id", "member_id"), _member_fk("member_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    member_id: Mapped[int]
    backs: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(Text)
    voted_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Purpose(Base):
    """A "why we exist" workshop: the lead's purpose, and until when answers are gathered."""

    __tablename__ = "purpose"
    __table_args__ = (_team_fk(), _member_fk("lead_id"), Index(None, "posted_at", "closes_at"))

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
    __table_args__ = (UniqueConstraint("purpose_id", "member_id"), _member_fk("member_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    purpose_id: Mapped[int] = mapped_column(ForeignKey("purpose.id", ondelete="CASCADE"))
    member_id: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReviewVerdict(enum.StrEnum):
    KEEP = "keep"
    ADJUST = "adjust"
    KILL = "kill"


class KpiReview(Base):
    """One person's quarterly review of one KPI: still relevant, still motivating, and the
    verdict. The owner and their lead each give one per quarter; a second replaces the first."""

    __tablename__ = "kpi_review"
    __table_args__ = (UniqueConstraint("kpi_id", "quarter", "member_id"), _member_fk("member_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    quarter: Mapped[str] = mapped_column(String(8))
    member_id: Mapped[int]
    relevant: Mapped[bool]
    motivating: Mapped[bool]
    verdict: Mapped[ReviewVerdict] = mapped_column(_enum(ReviewVerdict, "review_verdict"))
    why: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class KpiChange(Base):
    """A KPI's target or definition changed in review, with what it was and why."""

    __tablename__ = "kpi_change"
    __table_args__ = (_member_fk("changed_by_id"), Index(None, "kpi_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    changed_by_id: Mapped[int]
    what: Mapped[str] = mapped_column(String(20))  # "target" or "name"
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Consent(enum.StrEnum):
    ASKED = "asked"
    GIVEN = "given"
    DECLINED = "declined"


class FailNomination(Base):
    """A Fail of the Month story: someone's misstep and what they learned.

    Shown to nobody but its nominator until its nominee consents; a self-nomination is
    consented as it is made. `votes` and `won` are written once, when the month's vote closes.
    """

    __tablename__ = "fail_nomination"
    __table_args__ = (
        _team_fk(),
        _member_fk("nominee_id"),
        _member_fk("nominator_id", cascade=False),
        Index(None, "team_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    month: Mapped[str] = mapped_column(String(7))  # "2026-11", in the team's time zone
    nominee_id: Mapped[int]
    # None once the nominator asked to be forgotten: the story stays the nominee's.
    nominator_id: Mapped[int | None]
    misstep: Mapped[str] = mapped_column(Text)
    learned: Mapped[str] = mapped_column(Text)
    consent: Mapped[Consent] = mapped_column(_enum(Consent, "consent"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    votes: Mapped[int | None]
    won: Mapped[bool] = mapped_column(default=False, server_default=false())


class FailVote(Base):
    """One person's vote in one team's month, changed by voting again.

    Deleted when the vote closes, once counted into the nominations: after that nothing links a
    voter to a choice. Until then only the tally reads these rows, never a voter's choice.
    """

    __tablename__ = "fail_vote"
    __table_args__ = (
        UniqueConstraint("team_id", "month", "voter_id"),
        _team_fk(),
        _member_fk("voter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    month: Mapped[str] = mapped_column(String(7))
    voter_id: Mapped[int]
    nomination_id: Mapped[int] = mapped_column(ForeignKey("fail_nomination.id", ondelete="CASCADE"))


class FailMonth(Base):
    """A team's month whose vote closed: the archive's index, and what makes closing once."""

    __tablename__ = "fail_month"
    __table_args__ = (UniqueConstraint("team_id", "month"), _team_fk())

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    month: Mapped[str] = mapped_column(String(7))
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Pulse(Base):
    """A tension pulse: "How does chasing this KPI feel right now?", 1 to 5 and a word.

    The answers are only counts per score and a list of words in no order: no row, position or
    timestamp ties an answer to the person who gave it. Who answered is kept apart
    (`PulseRespondent`), only to refuse a second answer.
    """

    __tablename__ = "pulse"
    __table_args__ = (
        _team_fk(),
        _member_fk("started_by_id", cascade=False),
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
    __table_args__ = (UniqueConstraint("pulse_id", "member_id"), _member_fk("member_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulse.id", ondelete="CASCADE"))
    member_id: Mapped[int]
