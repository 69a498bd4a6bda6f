"""The person a one-on-one command is about, named the way a lead names them: first.

A lead has several one-on-ones, so she starts with whom: `notes @ana "..." next "..."`,
`point @ana "..."`, `notes with @ana "..."`. The grammar reads a leading mention as the start
of the text, and everything after `with` as the person; read either way, the mention is the
person and the words after it are the text.
"""

from __future__ import annotations

import re
from typing import Any

# A mention as the grammar leaves it inside text: a platform id (`<@U1|Ana Lima>`, one word
# with its spaces) or a typed name (`@ana`), then whatever follows it.
_LEADING = re.compile(
    r"\s*(?:<@([A-Za-z0-9_.:-]{1,64})(?:\|[^<>]{0,80})?>|@([^\s@<>]+))\s*(.*)", re.DOTALL
)


def person_first(values: Any, text_field: str) -> Any:
    """The command's raw values with a mention that leads the text, or words that trail the
    person, moved where they belong. Values in any other shape are left for pydantic."""
    if not isinstance(values, dict):
        return values
    person, text = values.get("person"), values.get(text_field)
    if person is None and isinstance(text, str):
        split = _leading(text)
        if split is not None:
            moved = {**values, "person": split[0], text_field: split[1]}
            return {k: v for k, v in moved.items() if v != ""}
    if text is None and isinstance(person, dict) and set(person) == {"name"}:
        name = person["name"]
        if isinstance(name, str):
            split = _leading(name if name.startswith("<@") else f"@{name}")
            if split is not None and split[1]:
                return {**values, "person": split[0], text_field: split[1]}
    return values


def _leading(text: str) -> tuple[dict[str, str], str] | None:
    """The mention that starts the text, as a person reference's fields, and the rest."""
    match = _LEADING.fullmatch(text)
    if match is None:
        return None
    platform_id, name, rest = match.groups()
    person = {"platform_user_id": platform_id} if platform_id else {"name": name}
    return person, rest.strip()
