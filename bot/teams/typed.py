"""Typed text that looks like a mention is only text.

The grammar reads `<@id|Name>` as a person named by id: that is how Slack sends a mention, and
how a Teams `<at>` mention is handed on once Teams' own entity says who it is. In Teams a person
can also just type those characters, and a story with a typed `<@id|Name>` would then notify
whoever the id names. Here such text becomes the plain "@Name" it shows, before the entities
Teams put there are turned into ids; only those, and people fields, name people by id.
"""

from __future__ import annotations

import re

TYPED_MENTION = re.compile(r"<@([^<>|]*)(?:\|([^<>]*))?>")
# A people field's whole value as we prefill it: ids only, with commas or spaces between.
PEOPLE_VALUE = re.compile(r"\s*(?:<@[^<>|\s]+(?:\|[^<>]*)?>[\s,]*)+")


def defused(text: str) -> str:
    """`<@id|Name>` as "@Name" (or "@id"), and any other `<@` without its bracket."""

    def plain(match: re.Match[str]) -> str:
        return "@" + ((match.group(2) or match.group(1)).strip() or "someone")

    return TYPED_MENTION.sub(plain, text).replace("<@", "@")


def submitted(value: str) -> str:
    """A form input's value: a people field prefilled with ids comes back as it was drawn;
    in anything else (a story, a note), typed mention markup is only text."""
    return value if PEOPLE_VALUE.fullmatch(value) else defused(value)
