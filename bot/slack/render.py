"""Neutral messages to Block Kit, inside Slack's limits, with user text that cannot ping anyone.

Every string from a ritual is escaped for mrkdwn (`&`, `<`, `>`) and sent `verbatim`, so
`<!channel>` or a forged `<@U123>` typed by a person shows as text. Real mentions come only from
`Mention`, which carries an id the store resolved.

Blocks are plain dicts, built on every reply: slack_sdk's model classes cost several times
more to build and to turn into dicts. Their keys come in the order those classes wrote them
(sorted), empty values left out as they did, so what Slack receives is byte for byte what it
received from them. The tests render a broad set of messages through the model classes too
(tests/bot/slack/blockkit_models.py): any difference, or anything clipped here that still
breaks one of Slack's limits, fails there instead of being rejected by Slack later.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rituals.core import messages as m

log = logging.getLogger(__name__)

# Slack's limits (https://api.slack.com/reference/block-kit).
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS_PER_SECTION = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
BUTTONS_PER_BLOCK = 25
FALLBACK_TEXT = 3000
MODAL_TITLE = 24
LABEL_TEXT = 2000
HINT_TEXT = 2000
INPUT_MAX = 3000
OPTIONS = 100
OPTION_TEXT = 75
OPTION_VALUE = 150
PRIVATE_METADATA = 3000
# response_url allows five replies; keep one for an error.
MAX_PARTS = 4

FORM_CALLBACK = "kpicoach-form"
BUTTON_ACTION = re.compile(r"^run-\d+$")
VALUE_ACTION = "value"
# A user mention as Slack escapes it: <@U123> or <@U123|name>.
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# What may stand between the mentions of several people, as the grammar reads them.
_BETWEEN_MENTIONS = re.compile(r"[\s,]*")


def escape(text: str) -> str:
    """The three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn(parts: m.Rich) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(escape(part))
        elif isinstance(part, m.Mention):
            out.append(f"<@{part.platform_user_id}>")
        elif isinstance(part, m.ChannelLink):
            out.append(f"<#{part.channel_id}>")
        elif isinstance(part, m.Link):
            out.append(f"<{escape(part.url)}|{escape(part.text.replace('|', '/'))}>")
        elif isinstance(part, m.Strong):
            out.append(_bold(part.text))
        else:
            code = part.text.replace("`", "'")  # a backtick would end the code span
            out.append(f"`{escape(code)}`")
    return "".join(out)


def _bold(text: str) -> str:
    """Slack shows `*x*` as bold only when no space stands inside the stars: the spaces
    around the words go outside them (`*What happened: *` rendered as typed)."""
    inner = text.strip()
    if not inner:
        return escape(text)
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{escape(lead)}*{escape(inner)}*{escape(trail)}"


def chunks(text: str, limit: int) -> Iterator[str]:
    """Pieces no longer than `limit`, cut at a line break or a space where there is one."""
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        yield text[:cut]
        text = text[cut:].lstrip("\n ")
    if text:
        yield text


# A Block Kit block or element, as the JSON Slack reads.
Block = dict[str, Any]


def _md(text: str) -> Block:
    return {"text": text, "type": "mrkdwn", "verbatim": True}


def _plain(text: str) -> Block:
    """Plain text; empty text is left out, as slack_sdk did."""
    return {"text": text, "type": "plain_text"} if text else {"type": "plain_text"}


def _context(text: str) -> Block:
    return {"elements": [_md(text)], "type": "context"}


def _sections(text: str) -> list[Block]:
    return [{"text": _md(piece), "type": "section"} for piece in chunks(text, SECTION_TEXT)]


@dataclass(frozen=True)
class Upload:
    """A file the message carries: Slack shows files as uploads, not blocks."""

    name: str
    title: str
    data: bytes


@dataclass(frozen=True)
class SlackMessage:
    text: str
    blocks: list[dict[str, Any]]


@dataclass(frozen=True)
class Rendered:
    parts: list[SlackMessage]
    uploads: list[Upload] = field(default_factory=list)


