"""What a scheduled prompt says: one ritual's body each, several merged into one message.

Each ritual's prompt spec says what its prompt says; this module only puts them together, the
most important first, with the footer every nudge carries. Built from what the tick already
loaded, never from a query per person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Button,
    Mention,
    Message,
    Note,
)

if TYPE_CHECKING:
    from rituals.core.spec import PromptSpec

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


def compose(prompts: Sequence[Prompt]) -> Message:
    """One DM for one or more prompts to the same person, highest priority first."""
    assert prompts, "compose needs at least one prompt"
    ordered = sorted(prompts, key=lambda p: p.priority)
    blocks: list[Block] = []
    for prompt in ordered:
        blocks += prompt.spec.body(prompt)
    blocks += [ACTIONS, Note(MANNERS)]
    return Message(tuple(blocks), audience=Audience.DM, to=ordered[0].to)


def details_or(prompt: Prompt, fallback: list[Block]) -> list[Block]:
    """What the store said for the prompt; the fallback when its loader found nothing."""
    return list(prompt.details) if prompt.details else fallback
