"""The tension pulse's scheduled prompt: the team's open pulse, with a button per score."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.messages import Block, Heading, Paragraph, rich
from rituals.core.nudges import Prompt, details_or
from rituals.core.schedule import Rule, weeks_since_epoch
from rituals.core.settings import TeamRituals
from rituals.core.spec import PromptKind, PromptSpec
from rituals.core.tick import Asked
from rituals.pulse.commands import answer_blocks
from rituals.pulse.store import open_pulses_of
from rituals.team.teams import DAY_NAMES


def _pulse(p: Prompt) -> list[Block]:
    return details_or(
        p,
        [
            Heading(f"Tension pulse: {p.team}"),
            Paragraph(
                rich("How does chasing our KPIs feel right now? `pulse` shows the question.")
            ),
        ],
    )


async def _open_pulse(
    session: AsyncSession, asked: Sequence[Asked], now: datetime
) -> dict[str, tuple[Block, ...]]:
    """The team's open pulse, with a button per score."""
    if not asked:
        return {}
    pulses = {
        p.team_id: p
        for p in await open_pulses_of(session, {a.team.id for a in asked})
        if p.closed_at is None
    }
    return {
        a.key: tuple(answer_blocks(pulses[a.team.id], a.team.name, a.team.time_zone))
        for a in asked
        if a.team.id in pulses
    }


def _rule(rituals: TeamRituals, team_created: date) -> Rule:
    return Rule(
        PromptKind.PULSE,
        "weekly",
        rituals.checkin_day,
        rituals.checkin_time,
        every=rituals.pulse_weeks,
        anchor=weeks_since_epoch(team_created),
    )


def _cadence(rituals: TeamRituals) -> str:
    return (
        f"every {rituals.pulse_weeks} weeks, {DAY_NAMES[rituals.checkin_day]}s at "
        f"{rituals.checkin_time}; results once {rituals.pulse_threshold} have answered"
    )


PULSE = PromptSpec(
    kind=PromptKind.PULSE,
    priority=3,
    rule=_rule,
    body=_pulse,
    load=_open_pulse,
    label="Tension pulse",
    cadence=_cadence,
)
