"""A card's Action.Submit value read back into a command for the grammar.

Buttons and forms submit with `Action.Submit` (a message with a `value`, which every Teams
client sends). The keys below are the whole contract between the cards we draw and the value
that comes back, so they live here, beside the one reader of that value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.teams.typed import submitted

FORM_KEY = "kpicoach_form"
HIDDEN_KEY = "kpicoach_hidden"
RUN_KEY = "kpicoach_run"


@dataclass(frozen=True)
class Submission:
    command: str  # a button's command text, or a form's command name
    values: dict[str, str]  # a form's hidden and filled-in values, by field name
    is_form: bool


def _scalar(value: object) -> str | None:
    """A submitted value as the grammar's text; clients send numbers and booleans as such."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str | int | float):
        return str(value)
    return None


def submission(value: Mapping[str, Any]) -> Submission | None:
    """A card's Action.Submit value as a command to run.

    None when the value is not ours (an older card's shape, or anything else), so the caller
    can say the card belongs to an older message. Clients send whatever they like, so nothing
    in the value is trusted to have the type we gave it.
    """
    if not isinstance(value, Mapping):
        return None
    run = value.get(RUN_KEY)
    if isinstance(run, str) and run.strip():
        return Submission(run, {}, is_form=False)
    command = value.get(FORM_KEY)
    if not isinstance(command, str) or not command.strip():
        return None
    values: dict[str, str] = {}
    for key, raw in value.items():
        text = _scalar(raw)
        if key not in (FORM_KEY, HIDDEN_KEY, RUN_KEY) and text is not None and text.strip():
            values[str(key)] = submitted(text)  # typed: no mention markup of its own
    hidden = value.get(HIDDEN_KEY)
    if isinstance(hidden, Mapping):
        # Carried unchanged from the form we rendered, so they win over a same-named input.
        for key, raw in hidden.items():
            text = _scalar(raw)
            if text is not None and text.strip():
                values[str(key)] = text
    return Submission(command, values, is_form=True)
