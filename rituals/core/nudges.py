"""What a scheduled prompt says: one message per ritual, and several merged into one.

Built from what the scheduler already loaded (names and mentions), never from a query per
person, so a fan-out to thousands costs no more round trips than one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Heading,
    Mention,
    Message,
    Note,
    Paragraph,
    listing,
    rich,
)

# Lower goes first: when the weekly budget allows only some, these are the ones sent alone.
PRIORITY = {
    "checkin": 1,
    "digest": 1,
    "one_on_one": 2,
    "fail_of_month": 3,
    "pulse": 3,
    "review": 3,
}

MANNERS = (
    "Nudges follow your time zone, working days and quiet hours. `snooze 2h`, `skip week`, "
    "`away until 2026-12-01` or `me set pause on` when you need quiet."
)


@dataclass(frozen=True)
class Prompt:
    """One ritual's prompt to one person about one team."""

    ritual: str
    to: Mention
    team: str
    lead: Mention | None = None  # the team's lead, when the person is not the lead
    reports: tuple[Mention, ...] = ()  # for a lead's one-on-one prompt: who with
    # What the store says for this prompt, loaded in bulk by the tick: last week's commitments
    # for a check-in, the week's obstacles for a digest, the script for a one-on-one.
    details: tuple[Block, ...] = ()

    @property
    def priority(self) -> int:
        return PRIORITY.get(self.ritual, 9)


def checkin_actions(team: str, lead: Mention | None) -> Actions:
    """Answering is one click: a form for the obstacle, or nothing in the way."""
    who = lead.display_name if lead else "the team"
    return Actions(
        (
            Button(
                f"Tell {who} what's in my way"[:75], f'obstacle in "{team}"', ButtonStyle.PRIMARY
            ),
            Button("Nothing this week", f'nothing in "{team}"'),
        )
    )


def _checkin(p: Prompt) -> list[Block]:
    ask: list[Block] = [
        Heading(f"Weekly check-in: {p.team}"),
        *p.details,
        Paragraph(rich(f"Hi {p.to.display_name}. What's in your way this week?")),
    ]
    if p.lead is not None:
        ask.append(
            Paragraph(
                rich(
                    "A blocked KPI, a decision you are waiting for, a tool that slows you "
                    "down: tell ",
                    p.lead,
                    ". Clearing the way is what a lead is for.",
                )
            )
        )
    else:
        ask.append(
            Paragraph(rich("You lead this team: ask yourself the same, then ask each of them."))
        )
    return [*ask, checkin_actions(p.team, p.lead)]


def _digest(p: Prompt) -> list[Block]:
    if p.details:
        return list(p.details)
    return [Heading(f"Check-in digest: {p.team}"), Paragraph(rich("`digest` shows it."))]


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


def _review(p: Prompt) -> list[Block]:
    if p.details:
        return list(p.details)
    return [
        Heading(f"Quarterly KPI review: {p.team}"),
        Paragraph(rich("`review <kpi>` for each of your active KPIs: keep, adjust or kill?")),
    ]


def _fail_of_month(p: Prompt) -> list[Block]:
    if p.details:
        return list(p.details)
    return [
        Heading(f"Fail of the Month: {p.team}"),
        Paragraph(rich("The vote is open: `fails` shows the stories, one vote each.")),
    ]


def _pulse(p: Prompt) -> list[Block]:
    if p.details:
        return list(p.details)
    return [
        Heading(f"Tension pulse: {p.team}"),
        Paragraph(rich("How does chasing our KPIs feel right now? `pulse` shows the question.")),
    ]


BODY = {
    "checkin": _checkin,
    "digest": _digest,
    "one_on_one": _one_on_one,
    "fail_of_month": _fail_of_month,
    "pulse": _pulse,
    "review": _review,
}

ACTIONS = Actions(
    (
        Button("Snooze 2 hours", "snooze 2h"),
        Button("Skip this week", "skip week"),
        Button("My KPIs", "home"),
    )
)


def compose(prompts: Sequence[Prompt]) -> Message:
    """One DM for one or more prompts to the same person, highest priority first."""
    assert prompts, "compose needs at least one prompt"
    ordered = sorted(prompts, key=lambda p: p.priority)
    blocks: list[Block] = []
    for prompt in ordered:
        blocks += BODY[prompt.ritual](prompt)
    blocks += [ACTIONS, Note(MANNERS)]
    return Message(tuple(blocks), audience=Audience.DM, to=ordered[0].to)
