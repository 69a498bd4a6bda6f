"""What a ritual is to the engine: a name, its commands, its prompts and its tick hooks.

Each ritual package exports one `Ritual` as `RITUAL`; `rituals.registry` lists them. The
grammar, the dispatcher, the tick and the nudge budget loop over that list and know no ritual
by name, so a new ritual is a new package and one line in the registry.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rituals.core.syntax import Syntax


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
    # Its scheduled prompts, in the nudge budget; see `rituals.core.prompts`.
    prompts: tuple[Any, ...] = ()
    # What the tick does for it beyond prompts (open, close), each called once per tick.
    tick: tuple[Callable[..., Awaitable[Any]], ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


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
