"""The one-on-one's scheduled prompt: the member's script, or for the lead, a line per report
with a button to each script, loaded for every due prompt of a tick at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.command import mention_text
from rituals.core.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    Heading,
    Note,
    Paragraph,
    listing,
    rich,
)
from rituals.core.nudges import Prompt
from rituals.core.schedule import Rule, weeks_since_epoch
from rituals.core.settings import TeamRituals
from rituals.core.spec import PromptKind, PromptSpec, Recipients
from rituals.core.tick import Asked, seat_mention
from rituals.one_on_ones.scripts import NEXT_QUESTIONS, build, summary
from rituals.one_on_ones.store import Pair, load_scripts
from rituals.team.teams import DAY_NAMES
from storage.roster import SeatRow

# The lead's one-on-one prompt offers a button for this many reports' scripts; `script @name`
# reaches the rest.
SCRIPT_BUTTONS = 10


def _one_on_one(p: Prompt) -> list[Block]:
    if p.details:
        return list(p.details)
    questions = Bullets(
        (
            rich("Wins first: what went well since the last one?"),
            rich("What progress have you made, and what support do you need?"),
            rich("What will you try before our next check-in?"),
        )
    )
    if p.reports:
        return [
            Heading(f"One-on-ones this week: {p.team}"),
            Paragraph(rich("Due with ", *listing(p.reports), ". Open each with their wins.")),
            questions,
        ]
    with_whom = (
        rich("Your one-on-one with ", p.lead, " is due this week.")
        if p.lead
        else rich("Your one-on-one is due this week.")
    )
    return [Heading(f"One-on-one: {p.team}"), Paragraph(with_whom), questions]


async def _scripts(
    session: AsyncSession, asked: Sequence[Asked], now: datetime
) -> dict[str, tuple[Block, ...]]:
    """The member's script, or for the lead, a line per report with a button to each script."""
    wanted: dict[Pair, datetime] = {}
    reports: dict[str, list[tuple[Pair, SeatRow]]] = {}
    for a in asked:
        if a.lead is None:
            continue
        since = now - timedelta(weeks=a.rituals.one_on_one_weeks)
        others = [s for s in a.people if s is not a.lead] if a.seat is a.lead else [a.seat]
        reports[a.key] = [(Pair(a.team.id, a.lead.member_id, s.member_id), s) for s in others]
        wanted.update({pair: since for pair, _ in reports[a.key]})
    scripts = await load_scripts(session, wanted, now)
    out: dict[str, tuple[Block, ...]] = {}
    for a in asked:
        if a.lead is None:
            continue
        lead = seat_mention(a.lead)
        if a.seat is not a.lead:
            pair, seat = reports[a.key][0]
            blocks = build(scripts[pair], lead, seat_mention(seat), a.team.name, False, "en")
            out[a.key] = tuple(blocks)
            continue
        lines = tuple(summary(scripts[pair], seat_mention(seat)) for pair, seat in reports[a.key])
        buttons = tuple(
            Button(
                f"Script with {seat.display_name}"[:75],
                f'script with {mention_text(seat.platform_user_id)} in "{a.team.name}"',
            )
            for _, seat in reports[a.key][:SCRIPT_BUTTONS]
        )
        out[a.key] = (
            Heading(f"One-on-ones this week: {a.team.name}"),
            Paragraph(rich("Each script opens with their wins. What each holds:")),
            Bullets(lines),
            Actions(buttons),
            Paragraph(rich("Then, together: ", " ".join(NEXT_QUESTIONS))),
            Note("`script @name` shows anyone's; only the two of you see it."),
        )
    return out


def _rule(rituals: TeamRituals, team_created: date) -> Rule:
    return Rule(
        PromptKind.ONE_ON_ONE,
        "weekly",
        rituals.one_on_one_day,
        rituals.one_on_one_time,
        every=rituals.one_on_one_weeks,
        anchor=weeks_since_epoch(team_created),
    )


def _cadence(rituals: TeamRituals) -> str:
    weeks = rituals.one_on_one_weeks
    every = "every week" if weeks == 1 else f"every {weeks} weeks"
    return f"{every}, {DAY_NAMES[rituals.one_on_one_day]}s at {rituals.one_on_one_time}"


ONE_ON_ONE = PromptSpec(
    kind=PromptKind.ONE_ON_ONE,
    priority=2,
    rule=_rule,
    body=_one_on_one,
    load=_scripts,
    recipients=Recipients.PAIRS,
    label="One-on-one",
    cadence=_cadence,
)
