"""Neutral messages to Adaptive Cards, inside Teams' limits, with user text that stays text.

Pure: plain dicts in the Adaptive Card schema and no botbuilder, so every card can be checked
against the schema in tests; the bot layer wraps them into attachments. Every string from a
ritual is escaped for the card's markdown and cannot forge a mention: real mentions come only
from `Mention`, which carries an id the store resolved, and each has its entity beside it.

Buttons and forms submit with `Action.Submit` (a message with a `value`, which every Teams
client sends); `submission()` reads that value back into a command for the grammar.
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rituals.core import messages as m

log = logging.getLogger(__name__)

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
# Teams refuses messages over 100 KB; the activity around a card needs some of that.
MAX_CARD_BYTES = 80_000
# Mirrors Slack's MAX_PARTS: past four cards a message is too long to read anyway.
MAX_PARTS = 4
BUTTONS_PER_SET = 6  # Teams shows six actions in a set and hides the rest behind "..."
FACTS_PER_SET = 20  # so a long list of fields can be split across cards
CHOICES = 100  # Teams shows at most 100 choices
FALLBACK_TEXT = 1000
BUTTON_TITLE = 100
INTRO_TEXT = 3000

FORM_KEY = "kpicoach_form"
HIDDEN_KEY = "kpicoach_hidden"
RUN_KEY = "kpicoach_run"

# Every Teams client renders 1.2 (mobile stops there), so a card never asks for less; forms
# need 1.3 for input labels and validation. Nothing here needs more than 1.5.
_BASE = (1, 2)
_NEWEST = (1, 5)
_TYPE_SINCE = {"ActionSet": (1, 2), "Action.Execute": (1, 4), "Table": (1, 5)}
_PROPERTY_SINCE = {
    "label": (1, 3),
    "isRequired": (1, 3),
    "errorMessage": (1, 3),
    "regex": (1, 3),
    "associatedInputs": (1, 3),
    "tooltip": (1, 5),
    "isEnabled": (1, 5),
    "mode": (1, 5),
}

Json = dict[str, Any]


@dataclass(frozen=True)
class Upload:
    """A file the message carries: a card cannot hold one, so the bot offers it separately."""

    name: str
    data: bytes
    mime: str


@dataclass(frozen=True)
class TeamsRendered:
    cards: list[Json]  # each under MAX_CARD_BYTES once json.dumps'ed
    text: str  # plain, for notifications (Activity.summary) and text-only places
    uploads: list[Upload] = field(default_factory=list)


@dataclass(frozen=True)
class Submission:
    command: str  # a button's command text, or a form's command name
    values: dict[str, str]  # a form's hidden and filled-in values, by field name
    is_form: bool


# --- escaping ---------------------------------------------------------------------------------

_ZWJ = "\u200d"
_AT_TAG = re.compile(r"<(?=\s*/?\s*at)", re.IGNORECASE)
# Only what forms emphasis or a link anywhere: a stray backslash before "(" shows as-is on
# some Teams clients, so nothing that is harmless alone is escaped.
_MARKUP = re.compile(r"[\\`*_\[\]]")
# At the start of a line: "#" (a heading), "-" or "+" (a list), ">" (a quote), "12." (a list).
_LINE_MARKER = re.compile(r"(?<![^\r\n])([ \t]*)(?:([#+>-])|(\d+)\.)")


def escape(text: str, *, line_start: bool = True) -> str:
    """User text as card markdown that shows exactly what was typed and can ping nobody.

    Teams turns `<at>Name</at>` into a mention when an entity's text matches it, and renders
    links, emphasis and lists from markdown; a person's KPI name or answer must not do either.
    A zero-width joiner after `<` keeps `<at>` from ever matching an entity, and a backslash
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
    return _AT_TAG.sub("<" + _ZWJ, text)


