"""Recognition: kudos, and the Fail of the Month stories, votes and closed months."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, member_fk, stored_enum, team_fk
from storage.types import UtcDateTime


class Kudos(Base):
    """Recognition that names how the giver served the recipients."""

    __tablename__ = "kudos"
    __table_args__ = (member_fk("from_id"),)

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
        member_fk("member_id"),
        Index(None, "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kudos_id: Mapped[int] = mapped_column(ForeignKey("kudos.id", ondelete="CASCADE"))
    member_id: Mapped[int]


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
        team_fk(),
        member_fk("nominee_id"),
        member_fk("nominator_id", cascade=False),
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
    consent: Mapped[Consent] = mapped_column(stored_enum(Consent, "consent"))
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
        team_fk(),
        member_fk("voter_id"),
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
    __table_args__ = (UniqueConstraint("team_id", "month"), team_fk())

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int]
    month: Mapped[str] = mapped_column(String(7))
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime())
