"""Building blocks of the typed commands: text limits and references to people and KPIs.

Each ritual module declares its commands as pydantic models made of these; the grammar fills
them from typed text, and forms fill them from fields, so both paths share one validation.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# Characters that reorder or hide text: they let a name pose as another (U+202E turns
# "Win rate" around) and never belong in a command.
_DECEPTIVE = set("\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _clean(value: str) -> str:
    # Newlines are fine in long answers; other control characters only ever arrive by accident
    # and render as garbage on every platform. Runs of spaces come from sloppy pasting.
    for c in value:
        if unicodedata.category(c) in ("Cc", "Zl", "Zp") and c not in "\n\t":
            raise ValueError("contains control characters; type it again as plain text")
        if c in _DECEPTIVE:
            raise ValueError(
                f"contains an invisible character (U+{ord(c):04X}) that can disguise text; "
                "type it again as plain text"
            )
    return re.sub(r"[ \t]+", " ", value).strip()


def _one_line(value: str) -> str:
    if "\n" in value:
        raise ValueError("must be one line")
    return value


CLEAN = AfterValidator(_clean)
ONE_LINE = AfterValidator(_one_line)

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=24), CLEAN, ONE_LINE]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=80), CLEAN, ONE_LINE
]
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

    platform_user_id: str | None = Field(None, min_length=1, max_length=64)
    name: str | None = Field(None, min_length=1, max_length=80)

    def __str__(self) -> str:
        return f"@{self.name or self.platform_user_id}"

    @property
    def typed(self) -> str:
        """As the grammar reads it back, for a form's value or a button's command."""
        return mention_text(self.platform_user_id) if self.platform_user_id else f"@{self.name}"


class KpiRef(BaseModel):
    """A KPI as typed: its number (`3`, `#3`) or its name."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    name: str | None = None

    def __str__(self) -> str:
        return f"#{self.id}" if self.id is not None else f'"{self.name}"'


# A row's number as typed: beyond this no row exists, and the database's integer would overflow.
LARGEST_ID = 2**31 - 1


def row_number(title: str, description: str = "its number") -> Any:
    """A field naming one row (an obstacle, a commitment, an experiment) by its number.

    Carried hidden in the row's own form once known, since it is what the form is about."""
    return Field(
        title=title,
        description=description,
        ge=1,
        le=LARGEST_ID,
        json_schema_extra={"carried": True},
    )


def mention_text(platform_user_id: str) -> str:
    """A resolved person as the grammar reads them back, for commands carried by buttons."""
    return f"<@{platform_user_id}>"
