"""What every ritual handler receives: who is asking, the open session, the clock, the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.settings import RitualSettings
from rituals.core.spec import Ritual
from storage.models import Member


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class FixedClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


@dataclass
class ShiftedClock:
    """Another clock moved forward on demand: the console's demo time, and tests' moving time."""

    base: Clock = field(default_factory=SystemClock)
    offset: timedelta = timedelta(0)

    def now(self) -> datetime:
        return self.base.now() + self.offset

    def advance(self, span: timedelta) -> None:
        self.offset += span


@dataclass(frozen=True)
class Actor:
    """The member a command comes from, already resolved by the edge."""

    workspace_id: int
    member_id: int
    platform_user_id: str
    display_name: str
    # The channel the command was typed in; None in a direct message or the console's DM.
    channel_id: str | None = None


@dataclass(frozen=True)
class Ctx:
    session: AsyncSession
    actor: Actor
    clock: Clock
    settings: RitualSettings
    # The command in canonical text, so a reply can offer it again with one more value filled
    # in (say, which team), as a button.
    command_text: str = ""
    # The ritual whose command this is: the team gate refuses it where a team switched it off.
    ritual: Ritual | None = None
    # The asker's row, loaded when the request was resolved. Held here because the session
    # only holds loaded rows weakly: without it, every later look at the asker would be one
    # more query for a row already read.
    member: Member | None = None
