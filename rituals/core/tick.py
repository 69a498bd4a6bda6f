"""What the tick hands a ritual's prompt and hooks: its teams, its candidates, what it asked.

The tick loads every team and person once; a ritual's loader, hooks and bodies read these
instead of querying per person, so a fan-out to thousands costs a handful of statements.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from rituals.core.messages import Block, Mention, Message
from rituals.core.nudges import Prompt
from rituals.core.schedule import Decision, Occurrence, Rule
from rituals.core.settings import TeamRituals
from rituals.core.spec import PromptSpec
from storage.roster import SeatRow, TeamRow


@dataclass(frozen=True)
class Round:
    """One of a team's prompts: its spec, its rule, and its occurrences by local date."""

    spec: PromptSpec
    rule: Rule
    occurrences: dict[date, Occurrence]


@dataclass(frozen=True)
class Crew:
    """A team as one tick sees it: its people, its lead, and the prompts it gets."""

    team: TeamRow
    rituals: TeamRituals
    people: list[SeatRow]
    lead: SeatRow | None
    rounds: list[Round]


@dataclass(frozen=True)
class Candidate:
    """A prompt that is due, skipped or missed for one person, not yet in the ledger."""

    key: str
    occ: Occurrence
    crew: Crew
    seat: SeatRow
    decision: Decision
    prompt: Prompt

    @property
    def team(self) -> TeamRow:
        return self.crew.team

    @property
    def spec(self) -> PromptSpec:
        return self.prompt.spec


@dataclass(frozen=True)
class Asked:
    """One due prompt, with what the tick already knows about its team and person."""

    key: str
    occ: Occurrence
    team: TeamRow
    rituals: TeamRituals  # the team's, over app.yaml's
    seat: SeatRow
    lead: SeatRow | None
    people: Sequence[SeatRow]
    today: date  # the person's local date


@dataclass(frozen=True)
class Reminder:
    """Something one person took on, due on a day: a commitment, an experiment's look-back."""

    key: str
    kind: str
    team_id: int | None
    member_id: int
    day: date
    message: Callable[[SeatRow, date], Message]


@dataclass(frozen=True)
class Post:
    """What a tick hook says when it closes something: to the team's channel (to its lead
    without one), or, with `to`, in a DM to that person alone. Sent once per `key`."""

    team: TeamRow
    key: str
    ritual: str
    blocks: tuple[Block, ...]
    to: SeatRow | None = None


def seat_mention(seat: SeatRow) -> Mention:
    """A real mention of someone the tick loaded."""
    return Mention(seat.platform_user_id, seat.display_name)
