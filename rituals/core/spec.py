"""What a ritual is to the engine: a name, its commands, its prompts and its tick hooks.

Each ritual package exports one `Ritual` as `RITUAL`; `rituals.registry` lists them. The
grammar, the dispatcher, the tick and the nudge budget loop over that list and know no ritual
by name, so a new ritual is a new package and one line in the registry.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from rituals.core.messages import Block
    from rituals.core.nudges import Prompt
    from rituals.core.schedule import Rule
    from rituals.core.settings import RitualSettings, TeamRituals
    from rituals.core.syntax import Syntax
    from rituals.core.tick import Asked, Candidate, Crew, Post, Reminder

    # What a prompt says, from the store, for every due prompt of a tick at once: key -> blocks.
    Loader = Callable[
        [AsyncSession, Sequence[Asked], datetime], Awaitable[dict[str, tuple[Block, ...]]]
    ]
    # A tick hook over one ritual's candidates: the same candidates back, settled or dropped.
    Settler = Callable[[AsyncSession, list[Candidate], datetime], Awaitable[list[Candidate]]]
    # A tick hook that closes what is due on the teams running the ritual: the posts it makes.
    Closer = Callable[
        [AsyncSession, Sequence[Crew], datetime, RitualSettings], Awaitable[list[Post]]
    ]


class RitualName(enum.StrEnum):
    """Every ritual's name. The values are stored (a team's switches, the nudge ledger), so
    they never change once released."""

    CHECKIN = "checkin"
    ONE_ON_ONE = "one_on_one"
    KUDOS = "kudos"
    FAIL_OF_MONTH = "fail_of_month"
    PULSE = "pulse"
    REVIEW = "review"
    KPIS = "kpis"
    NUMBERS = "numbers"
    PURPOSE = "purpose"
    TEAM = "team"
    STRETCH = "stretch"
    EXPERIMENT_BUDGET = "experiment_budget"
    SKILLS = "skills"
    DEBATE = "debate"
    RAW = "raw"


class PromptKind(enum.StrEnum):
    """Every kind of nudge the tick sends. The values key the ledger and app.yaml's
    `grace_hours`, so they never change once released; the order is the one people read them
    in (a setting's error lists them so)."""

    CHECKIN = "checkin"
    DIGEST = "digest"
    ONE_ON_ONE = "one_on_one"
    COMMITMENT = "commitment"
    EXPERIMENT = "experiment"
    FAIL_OF_MONTH = "fail_of_month"
    PULSE = "pulse"
    REVIEW = "review"
    STRETCH = "stretch"
    MENTORSHIP = "mentorship"
    DEBATE = "debate"
    RAW = "raw"


class Recipients(enum.Enum):
    """Who on a team a prompt goes to."""

    EVERYONE = "everyone"
    # A lead and their reports: nobody without a lead, nor a lead with nobody to meet.
    PAIRS = "pairs"
    # The lead alone, and only with reports to hear from.
    LEAD = "lead"


@dataclass(frozen=True)
class Window:
    """The moments a prompt may be sent between, on the team's clock."""

    opens: datetime
    closes: datetime
    # Why a prompt that could reach its person only after `closes` is skipped.
    closed: str


@dataclass(frozen=True)
class PromptSpec:
    """A scheduled prompt: when it comes round, who gets it, and what it says."""

    kind: PromptKind
    # Lower goes first: when the weekly budget allows only some, these are sent alone.
    priority: int
    # Its local day and time each period, from the team's settings and creation date.
    rule: Callable[[TeamRituals, date], Rule]
    # What it says, from the names the tick loaded and what `load` found.
    body: Callable[[Prompt], list[Block]]
    # The one bulk query for what every due prompt of this kind says, or None.
    load: Loader | None = None
    # How many hours late it may still go out (app.yaml's `grace_hours` overrides).
    grace_hours: int = 24
    # Counted against the person's weekly budget; a lead's digest is their work list, not.
    budgeted: bool = True
    recipients: Recipients = Recipients.EVERYONE
    # How `schedule` and Home name it; a prompt without one is not shown there.
    label: str = ""
    # When it comes round, in words, for `schedule` and the team's settings.
    cadence: Callable[[TeamRituals], str] | None = None
    # When it may be sent (a vote's opening and closing), from the prompt's period, the team's
    # settings and its zone; None when any moment of its grace will do.
    window: Callable[[str, TeamRituals, str], Window] | None = None


@dataclass(frozen=True)
class ReminderSpec:
    """A nudge about something one person took on, due on a day (not on a rule)."""

    kind: PromptKind
    # The one bulk query: what falls due on any of these days.
    due: Callable[[AsyncSession, set[date]], Awaitable[list[Reminder]]]
    grace_hours: int = 24


@dataclass(frozen=True)
class TickHooks:
    """What the tick does for a ritual beyond sending its prompts, for the teams running it."""

    # Opens what its due prompts answer (a pulse), settling those that cannot be answered.
    open: Settler | None = None
    # Skips the due prompts that would have nothing to say (no KPI to review).
    skip: Settler | None = None
    # Closes what is due (a vote, a pulse, a quarter's review): the posts that say so.
    close: Closer | None = None


@dataclass(frozen=True)
class Ritual:
    """One ritual, as the engine sees it."""

    name: RitualName
    # What it does, in a few words, for a lead's checklist and `settings`.
    title: str
    # What people call it, to stand in a sentence: "Growth has switched off kudos."
    label: str = ""
    commands: tuple[Syntax, ...] = ()
    # A team may switch it off; then every command that starts it is refused and no nudge of
    # it is sent. Rituals that are the product itself (the KPI registry) cannot be.
    switchable: bool = False
    # Its scheduled prompts, in the nudge budget.
    prompts: tuple[PromptSpec, ...] = ()
    # Its nudges about what someone took on, on the day it falls due.
    reminders: tuple[ReminderSpec, ...] = ()
    tick: TickHooks = TickHooks()

    def runs_for(self, enabled: Collection[str]) -> bool:
        """Whether a team with these rituals switched on runs this one."""
        return not self.switchable or self.name in enabled


def by_command(rituals: Sequence[Ritual]) -> dict[str, Ritual]:
    """Which ritual each command name (and alias) belongs to."""
    found: dict[str, Ritual] = {}
    for ritual in rituals:
        for syntax in ritual.commands:
            for name in syntax.names:
                if name in found:
                    raise ValueError(f"{name!r} is a command of two rituals")
                found[name] = ritual
    return found


def registered() -> tuple[Ritual, ...]:
    """The registry, imported when first asked for: every ritual imports the kernel, so the
    kernel cannot import them all while it is itself being imported."""
    from rituals.registry import RITUALS

    return RITUALS


def switchable() -> list[Ritual]:
    """The rituals a team can switch on and off, in the order their names were declared (the
    order leads have always seen them listed in)."""
    order = list(RitualName)
    return sorted((r for r in registered() if r.switchable), key=lambda r: order.index(r.name))


def scheduled(enabled: Collection[str]) -> list[PromptSpec]:
    """The prompts a team with these rituals switched on gets, in the team's own order of its
    rituals (then those it cannot switch off)."""
    rituals: dict[str, Ritual] = {r.name: r for r in registered()}
    names = [n for n in enabled if n in rituals]
    names += [r.name for r in registered() if not r.switchable]
    return [
        p for n in dict.fromkeys(names) if rituals[n].runs_for(enabled) for p in rituals[n].prompts
    ]


def every_prompt() -> dict[str, PromptSpec]:
    """Every ritual's scheduled prompts by kind, whichever a team switched on."""
    found: dict[str, PromptSpec] = {p.kind: p for r in switchable() for p in r.prompts}
    return found | {p.kind: p for r in registered() if not r.switchable for p in r.prompts}
