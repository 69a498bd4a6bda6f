"""Finding a phrase in a KPI's name and unit, as people write them: "Hours-worked" holds
"hours worked", "Bugs fixed" holds "bug". The effort challenge and a KPI's direction both read
a KPI this way, from word lists in app.yaml."""

from __future__ import annotations

import re
from collections.abc import Iterable


def stems(text: str) -> list[str]:
    """Words without case, hyphens or a plural s: "Hours-worked" -> ["hour", "worked"]."""
    return [
        w[:-1] if len(w) > 3 and w.endswith("s") else w for w in re.findall(r"\w+", text.lower())
    ]


def contains(words: list[str], term: str) -> bool:
    wanted = stems(term)
    size = len(wanted)
    return any(words[i : i + size] == wanted for i in range(len(words) - size + 1))


def first_term(words: list[str], terms: Iterable[str]) -> str | None:
    """The longest of the terms the words hold, so "hours worked" wins over "hours"."""
    for term in sorted(terms, key=len, reverse=True):
        if contains(words, term):
            return term
    return None
