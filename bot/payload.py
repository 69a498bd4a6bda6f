"""Neutral messages to JSON and back, so an outbox row carries everything a worker needs.

A message is written when it is queued and rendered for its platform only when it is sent, by
whichever process claims it; the row must not depend on the process that wrote it.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii
from typing import Any

from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Bullets,
    Button,
    ButtonStyle,
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


def _inline(part: Inline) -> object:
    match part:
        case str():
            return part
        case Mention(platform_user_id=uid, display_name=name):
            return {"mention": uid, "name": name}
        case ChannelLink(channel_id=channel):
            return {"channel": channel}
        case Link(url=url, text=text):
            return {"link": url, "text": text}
        case Strong(text=text):
            return {"strong": text}
        case Code(text=text):
            return {"code": text}
    raise TypeError(f"not an inline part: {part!r}")


def _from_inline(data: Any) -> Inline:
    if isinstance(data, str):
        return data
    if "mention" in data:
        return Mention(data["mention"], data["name"])
    if "channel" in data:
        return ChannelLink(data["channel"])
    if "link" in data:
        return Link(data["link"], data["text"])
    if "strong" in data:
        return Strong(data["strong"])
    return Code(data["code"])


def _rich(parts: Rich) -> list[object]:
    return [_inline(p) for p in parts]


def _from_rich(data: list[Any]) -> Rich:
    return tuple(_from_inline(p) for p in data)


def _block(block: Block) -> dict[str, object]:
    match block:
        case Heading(text=text):
            return {"heading": text}
        case Note(text=text):
            return {"note": text}
        case Paragraph(parts=parts):
            return {"paragraph": _rich(parts)}
        case Bullets(items=items):
            return {"bullets": [_rich(i) for i in items]}
        case Fields(items=items):
            return {"fields": [list(i) for i in items]}
        case Actions(buttons=buttons, prompt=prompt):
            return {
                "actions": [[b.label, b.command, b.style.value] for b in buttons],
                "prompt": prompt,
            }
        case Image(name=name, data=data, alt=alt, title=title, sketch=sketch):
            encoded = base64.b64encode(data).decode()
            return {"image": name, "data": encoded, "alt": alt, "title": title, "sketch": sketch}
        case File(name=name, data=data, mime=mime):
            return {"file": name, "data": base64.b64encode(data).decode(), "mime": mime}
    raise TypeError(f"not a block: {block!r}")


def _from_block(data: dict[str, Any]) -> Block:
    if "heading" in data:
        return Heading(data["heading"])
    if "note" in data:
        return Note(data["note"])
    if "paragraph" in data:
        return Paragraph(_from_rich(data["paragraph"]))
    if "bullets" in data:
        return Bullets(tuple(_from_rich(i) for i in data["bullets"]))
    if "fields" in data:
        return Fields(tuple((k, v) for k, v in data["fields"]))
    if "actions" in data:
        buttons = tuple(
            Button(label, cmd, ButtonStyle(style)) for label, cmd, style in data["actions"]
        )
        return Actions(buttons, data.get("prompt"))
    if "image" in data:
        return Image(
            data["image"],
            base64.b64decode(data["data"]),
            data["alt"],
            data.get("title", ""),
            data.get("sketch", ""),
        )
    if "file" in data:
        return File(data["file"], base64.b64decode(data["data"]), data["mime"])
    raise ValueError(f"unknown block in a stored message: {sorted(data)}")


def encode(message: Message, thread: str | None = None) -> dict[str, object]:
    """`thread` is the platform's id of the post a channel message answers in the thread of
    (a Slack ts, a Teams message id): only the request knew it, so the row carries it."""
    data: dict[str, object] = {
        "blocks": [_block(b) for b in message.blocks],
        "audience": message.audience.value,
        "to": _inline(message.to) if message.to else None,
        "channel": message.channel_id,
    }
    if message.in_thread:
        data["in_thread"] = True
    if thread:
        data["thread"] = thread
    return data


def thread_of(data: dict[str, Any]) -> str | None:
    """The thread a stored channel post goes into; None for a new post."""
    thread = data.get("thread")
    return str(thread) if thread else None


def decode_block(data: dict[str, Any]) -> Block:
    """One stored block, for a renderer that keeps what it made of each."""
    return _from_block(data)


def decode(data: dict[str, Any]) -> Message:
    to = _from_inline(data["to"]) if data.get("to") else None
    assert to is None or isinstance(to, Mention)
    return Message(
        tuple(_from_block(b) for b in data["blocks"]),
        audience=Audience(data["audience"]),
        to=to,
        channel_id=data.get("channel"),
        in_thread=bool(data.get("in_thread")),
    )


def stored(message: Message, thread: str | None = None) -> str:
    """The JSON text an outbox row holds for the message (see `encode`)."""
    return json.dumps(encode(message, thread))


# Stand-ins for the recipient in a template, marked with a private-use character.
MARK = "\ue000"
TO_ID = f"{MARK}id{MARK}"
TO_NAME = f"{MARK}name{MARK}"
STAND_IN = Mention(TO_ID, TO_NAME)


def _in_json(text: str) -> str:
    """A string as it reads inside a JSON string, as `json.dumps` escapes it: escaping goes
    character by character, so a stand-in inside a longer string reads the same as alone."""
    return encode_basestring_ascii(text)[1:-1]


ID_IN_JSON, NAME_IN_JSON = _in_json(TO_ID), _in_json(TO_NAME)
STAND_INS = re.compile(f"{re.escape(ID_IN_JSON)}|{re.escape(NAME_IN_JSON)}")


@dataclass(frozen=True)
class Template:
    """A message's stored JSON text with its recipient left open: encoded once for everyone
    who gets the same message but for their name, then filled per person in one pass over the
    text (a name that happens to hold a stand-in is not filled in again)."""

    text: str

    def fill(self, to: Mention) -> str:
        fills = {
            ID_IN_JSON: _in_json(to.platform_user_id),
            NAME_IN_JSON: _in_json(to.display_name),
        }
        return STAND_INS.sub(lambda m: fills[m.group()], self.text)


def template(message: Message) -> Template:
    """The template of a message written to `STAND_IN`."""
    return Template(stored(message))