def render_blocks(blocks: Sequence[m.Block], uploads: list[Upload]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        out.extend(_render_block(block, uploads))
    return out


def _render_block(block: m.Block, uploads: list[Upload]) -> list[Block]:
    match block:
        case m.Heading(text=text):
            return [{"text": _plain(clip(text, HEADER_TEXT)), "type": "header"}]
        case m.Paragraph(parts=parts):
            return _sections(mrkdwn(parts))
        case m.Bullets(items=items):
            return _sections("\n".join(f"• {mrkdwn(item)}" for item in items))
        case m.Fields(items=items):
            texts = [clip(f"*{escape(k)}*\n{escape(v)}", FIELD_TEXT) for k, v in items]
            return [
                {"fields": [_md(t) for t in texts[i : i + FIELDS_PER_SECTION]], "type": "section"}
                for i in range(0, len(texts), FIELDS_PER_SECTION)
            ]
        case m.Note(text=text):
            return [_context(piece) for piece in chunks(escape(text), 3000)]
        case m.Actions(buttons=buttons, prompt=prompt):
            return _actions(buttons, prompt)
        case m.Image(name=name, data=data, alt=alt, title=title):
            uploads.append(Upload(name, title or alt, data))
            return [_context(escape(clip(f"{alt} (attached below)", 3000)))]
        case m.File(name=name, data=data):
            uploads.append(Upload(name, name, data))
            return [_context(escape(f"{name} is attached below."))]
    raise TypeError(f"not a block: {block!r}")


def _actions(buttons: Sequence[m.Button], prompt: str | None) -> list[Block]:
    out: list[Block] = _sections(escape(prompt)) if prompt else []
    elements: list[Block] = []
    for button in buttons:
        if len(button.command) > BUTTON_VALUE:
            log.warning("button %r dropped: its command is too long for Slack", button.label)
            continue
        element: Block = {"action_id": f"run-{len(elements)}"}
        if button.style is not m.ButtonStyle.DEFAULT:
            element["style"] = button.style.value
        element["text"] = _plain(clip(button.label, BUTTON_TEXT))
        element["type"] = "button"
        if button.command:
            element["value"] = button.command
        elements.append(element)
    for i in range(0, len(elements), BUTTONS_PER_BLOCK):
        out.append({"elements": elements[i : i + BUTTONS_PER_BLOCK], "type": "actions"})
    return out


def render_message(message: m.Message) -> Rendered:
    """One neutral message as one or more Slack messages of at most 50 blocks each."""
    uploads: list[Upload] = []
    blocks = render_blocks(message.blocks, uploads)
    fallback = clip(escape(message.text), FALLBACK_TEXT) or "kpi-coach"
    room = MESSAGE_BLOCKS * MAX_PARTS
    if len(blocks) > room:
        cut = len(blocks) - room + 1
        blocks = blocks[: room - 1]
        blocks.append(_context(f"_{cut} more blocks were cut: this was too long._"))
    parts = [
        SlackMessage(
            text=fallback if i == 0 else "(continued)",
            blocks=blocks[i : i + MESSAGE_BLOCKS],
        )
        for i in range(0, len(blocks), MESSAGE_BLOCKS)
    ]
    return Rendered(parts or [SlackMessage(fallback, [])], uploads)


def render_home(message: m.Message) -> dict[str, Any]:
    """The App Home tab: a view of at most 100 blocks."""
    blocks = render_blocks(message.blocks, [])
    if len(blocks) > VIEW_BLOCKS:
        blocks = blocks[: VIEW_BLOCKS - 1]
        blocks.append(_context("_There is more than the Home tab can show._"))
    return {"blocks": blocks, "type": "home"}


@dataclass(frozen=True)
class FormOrigin:
    """Where a form was asked for, carried through the modal so the answer goes back there."""

    command: str
    hidden: Mapping[str, str] = field(default_factory=dict)
    channel_id: str | None = None
    response_url: str | None = None
    # The message whose button opened the form: a reply in its thread stays there.
    thread_ts: str | None = None

    def encode(self) -> str:
        data: dict[str, Any] = {"command": self.command, "hidden": dict(self.hidden)}
        if self.channel_id:
            data["channel"] = self.channel_id
        if self.thread_ts:
            data["thread"] = self.thread_ts
        text = json.dumps({**data, "response_url": self.response_url})
        if len(text) <= PRIVATE_METADATA:
            return text
        # The reply can go by DM instead; the command and its hidden values cannot be dropped.
        text = json.dumps(data)
        if len(text) > PRIVATE_METADATA:
            raise ValueError(f"form {self.command!r} carries too much hidden data for Slack")
        return text

    @classmethod
    def decode(cls, text: str) -> FormOrigin:
        """What `encode` wrote; ValueError for anything else (a form this bot did not open)."""
        data = json.loads(text or "{}")
        if not isinstance(data, dict):
            raise ValueError("the form's private_metadata is not an object")
        hidden = data.get("hidden") or {}
        strings = ("command", "channel", "response_url", "thread")
        if not isinstance(hidden, dict) or not all(
            isinstance(v, str | int | float) for v in hidden.values()
        ):
            raise ValueError("the form's hidden values are not plain values")
        if not all(isinstance(data.get(k), str | None) for k in strings):
            raise ValueError("the form's private_metadata has a part that is not text")
        return cls(
            command=str(data.get("command", "")),
            hidden={str(k): str(v) for k, v in hidden.items()},
            channel_id=data.get("channel"),
            response_url=data.get("response_url"),
            thread_ts=data.get("thread"),
        )


def render_modal(form: m.Form, origin: FormOrigin) -> dict[str, Any]:
    blocks: list[Block] = _sections(escape(form.intro)) if form.intro else []
    blocks += [_input(f) for f in form.fields]
    return {
        "blocks": blocks[:VIEW_BLOCKS],
        "callback_id": FORM_CALLBACK,
        "close": _plain("Cancel"),
        "private_metadata": origin.encode(),
        "submit": _plain(clip(form.submit_label, MODAL_TITLE)),
        "title": _plain(clip(form.title, MODAL_TITLE)),
        "type": "modal",
    }


def render_unreadable_form(values: Mapping[str, str], slash: str) -> dict[str, Any]:
    """A submitted form this bot cannot read (not its own, or from a much older version): it
    says so and shows what the person typed, so nothing is lost; nothing was run."""
    intro = (
        "This form could not be read (it may come from an older version of the bot), so "
        f"nothing was saved. What you typed is below: copy it, then type {slash} help to "
        "start again."
    )
    blocks: list[Block] = _sections(escape(intro))
    for value in values.values():
        blocks += _sections(escape(value))
    return {
        "blocks": blocks[:VIEW_BLOCKS],
        "close": _plain("Close"),
        "title": _plain("Form not read"),
        "type": "modal",
    }


def _input(f: m.FormField) -> Block:
    block: Block = {"block_id": f.name} if f.name else {}
    block["element"] = _element(f)
    if f.hint:
        block["hint"] = _plain(clip(f.hint, HINT_TEXT))
    block["label"] = _plain(clip(f.label, LABEL_TEXT))
    block["optional"] = not f.required
    block["type"] = "input"
    return block


def _element(f: m.FormField) -> Block:
    """The input a field is filled in with: a list, a person or people picker, or text."""
    element: Block = {"action_id": VALUE_ACTION}
    person = MENTION.fullmatch(f.value or "")
    if f.kind is m.FieldKind.CHOICE and f.options:
        options = [
            {"text": _plain(clip(o, OPTION_TEXT)), "value": o[:OPTION_VALUE]}
            for o in f.options[:OPTIONS]
        ]
        initial = next((o for o in options if o["value"] == f.value), None)
        if initial is not None:
            element["initial_option"] = initial
        element["options"] = options
        element["type"] = "static_select"
    elif f.kind is m.FieldKind.PERSON and (f.value is None or person):
        if person:
            element["initial_user"] = person.group(1)
        element["type"] = "users_select"
    elif f.kind is m.FieldKind.PEOPLE and (users := _users(f.value)) is not None:
        if users:
            element["initial_users"] = users
        element["max_selected_items"] = f.max_length
        element["type"] = "multi_users_select"
    else:
        # A PEOPLE field's max_length counts people, not characters: the grammar checks it.
        limit = INPUT_MAX if f.kind is m.FieldKind.PEOPLE else min(f.max_length, INPUT_MAX)
        if f.value:
            element["initial_value"] = clip(f.value, limit)
        element["max_length"] = limit
        element["multiline"] = f.kind is m.FieldKind.LONG_TEXT
        element["type"] = "plain_text_input"
    return element


def _users(value: str | None) -> list[str] | None:
    """The user ids of a value made only of Slack mentions, for a picker to start from.

    None when the value also names someone by a typed name ("@ana"): a picker cannot show a
    name Slack has not resolved, so the value stays editable text, as it was typed.
    """
    if not value:
        return []
    if not _BETWEEN_MENTIONS.fullmatch(MENTION.sub(" ", value)):
        return None
    return list(dict.fromkeys(MENTION.findall(value)))


def form_values(state: Mapping[str, Any]) -> dict[str, str]:
    """A submitted modal's values by field name, in the words the grammar reads."""
    values: dict[str, str] = {}
    for name, actions in (state.get("values") or {}).items():
        element = (actions or {}).get(VALUE_ACTION) or {}
        value: str | None
        if element.get("type") == "users_select":
            user = element.get("selected_user")
            value = f"<@{user}>" if user else None
        elif element.get("type") == "multi_users_select":
            users = [u for u in element.get("selected_users") or [] if isinstance(u, str) and u]
            value = " ".join(f"<@{u}>" for u in users)
        elif element.get("type") == "static_select":
            value = (element.get("selected_option") or {}).get("value")
        else:
            value = element.get("value")
        if value:
            values[str(name)] = str(value)
    return values
