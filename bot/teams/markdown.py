"""User text as Adaptive Card markdown: shown exactly as typed, and unable to ping anyone.

A ritual's strings (a KPI name, an answer, a person's display name) reach a card's markdown,
where Teams would read links, emphasis, lists and `<at>` mentions into them. Everything here
makes such text literal; the only real mentions are those `mention` builds from an id the
store resolved, each with the entity Teams needs beside it.
"""

from __future__ import annotations

import re
from typing import Any

from rituals.core import messages as m

_ZWJ = "\u200d"
# Any "<" could open a tag: Teams reads `<at>` as a mention, and its clients drop `<b>`,
# `<name>` and the like as HTML. A zero-width joiner after it shows it as typed.
_TAG = re.compile(r"<(?!\u200d)")
# A placeholder in a command ("team create <name>"), written as ‹name› in Teams, since
# anything in angle brackets is dropped; a mention or channel (`<@...>`, `<#...>`) is not one.
_PLACEHOLDER = re.compile(r"<([^<>@#!\s][^<>]{0,40})>")
# Only what forms emphasis or a link anywhere: a stray backslash before "(" shows as-is on
# some Teams clients, so nothing that is harmless alone is escaped.
_MARKUP = re.compile(r"[\\`*_\[\]]")
# At the start of a line: "#" (a heading), "-" or "+" (a list), ">" (a quote), "12." (a list).
_LINE_MARKER = re.compile(r"(?<![^\r\n])([ \t]*)(?:([#+>-])|(\d+)\.)")
_CHANNEL_ID = re.compile(r"#?19:[\w.-]+@thread\.\w+")
# A command quoted in a ritual's sentence: "`help commit`".
_QUOTED = re.compile(r"`([^`\r\n]+)`")
_MENTION_UNSAFE = re.compile(r"[\\`*_\[\]<>\x00-\x1f]+")


def escape(text: str, *, line_start: bool = True) -> str:
    """User text as card markdown that shows exactly what was typed and can ping nobody.

    Teams turns `<at>Name</at>` into a mention when an entity's text matches it, drops what
    looks like HTML, and renders links, emphasis and lists from markdown; a person's KPI name
    or answer must do none of these. A zero-width joiner after each `<` keeps `<at>` from ever
    matching an entity and `<b>` on screen, and a backslash
    before each markdown character makes it literal. `line_start=False` when the text
    continues a line, so a "-" in mid-sentence is left alone.
    """

    def marker(match: re.Match[str]) -> str:
        indent, mark, digits = match.groups()
        if match.start() == 0 and not line_start:
            return match.group(0)
        return f"{indent}\\{mark}" if mark else f"{indent}{digits}\\."

    text = _MARKUP.sub(lambda c: "\\" + c.group(0), text)
    text = _LINE_MARKER.sub(marker, text)
    return _TAG.sub("<" + _ZWJ, text)


def neutralise(text: str) -> str:
    """Plain text that cannot become a mention or a tag, for places markdown does not reach."""
    return _TAG.sub("<" + _ZWJ, text)


def placeholders(command: str) -> str:
    """A command as Teams shows it: `team create <name>` reads `team create ‹name›`."""
    return _PLACEHOLDER.sub(r"‹\1›", command)


def without_ids(text: str) -> str:
    """Text with each Teams channel id ("#19:abc@thread.tacv2") said as "the team channel":
    the id means nothing to a reader, and a card cannot link a channel by it."""
    return _CHANNEL_ID.sub("the team channel", text)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis; never leaves a dangling escape."""
    if len(text) <= limit:
        return text
    head = text[: max(limit - 1, 0)]
    trailing = len(head) - len(head.rstrip("\\"))
    if trailing % 2:
        head = head[:-1]
    return head + "…"


def mention(person: m.Mention) -> tuple[str, dict[str, Any]]:
    """A mention's text and its entity, for a name the store resolved.

    Teams matches the text to the entity's, whether before or after it reads the markdown, so
    the name inside `<at>` must read the same either way: characters markdown would act on
    are left out of it rather than escaped. The entity keeps the real name.
    """
    name = " ".join(_MENTION_UNSAFE.sub(" ", person.display_name).split()) or "someone"
    text = f"<at>{name}</at>"
    entity = {
        "type": "mention",
        "text": text,
        "mentioned": {"id": person.platform_user_id, "name": person.display_name},
    }
    return text, entity


def _bold(text: str) -> str:
    inner = escape(text.strip(), line_start=False)
    if not inner:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}**{inner}**{trail}"


def prose(text: str, *, line_start: bool = True) -> str:
    """A ritual's sentence as card markdown: a command it quotes in backticks ("`me set pause
    on` stops it") is shown bold, as `Code` is, since Teams would show the backticks
    themselves once escaped; everything else is escaped like any user text."""
    out = ""
    for index, piece in enumerate(_QUOTED.split(text)):
        if index % 2:
            out += _bold(placeholders(piece))
        elif piece:
            out += escape(piece, line_start=line_start and (not out or out[-1] in "\r\n"))
    return out


def inline(parts: m.Rich, entities: list[dict[str, Any]]) -> str:
    """Inline parts as card markdown; each mention's entity is appended to `entities`.

    Code becomes bold rather than quoted: quotes would be copied along with a command and
    change how the grammar reads it. A channel link is "the team channel", since a card
    cannot link a channel by id and `#19:abc@thread.tacv2` means nothing to anyone.
    """
    out = ""
    for part in parts:
        if isinstance(part, str):
            out += prose(part, line_start=not out or out[-1] in "\r\n")
        elif isinstance(part, m.Mention):
            text, entity = mention(part)
            entities.append(entity)
            out += text
        elif isinstance(part, m.ChannelLink):
            out += "the team channel"
        elif isinstance(part, m.Link):
            out += f"[{escape(part.text, line_start=False)}]({part.url})"
        else:
            out += _bold(placeholders(part.text))
    return out
