"""Neutral messages as terminal text. Buttons become numbered options a person can pick."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Bullets,
    Button,
    ChannelLink,
    Code,
    Fields,
    File,
    Heading,
    Image,
    Inline,
    Link,
    Mention,
    Message,
    Note,
    Paragraph,
    Rich,
    Strong,
)

WIDTH = 92
# A platform mention inside a command or a form's value: `<@ana>`, `<@U123|Ana Lima>`.
_MARKUP = re.compile(r"<@([A-Za-z0-9_.:-]+)(?:\|([^>]*))?>")


def readable(text: str, name_of: Callable[[str], str]) -> str:
    """A command or value as a person reads it: `<@ana>` as @Ana, as mentions show elsewhere.
    Only for showing; what is run or submitted keeps the markup the grammar resolves."""
    return _MARKUP.sub(lambda m: f"@{m[2] or name_of(m[1])}", text)


def inline(part: Inline) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, Mention):
        return f"@{part.display_name}"
    if isinstance(part, ChannelLink):
        return f"#{part.channel_id}"
    if isinstance(part, Link):
        return f"{part.text}: {part.url}"
    if isinstance(part, Strong):
        return f"*{part.text}*"
    assert isinstance(part, Code)
    return f"`{part.text}`"


def line(parts: Rich) -> str:
    return "".join(inline(p) for p in parts)


def _wrap(text: str, indent: str = "") -> list[str]:
    out: list[str] = []
    for paragraph in text.splitlines() or [""]:
        # A word longer than a line (a link's address) stays whole, so it can be copied.
        wrapped = textwrap.wrap(
            paragraph,
            WIDTH,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        out += wrapped or [indent]
    return out


def render_message(message: Message, first_number: int = 1) -> tuple[str, list[Button]]:
    """The message as lines of text, and its buttons in the order they were numbered."""
    lines: list[str] = []
    if message.audience is Audience.DM and message.to is not None:
        lines.append(f"(direct message to {message.to.display_name})")
    elif message.audience is Audience.CHANNEL:
        lines.append(f"(posted in channel {message.channel_id})")
    buttons: list[Button] = []
    for block in message.blocks:
        lines += _render_block(block, buttons, first_number)
    return "\n".join(lines), buttons


def _render_block(block: Block, buttons: list[Button], first_number: int) -> list[str]:
    match block:
        case Heading(text=text):
            return ["", f"== {text} =="]
        case Paragraph(parts=parts):
            return _wrap(line(parts))
        case Bullets(items=items):
            out: list[str] = []
            for item in items:
                wrapped = _wrap(line(item), "    ")
                out += ["  - " + wrapped[0][4:], *wrapped[1:]]
            return out
        case Fields(items=items):
            width = max(len(k) for k, _ in items)
            return [f"  {k.ljust(width)}  {v}" for k, v in items]
        case Note(text=text):
            return _wrap(f"({text})")
        case Actions(buttons=row, prompt=prompt):
            out = _wrap(prompt) if prompt else []
            for button in row:
                buttons.append(button)
                out.append(f"  [{first_number + len(buttons) - 1}] {button.label}")
            return out
        case Image(name=name, alt=alt, title=title, sketch=sketch):
            out = [f"[image] {title or alt}: {name}"]
            return out + [f"  {line}" for line in sketch.splitlines()]
        case File(name=name, data=data):
            return [f"[file] {name} ({len(data):,} bytes)"]
    raise TypeError(f"cannot render {block!r}")