def _neutralise(text: str) -> str:
    """Plain text that cannot become a mention, for places markdown does not reach."""
    return _AT_TAG.sub("<" + _ZWJ, text)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis; never leaves a dangling escape."""
    if len(text) <= limit:
        return text
    head = text[: max(limit - 1, 0)]
    trailing = len(head) - len(head.rstrip("\\"))
    if trailing % 2:
        head = head[:-1]
    return head + "…"


_MENTION_UNSAFE = re.compile(r"[\\`*_\[\]<>\x00-\x1f]+")


def _mention(person: m.Mention) -> tuple[str, Json]:
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


def _markdown(parts: m.Rich, entities: list[Json]) -> str:
    """Inline parts as card markdown; each mention's entity is appended to `entities`.

    Code becomes bold rather than quoted: quotes would be copied along with a command and
    change how the grammar reads it. A channel link is "the team channel", since a card
    cannot link a channel by id and `#19:abc@thread.tacv2` means nothing to anyone.
    """
    out = ""
    for part in parts:
        if isinstance(part, str):
            out += escape(part, line_start=not out or out[-1] in "\r\n")
        elif isinstance(part, m.Mention):
            text, entity = _mention(part)
            entities.append(entity)
            out += text
        elif isinstance(part, m.ChannelLink):
            out += "the team channel"
        else:
            out += _bold(part.text)
    return out


# --- blocks to card elements ------------------------------------------------------------------


@dataclass
class _Piece:
    """Elements that go into the same card, and the mention entities they need."""

    elements: list[Json]
    entities: list[Json] = field(default_factory=list)

    @property
    def size(self) -> int:
        # Each element and entity is followed by ", " in its list: an upper bound, so cards
        # packed by it never exceed the budget once really serialised.
        return sum(_size(x) + 2 for x in (*self.elements, *self.entities))


def _size(value: object) -> int:
    return len(json.dumps(value).encode())


def _text(text: str, **style: Any) -> Json:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _heading(text: str) -> Json:
    return _text(escape(text), size="large", weight="bolder")


def _small(text: str) -> Json:
    return _text(text, isSubtle=True, size="small")


def _pieces(block: m.Block, uploads: list[Upload], room: int) -> list[_Piece]:
    match block:
        case m.Heading(text=text):
            return [_Piece([_heading(text)])]
        case m.Paragraph(parts=parts):
            entities: list[Json] = []
            text = _markdown(parts, entities)
            return [_Piece([_text(text)], entities)] if text else []
        case m.Bullets(items=items):
            entities = []
            lines = [f"- {_markdown(item, entities)}" for item in items]
            return [_Piece([_text("\n".join(lines))], entities)] if lines else []
        case m.Fields(items=items):
            facts = [{"title": escape(k), "value": escape(v)} for k, v in items]
            return [
                _Piece([{"type": "FactSet", "facts": facts[i : i + FACTS_PER_SET]}])
                for i in range(0, len(facts), FACTS_PER_SET)
            ]
        case m.Note(text=text):
            return [_Piece([_small(escape(text))])] if text else []
        case m.Actions(buttons=buttons, prompt=prompt):
            return [_actions(buttons, prompt)]
        case m.Image():
            return [_image(block, uploads, room)]
        case m.File(name=name, data=data, mime=mime):
            uploads.append(Upload(name, data, mime))
            return [_Piece([_text(escape(f"{name} is ready: I'll offer it to you as a file."))])]
    raise TypeError(f"not a block: {block!r}")


def _actions(buttons: tuple[m.Button, ...], prompt: str | None) -> _Piece:
    """The prompt and its buttons in one piece, so a split never parts them."""
    styles = {m.ButtonStyle.PRIMARY: "positive", m.ButtonStyle.DANGER: "destructive"}
    actions: list[Json] = []
    for button in buttons:
        action: Json = {
            "type": "Action.Submit",
            "title": clip(button.label, BUTTON_TITLE),
            "data": {RUN_KEY: button.command},
        }
        if button.style in styles:
            action["style"] = styles[button.style]
        actions.append(action)
    elements = [_text(escape(prompt))] if prompt else []
    elements += [
        {"type": "ActionSet", "actions": actions[i : i + BUTTONS_PER_SET]}
        for i in range(0, len(actions), BUTTONS_PER_SET)
    ]
    return _Piece(elements)


def _image(image: m.Image, uploads: list[Upload], room: int) -> _Piece:
    """The picture inline as a data URI, since Teams cannot fetch files from us.

    When it would not fit in a card, it is offered as a file instead, like an export.
    """
    mime = mimetypes.guess_type(image.name)[0] or "image/png"
    if not mime.startswith("image/"):
        mime = "image/png"
    title = [_text(escape(image.title), weight="bolder")] if image.title else []
    uri = f"data:{mime};base64,{base64.b64encode(image.data).decode('ascii')}"
    piece = _Piece([*title, {"type": "Image", "url": uri, "altText": image.alt}])
    if piece.size <= room:
        return piece
    uploads.append(Upload(image.name, image.data, mime))
    note = f"{image.alt} (the picture is too large for a card: I'll offer it as a file)"
    return _Piece([*title, _small(escape(note))])


# --- fitting into cards -----------------------------------------------------------------------


def _fit(piece: _Piece, room: int) -> Iterator[_Piece]:
    """The piece as it is when it fits in an empty card.

    Else its elements one by one, and an element too big on its own with its text clipped:
    Teams refuses the whole message rather than show part of it.
    """
    if piece.size <= room:
        yield piece
    elif len(piece.elements) > 1:
        for element in piece.elements:
            yield from _fit(_Piece([element], _needed(element, piece.entities)), room)
    else:
        yield _clipped(piece.elements[0], piece.entities, room)


def _needed(element: Json, entities: list[Json]) -> list[Json]:
    dumped = json.dumps(element)
    return [e for e in entities if json.dumps(e["text"])[1:-1] in dumped]


def _with_cap(element: Json, cap: int) -> Json:
    if element["type"] == "TextBlock":
        return {**element, "text": clip(element["text"], cap)}
    facts = [
        {"title": clip(f["title"], cap), "value": clip(f["value"], cap)} for f in element["facts"]
    ]
    return {**element, "facts": facts}


def _clipped(element: Json, entities: list[Json], room: int) -> _Piece:
    if element["type"] not in ("TextBlock", "FactSet"):
        return _Piece([_small("This part was too large to show here.")])
    low, high = 0, max(_size(element), 1)
    while low < high:  # the longest text that still fits
        cap = (low + high + 1) // 2
        candidate = _with_cap(element, cap)
        if _Piece([candidate], _needed(candidate, entities)).size <= room:
            low = cap
        else:
            high = cap - 1
    clipped = _with_cap(element, low)
    return _Piece([clipped], _needed(clipped, entities))


def _pack(pieces: list[_Piece], room: int) -> list[list[_Piece]]:
    groups: list[list[_Piece]] = []
    used = room + 1
    for piece in pieces:
        if used + piece.size > room:
            groups.append([])
            used = 0
        groups[-1].append(piece)
        used += piece.size
    return groups


def _cut(groups: list[list[_Piece]], room: int) -> list[list[_Piece]]:
    """The first MAX_PARTS cards, the last one ending with how much was left out."""
    total = sum(len(g) for g in groups)
    kept = [list(g) for g in groups[:MAX_PARTS]]
    last = kept[-1]
    reserve = _Piece([_small(f"{total} more blocks were cut: this was too long.")]).size
    while last and sum(p.size for p in last) + reserve > room:
        last.pop()
    cut = total - sum(len(g) for g in kept)
    last.append(_Piece([_small(f"{cut} more blocks were cut: this was too long.")]))
    return kept


def _needs(node: object) -> tuple[int, int]:
    """The lowest card version that knows everything in `node`."""
    if isinstance(node, list):
        return max((_needs(n) for n in node), default=_BASE)
    if not isinstance(node, dict):
        return _BASE
    found = [_BASE, _TYPE_SINCE.get(str(node.get("type")), _BASE)]
    for key, value in node.items():
        if key != "data":  # an action's payload is ours, not card structure
            found += [_PROPERTY_SINCE.get(key, _BASE), _needs(value)]
    return max(found)


def _card(
    body: list[Json], entities: list[Json], fallback: str, actions: list[Json] | None = None
) -> Json:
    major, minor = min(_needs([body, actions or []]), _NEWEST)
    teams: Json = {"width": "Full"}
    unique = list({json.dumps(e, sort_keys=True): e for e in entities}.values())
    if unique:
        teams["entities"] = unique
    card: Json = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": f"{major}.{minor}",
        "body": body,
        "fallbackText": fallback,
        "msteams": teams,
    }
    if actions:
        card["actions"] = actions
    return card


def render_message(message: m.Message) -> TeamsRendered:
    """One neutral message as one or more cards of at most MAX_CARD_BYTES each."""
    uploads: list[Upload] = []
    fallback = clip(escape(message.text), FALLBACK_TEXT) or "kpi-coach"
    empty = max(_size(_card([], [], fallback)), _size(_card([], [], "(continued)")))
    room = MAX_CARD_BYTES - empty - len(', "entities": []')
    pieces = [
        fitted
        for block in message.blocks
        for piece in _pieces(block, uploads, room)
        for fitted in _fit(piece, room)
    ]
    groups = _pack(pieces, room)
    if len(groups) > MAX_PARTS:
        groups = _cut(groups, room)
    cards = [
        _card(
            [e for p in group for e in p.elements],
            [e for p in group for e in p.entities],
            fallback if i == 0 else "(continued)",
        )
        for i, group in enumerate(groups)
    ]
    text = clip(_neutralise(message.text), FALLBACK_TEXT) or "kpi-coach"
    return TeamsRendered(cards or [_card([], [], fallback)], text, uploads)


# --- forms ------------------------------------------------------------------------------------


def render_form(form: m.Form) -> Json:
    """A form as one card: its inputs, and a submit button carrying the command.

    The hidden values ride in the button's data, so the answer needs no state on our side.
    """
    body = [_heading(form.title)]
    if form.intro:
        body.append(_text(escape(clip(form.intro, INTRO_TEXT))))
    for f in form.fields:
        body.append(_input(f))
        if f.hint:
            body.append(_small(escape(f.hint)) | {"spacing": "none"})
    submit: Json = {
        "type": "Action.Submit",
        "title": clip(form.submit_label, BUTTON_TITLE),
        "style": "positive",
        "data": {FORM_KEY: form.command, HIDDEN_KEY: dict(form.hidden)},
    }
    card = _card(body, [], clip(escape(form.title), FALLBACK_TEXT), [submit])
    if _size(card) > MAX_CARD_BYTES:
        raise ValueError(f"form {form.command!r} is too large for a Teams card")
    return card


_PLACEHOLDERS = {
    m.FieldKind.NUMBER: "a number",
    m.FieldKind.PERSON: "@name",
    m.FieldKind.PEOPLE: "@name, @name",
}


def _input(f: m.FormField) -> Json:
    """One input. A number is free text because the grammar reads units ("12%"); a person, or
    several, is typed as @name, which the grammar resolves like any typed mention.

    Several people are typed rather than picked: Teams' people picker works only in its desktop
    and web clients, and answers with directory ids of people the bot may never have met.
    """
    element: Json
    if f.kind is m.FieldKind.CHOICE and f.options:
        options = f.options[:CHOICES]
        element = {
            "type": "Input.ChoiceSet",
            "style": "compact",
            "choices": [{"title": o, "value": o} for o in options],
        }
        if f.value in options:
            element["value"] = f.value
    else:
        element = {"type": "Input.Text"}
        if f.kind is not m.FieldKind.PEOPLE:  # whose max_length counts people, not characters
            element["maxLength"] = f.max_length
        if f.kind is m.FieldKind.LONG_TEXT:
            element["isMultiline"] = True
        if f.kind in _PLACEHOLDERS:
            element["placeholder"] = _PLACEHOLDERS[f.kind]
        if f.value:
            element["value"] = f.value[: element.get("maxLength")]
    element |= {"id": f.name, "label": f.label, "isRequired": f.required}
    if f.required:
        element["errorMessage"] = f"{f.label} is needed"
    return element


# --- reading submissions back -----------------------------------------------------------------


def _scalar(value: object) -> str | None:
    """A submitted value as the grammar's text; clients send numbers and booleans as such."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str | int | float):
        return str(value)
    return None


def submission(value: Mapping[str, Any]) -> Submission | None:
    """A card's Action.Submit value as a command to run.

    None when the value is not ours (an older card's shape, or anything else), so the caller
    can say the card belongs to an older message. Clients send whatever they like, so nothing
    in the value is trusted to have the type we gave it.
    """
    if not isinstance(value, Mapping):
        return None
    run = value.get(RUN_KEY)
    if isinstance(run, str) and run.strip():
        return Submission(run, {}, is_form=False)
    command = value.get(FORM_KEY)
    if not isinstance(command, str) or not command.strip():
        return None
    values: dict[str, str] = {}
    for key, raw in value.items():
        text = _scalar(raw)
        if key not in (FORM_KEY, HIDDEN_KEY, RUN_KEY) and text is not None and text.strip():
            values[str(key)] = text
    hidden = value.get(HIDDEN_KEY)
    if isinstance(hidden, Mapping):
        # Carried unchanged from the form we rendered, so they win over a same-named input.
        for key, raw in hidden.items():
            text = _scalar(raw)
            if text is not None and text.strip():
                values[str(key)] = text
    return Submission(command, values, is_form=True)
