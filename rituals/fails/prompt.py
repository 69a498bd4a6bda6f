"""The Fail of the Month's scheduled prompt: the month's ballot, each story with a vote button,
sent between the vote's opening and its close."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.messages import Block, Heading, Paragraph, rich
from rituals.core.nudges import Prompt, details_or
from rituals.core.schedule import Rule
from rituals.core.settings import TeamRituals
from rituals.core.spec import PromptKind, PromptSpec, Window
from rituals.core.tick import Asked
from rituals.fails.commands import ballot_blocks, ballot_rule, vote_of
from rituals.fails.store import stories


def _fail_of_month(p: Prompt) -> list[Block]:
    return details_or(
        p,
        [
            Heading(f"Fail of the Month: {p.team}"),
            Paragraph(rich("The vote is open: `fails` shows the stories, one vote each.")),
        ],
    )


async def _ballots(
    session: AsyncSession, asked: Sequence[Asked], now: datetime
) -> dict[str, tuple[Block, ...]]:
    """The month's ballot: each story with a vote button, or an invitation to nominate."""
    if not asked:
        return {}
    found = await stories(session, {(a.team.id, a.occ.period) for a in asked})
    out: dict[str, tuple[Block, ...]] = {}
    for a in asked:
        month = a.occ.period
        vote = vote_of(month, a.rituals, a.team.time_zone).seen_from(a.seat.time_zone)
        mine = [
            s for s in found if s.nomination.team_id == a.team.id and s.nomination.month == month
        ]
        out[a.key] = (
            Heading(f"Fail of the Month: {a.team.name}, {vote.name}"),
            Paragraph(rich("Who learned the most from a misstep this month? One vote each.")),
            *ballot_blocks(mine, vote, a.seat.member_id, now),
        )
    return out


def _rule(rituals: TeamRituals, team_created: date) -> Rule:
    return ballot_rule(rituals)


def _cadence(rituals: TeamRituals) -> str:
    rule = ballot_rule(rituals)
    days = rule.days_before_end
    last = "the last day" if days == 1 else f"the last {days} days"
    return f"opens for {last} of each month, at {rule.at}"


def _voting(month: str, rituals: TeamRituals, zone: str) -> Window:
    """Each ballot goes out at its person's own opening (the rule's time, wherever they
    live), never after the vote closes for everyone."""
    vote = vote_of(month, rituals, zone)
    return Window(vote.first_anywhere, vote.closes, "the vote closed")


FAIL_OF_MONTH = PromptSpec(
    kind=PromptKind.FAIL_OF_MONTH,
    priority=3,
    rule=_rule,
    body=_fail_of_month,
    load=_ballots,
    label="Fail of the Month vote",
    cadence=_cadence,
    window=_voting,
)
