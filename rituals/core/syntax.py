"""How a command is written: the grammar entry each ritual declares beside its handler.

The grammar (in `bot/`) reads these to parse typed text and submitted forms, and to write help
and usage, so a command's words, its form and its help cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any

from rituals.core.command import Command
from rituals.core.context import Ctx
from rituals.core.messages import Reply

Handler = Callable[[Ctx, Any], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Param:
    """Where a field's value stands in typed text: in order (positional) or after a keyword.

    A positional param that is the last one takes all the remaining words, so free text and
    names need no quotes unless they contain a keyword.
    """

    field: str
    keyword: str | None = None
    placeholder: str = ""
    also: tuple[str, ...] = ()  # other keywords that mean the same, e.g. "to" for "in"
    # With a keyword: the value may also stand in its place without it ("team Growth").
    positional: bool = False
    # Extra spellings accepted for a choice, e.g. "week" for "weekly".
    synonyms: Mapping[str, str] = default(default_factory=dict)
    # A number followed by its unit ("10 leads", "25%"): fills this field and `unit`.
    with_unit: bool = False


@dataclass(frozen=True)
class Syntax:
    names: tuple[str, ...]  # the first is the canonical one; others are aliases
    model: type[Command]
    handler: Handler
    topic: str
    summary: str
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()
    details: str = ""
    form_title: str | None = None  # offer a form when required values are missing

    @property
    def name(self) -> str:
        return self.names[0]


# Params several rituals write the same way.
CADENCE_WORDS = {
    "week": "weekly",
    "wk": "weekly",
    "month": "monthly",
    "mo": "monthly",
    "quarter": "quarterly",
    "q": "quarterly",
}
TEAM_IN = Param("team", "in", placeholder="team", also=("to", "from", "of"))
ROLE_WORDS = {"hr": "people", "ops": "operations", "eng": "engineering", "dev": "engineering"}
WITH = Param("person", "with")
TEAM_ONLY_IN = Param("team", "in", placeholder="team")
