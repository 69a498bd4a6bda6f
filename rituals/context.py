"""What every ritual handler receives: who is asking, the open session, the clock, the settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncSession


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


class KpiSettings(BaseModel):
    """app.yaml's `kpis` section: the registry's rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_per_member: int = Field(5, ge=1, le=50)
    effort_terms: tuple[str, ...] = ()

    @field_validator("effort_terms")
    @classmethod
    def _lowercase(cls, terms: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(t.strip().lower() for t in terms if t.strip())


@dataclass(frozen=True)
class Actor:
    """The member a command comes from, already resolved by the edge."""

    workspace_id: int
    member_id: int
    platform_user_id: str
    display_name: str


@dataclass(frozen=True)
class Ctx:
    session: AsyncSession
    actor: Actor
    clock: Clock
    kpi_settings: KpiSettings
