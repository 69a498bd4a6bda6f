"""What people type for stretch assignments, and the checks every stretch command shares.

A stretch is "someone who struggles with client calls leads the next client workshop": a
piece of work toward a KPI that lags its target, with a day and someone who supports. It is a
rotation, not a punishment: the person says yes or no in private, and a no is never held
against them.
"""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import Field, StringConstraints

from rituals.core.command import CLEAN, Command, KpiRef, Name, PersonRef, row_number
from rituals.core.context import Ctx
from rituals.core.messages import Code, say
from rituals.core.people import actor_member, resolve_person
from rituals.core.refusal import Refusal
from storage.models import Member

StretchText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=12, max_length=300), CLEAN
]
# A stretch is weeks, not a quarter-long project: past this, split off a first piece.
LONGEST_DAYS = 90
SELF = frozenset({"me", "myself", "self"})
ROTATION_RULE = (
    "Nobody gets a second stretch in a quarter before everyone who wanted one got a first; "
    "a no sits that person out of the quarter's rotation, and nobody else is told."
)


class OpenStretch(Command):
    person: PersonRef | None = Field(
        None, title="Who stretches", description="a teammate (lead), or empty for yourself"
    )
    kpi: KpiRef | None = Field(None, title="KPI it grows", description="one that lags its target")
    what: StretchText | None = Field(
        None, title="What they take on", description='e.g. "lead the next client workshop"'
    )
    due: Annotated[str, StringConstraints(max_length=20)] | None = Field(
        None, title="By when", description="a day like fri, 3 weeks, or YYYY-MM-DD"
    )
    supporter: PersonRef | None = Field(
        None, title="Who supports", description="a teammate who helps them through it"
    )
    team: Name | None = Field(None, title="Team", description="its name; yours if you are on one")


class YesNo(enum.StrEnum):
    YES = "yes"
    NO = "no"


class AnswerStretch(Command):
    stretch: int = row_number("Stretch")
    answer: YesNo = Field(title="Take it on?")


class FinishStretch(Command):
    stretch: int = row_number("Stretch")
    outcome: StretchText | None = Field(
        None, title="How it went", description="what you did and what came of it"
    )
    learned: StretchText | None = Field(
        None, title="What you learned", description="what you can do now that you could not"
    )


class SuggestStretch(Command):
    team: Name | None = Field(None, title="Team", description="its name; yours if you lead one")


class ShowStretches(Command):
    team: Name | None = Field(None, title="Team", description="its name; yours if you are on one")


def in_private(what: str) -> Refusal:
    """Said in a channel, where everyone sees it: whose KPI lags is nobody else's business."""
    return Refusal(
        say(
            f"{what} is said in a direct message with me, not in a channel: it names whose "
            "KPI lags its target. Send me the same words there."
        )
    )


async def person_named(ctx: Ctx, ref: PersonRef | None) -> Member:
    """The person a stretch is for: the one named, or the one asking when none (or me)."""
    if ref is None or (ref.name or "").lower() in SELF:
        return await actor_member(ctx)
    try:
        return await resolve_person(ctx, ref)
    except Refusal as refused:
        # What stretch expects comes first: the word typed may not have been meant as a name.
        expects = say(
            "stretch starts with who stretches: a teammate as @name, or me for yourself, then "
            "the KPI, what they take on, by when and who supports, like ",
            Code('stretch me 3 "lead the next client workshop" by 2027-01-29 support @ben'),
            ". stretch @name alone opens a form.",
        )
        raise Refusal(expects, *refused.replies) from None
