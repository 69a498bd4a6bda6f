"""Building blocks of the typed commands: text limits and references to people and KPIs.

Each ritual module declares its commands as pydantic models made of these; the grammar fills
them from typed text, and forms fill them from fields, so both paths share one validation.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _clean(value: str) -> str:
    # Newlines are fine in long answers; other control characters only ever arrive by accident
    # and render as garbage on every platform. Runs of spaces come from sloppy pasting.
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value):
        raise ValueError("contains control characters; type it again as plain text")
    return re.sub(r"[ \t]+", " ", value).strip()


CLEAN = AfterValidator(_clean)

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=24), CLEAN]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=80), CLEAN]
# Answers to the coaching questions: long enough to be a real sentence, short enough to read.
Answer = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=12, max_length=500), CLEAN
]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500), CLEAN
]


class PersonRef(BaseModel):
    """A mention as typed: a platform id the edge resolved (`<@U123>`) or a name (`@ana`)."""

    model_config = ConfigDict(frozen=True)

    platform_user_id: str | None = None
    name: str | None = None

    def __str__(self) -> str:
        return f"@{self.name or self.platform_user_id}"


class KpiRef(BaseModel):
    """A KPI as typed: its number (`3`, `#3`) or its name."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    name: str | None = None

    def __str__(self) -> str:
        return f"#{self.id}" if self.id is not None else f'"{self.name}"'


def mention_text(platform_user_id: str) -> str:
    """A resolved person as the grammar reads them back, for commands carried by buttons."""
    return f"<@{platform_user_id}>"
