"""The neutral message model every ritual speaks and every platform renders.

Text here is plain: renderers escape it for their platform, so a user who types `<!channel>` or
`@here` can never ping anyone through the bot. A mention is only ever made from a `Mention`, which
carries an id the store resolved.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mention:
    """A real mention of a resolved person."""

    platform_user_id: str
    display_name: str


@dataclass(frozen=True)
class ChannelLink:
    """A link to a channel the platform knows by id."""

    channel_id: str


@dataclass(frozen=True)
class Link:
    """A web address with words to click, made by the bot (never from what someone typed)."""

    url: str
    text: str


@dataclass(frozen=True)
class Strong:
    """Emphasised plain text."""

    text: str


@dataclass(frozen=True)
class Code:
    """Something to type, shown as code."""

    text: str


Inline = str | Mention | ChannelLink | Link | Strong | Code
Rich = tuple[Inline, ...]


def rich(*parts: Inline) -> Rich:
    return tuple(parts)


def counted(count: int, one: str, several: str) -> str:
    """ "1 person", "3 people": a count with the word that goes with it."""
    return f"{count} {one if count == 1 else several}"


def listing(items: Sequence[Inline], last: str = "and") -> list[Inline]:
    """ "A, B and C" (or "A, B or C") from inline parts, mentions included."""
    parts: list[Inline] = []
    for i, item in enumerate(items):
        if i:
            parts.append(f" {last} " if i == len(items) - 1 else ", ")
        parts.append(item)
    return parts


def plain_text(parts: Rich) -> str:
    """The text of inline parts without markup; for fallbacks, notifications and tests."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Mention):
            out.append(f"@{part.display_name}")
        elif isinstance(part, ChannelLink):
            out.append(f"#{part.channel_id}")
        elif isinstance(part, Link):
            out.append(f"{part.text}: {part.url}")
        else:
            out.append(part.text)
    return "".join(out)


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    parts: Rich


@dataclass(frozen=True)
class Bullets:
    items: tuple[Rich, ...]


@dataclass(frozen=True)
class Fields:
    """Short label and value pairs, shown side by side where the platform can."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Note:
    """Small print: context, hints, what happens next."""

    text: str


class ButtonStyle(enum.StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    """A button runs a command, in the same grammar a person would type.

    That makes every button testable as text, and lets a platform with no buttons fall back to
    showing the command.
    """

    label: str
    command: str
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True)
class Actions:
    """Buttons, optionally with a question: a choice is a prompt with one button per option."""

    buttons: tuple[Button, ...]
    prompt: str | None = None


@dataclass(frozen=True)
class Image:
    """A picture (a chart): shown inline where the platform can, else offered as a file.

    The bytes travel with the message, so a queued message needs no file that might be gone
    by the time it is sent. `sketch` is a text drawing for places that show no pictures.
    """

    name: str
    data: bytes
    alt: str
    title: str = ""
    sketch: str = ""


@dataclass(frozen=True)
class File:
    """A file for the person to keep: uploaded in Slack, attached in Teams, saved by the console."""

    name: str
    data: bytes
    mime: str


Block = Heading | Paragraph | Bullets | Fields | Note | Actions | Image | File


class Audience(enum.StrEnum):
    EPHEMERAL = "ephemeral"  # only the person who asked sees it, where they asked
    DM = "dm"  # a direct message to one person
    CHANNEL = "channel"  # a post everyone in a channel sees


@dataclass(frozen=True)
class Message:
    blocks: tuple[Block, ...]
    audience: Audience = Audience.EPHEMERAL
    # For a DM: the person it goes to. For a channel post: the platform's channel id.
    to: Mention | None = None
    channel_id: str | None = None
    # A channel post that answers the message someone acted on: in its thread where the
    # platform has threads (Slack), as a reply in the conversation (Teams).
    in_thread: bool = False

    @property
    def actions(self) -> bool:
        """Whether the message offers buttons to press."""
        return any(isinstance(b, Actions) for b in self.blocks)

    @property
    def text(self) -> str:
        """A plain fallback of the whole message, for notifications and text-only places."""
        return "\n".join(block_text(b) for b in self.blocks)


class FieldKind(enum.StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    CHOICE = "choice"
    PERSON = "person"
    # One or more people. Its value is in the grammar's text form ("<@U1> <@U2>", "@ana @ben"),
    # and its `max_length` is the command's limit on how many people, not on characters.
    PEOPLE = "people"


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    required: bool = True
    max_length: int = 200
    hint: str = ""
    options: tuple[str, ...] = ()
    value: str | None = None


@dataclass(frozen=True)
class Form:
    """A form the person fills in; submitting it runs `command` with the fields' values.

    Hidden values are carried along unchanged (the KPI being retired, say).
    """

    title: str
    command: str
    fields: tuple[FormField, ...]
    submit_label: str = "Submit"
    intro: str = ""
    hidden: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FormRequest:
    """A ritual asking for a command's form, prefilled; the grammar builds the form itself."""

    command: str
    values: Mapping[str, str] = field(default_factory=dict)
    intro: str = ""
    # Fields the ritual needs though the command leaves them optional (so that naming only
    # what it is about opens the form, with what it is about in the intro).
    required: tuple[str, ...] = ()
    # Choices only the settings know (app.yaml's rewards, say), for a free-text field.
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


# What a ritual may answer with, and what reaches a platform (form requests become forms).
Reply = Message | Form | FormRequest
Outgoing = Message | Form


def block_text(block: Block) -> str:
    """One block as plain text."""
    match block:
        case Heading(text=t) | Note(text=t):
            return t
        case Paragraph(parts=parts):
            return plain_text(parts)
        case Bullets(items=items):
            return "\n".join(f"- {plain_text(i)}" for i in items)
        case Fields(items=items):
            return "\n".join(f"{k}: {v}" for k, v in items)
        case Actions(buttons=buttons, prompt=prompt):
            labels = " | ".join(b.label for b in buttons)
            return f"{prompt} {labels}" if prompt else labels
        case Image(alt=alt):
            return alt
        case File(name=name):
            return f"[file] {name}"
    raise TypeError(f"not a block: {block!r}")


def dm(to: Mention, *parts: Inline) -> Message:
    """A direct message to someone other than the person who asked."""
    return Message((Paragraph(tuple(parts)),), audience=Audience.DM, to=to)


def say(*parts: Inline, note: str | None = None) -> Message:
    """The common case: one ephemeral paragraph back to the person who asked."""
    blocks: list[Block] = [Paragraph(tuple(parts))]
    if note:
        blocks.append(Note(note))
    return Message(tuple(blocks))
