"""What a scheduled prompt says: one ritual's body each, several merged into one message.

Each ritual's prompt spec says what its prompt says; this module only puts them together, the
most important first. The manners footer is said once a month, on a person's first nudge of
it (`help nudges` holds it the rest of the time): under every nudge it is noise nobody reads.
Built from what the tick already loaded, and one query for everyone, never one per person.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Button,
    Mention,
    Message,
    Note,
)
from storage.bounded import among, slices
from storage.models import Nudge, NudgeOutcome

if TYPE_CHECKING:
    from rituals.core.spec import PromptSpec
    from storage.roster import SeatRow

MANNERS = (
    "Nudges follow your time zone, working days and quiet hours. `snooze 2h`, `skip week`, "
    "`away 2 weeks` or `me set pause on` when you need quiet."
)


@dataclass(frozen=True)
class Prompt:
    """One ritual's prompt to one person about one team."""

    spec: PromptSpec
    to: Mention
    team: str
    lead: Mention | None = None  # the team's lead, when the person is not the lead
    reports: tuple[Mention, ...] = ()  # for a lead's one-on-one prompt: who with
    # What the store says for this prompt, loaded in bulk by the tick: last week's commitments
    # for a check-in, the week's obstacles for a digest, the script for a one-on-one.
    details: tuple[Block, ...] = ()

    @property
    def priority(self) -> int:
        return self.spec.priority


ACTIONS = Actions(
    (
        Button("Snooze 2 hours", "snooze 2h"),
        Button("Skip this week", "skip week"),
        Button("My KPIs", "home"),
    )
)


def compose(prompts: Sequence[Prompt], *, manners: bool = True) -> Message:
    """One DM for one or more prompts to the same person, highest priority first; with the
    manners footer when this is their first nudge of the month."""
    assert prompts, "compose needs at least one prompt"
    ordered = sorted(prompts, key=lambda p: p.priority)
    blocks: list[Block] = []
    for prompt in ordered:
        blocks += prompt.spec.body(prompt)
    blocks.append(ACTIONS)
    if manners:
        blocks.append(Note(f"{MANNERS} `help nudges` says this again."))
    return Message(tuple(blocks), audience=Audience.DM, to=ordered[0].to)


@functools.lru_cache(maxsize=1024)
def month_began(time_zone: str, now: datetime) -> datetime:
    """The moment this person's calendar month began, where they are. Cached: a tick asks it
    for thousands of people in a handful of zones."""
    zone = ZoneInfo(time_zone)
    first = now.astimezone(zone).date().replace(day=1)
    return datetime.combine(first, time(), zone).astimezone(UTC)


async def told_this_month(
    session: AsyncSession, seats: Iterable[SeatRow], now: datetime
) -> set[int]:
    """The members among these who had a nudge (and so its footer) since their month began."""
    from rituals.core.spec import registered

    began = {s.member_id: month_began(s.time_zone, now) for s in seats}
    if not began:
        return set()
    kinds = [p.kind.value for r in registered() for p in r.prompts]
    told: set[int] = set()
    for members in slices(began):
        rows = await session.execute(
            select(Nudge.member_id, func.max(Nudge.decided_at))
            .where(
                among(session, Nudge.member_id, members),
                Nudge.outcome == NudgeOutcome.QUEUED,
                # `|| ''` keeps the ritual's index out of it: SQLite would pick it and read
                # every prompt ever sent instead of these members' rows since their month began.
                (Nudge.ritual + "").in_(kinds),
                Nudge.decided_at >= min(began[m] for m in members),
            )
            .group_by(Nudge.member_id)
        )
        told.update(member for member, last in rows if last >= began[member])
    return told


def details_or(prompt: Prompt, fallback: list[Block]) -> list[Block]:
    """What the store said for the prompt; the fallback when its loader found nothing."""
    return list(prompt.details) if prompt.details else fallback
