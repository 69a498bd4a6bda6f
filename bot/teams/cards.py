"""Neutral messages to Adaptive Cards, inside Teams' limits, with user text that stays text.

Pure: plain dicts in the Adaptive Card schema and no botbuilder, so every card can be checked
against the schema in tests; the bot layer wraps them into attachments. Every string from a
ritual goes through `bot.teams.markdown`, so it cannot forge a mention or markup. The card
envelope and its text elements are shared with `bot.teams.forms`: a form is one more card.
"""

from __future__ import annotations

import base64
import json
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.teams.markdown import clip, escape, inline, neutralise, prose, without_ids
from bot.teams.submissions import RUN_KEY
from rituals.core import messages as m

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
# Teams refuses messages over 100 KB; the activity around a card needs some of that.
MAX_CARD_BYTES = 80_000
# Mirrors Slack's MAX_PARTS: past four cards a message is too long to read anyway.
MAX_PARTS = 4
# A row of buttons on a phone 340 px wide: Teams stretches each button of a row to the same
# width and cuts a label that does not fit it. The longest label that fits, by buttons in the
# row (about 7.5 px a character, a button's padding and the gaps between them taken off).
ROW_LABEL = {1: 36, 2: 16, 3: 9}
BUTTONS_PER_ROW = max(ROW_LABEL)
FACTS_PER_SET = 20  # so a long list of fields can be split across cards
FALLBACK_TEXT = 1000
BUTTON_TITLE = 100

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


# --- a card and its elements ----------------------------------------------------------------


def size_of(value: object) -> int:
    """Bytes as sent: Teams' limit counts the serialised card, not characters."""
    return len(json.dumps(value).encode())


def text_block(text: str, **style: Any) -> Json:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def heading(text: str) -> Json:
    return text_block(escape(text), size="large", weight="bolder")


def small_print(text: str) -> Json:
    return text_block(text, isSubtle=True, size="small")


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


def adaptive_card(
    body: list[Json], entities: list[Json], fallback: str, actions: list[Json] | None = None
) -> Json:
    """The card around `body`: the lowest version that knows it all, so every client that can
    show it does, and each mention's entity once, as Teams resolves `<at>` text against them."""
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
        return sum(size_of(x) + 2 for x in (*self.elements, *self.entities))


def _pieces(block: m.Block, uploads: list[Upload], room: int) -> list[_Piece]:
    match block:
        case m.Heading(text=text):
            return [_Piece([heading(text)])]
        case m.Paragraph(parts=parts):
            entities: list[Json] = []
            text = inline(parts, entities)
            return [_Piece([text_block(text)], entities)] if text else []
        case m.Bullets(items=items) if _checklist(items):
            facts = [
                {
                    "title": escape(str(item[0])[4:]),
                    "value": "on" if str(item[0])[1] == "x" else "off",
                }
                for item in items
            ]
            return [_Piece([{"type": "FactSet", "facts": facts[:FACTS_PER_SET]}])]
        case m.Bullets(items=items):
            entities = []
            lines = [f"- {inline(item, entities)}" for item in items]
            return [_Piece([text_block("\n".join(lines))], entities)] if lines else []
        case m.Fields(items=items):
            facts = [{"title": escape(k), "value": escape(without_ids(v))} for k, v in items]
            return [
                _Piece([{"type": "FactSet", "facts": facts[i : i + FACTS_PER_SET]}])
                for i in range(0, len(facts), FACTS_PER_SET)
            ]
        case m.Note(text=text):
            return [_Piece([small_print(prose(text))])] if text else []
        case m.Actions(buttons=buttons, prompt=prompt):
            return [_actions(buttons, prompt)]
        case m.Image():
            return [_image(block, uploads, room)]
        case m.File(name=name, data=data, mime=mime):
            uploads.append(Upload(name, data, mime))
            return [
                _Piece([text_block(escape(f"{name} is ready: I'll offer it to you as a file."))])
            ]
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
    elements = [text_block(escape(prompt))] if prompt else []
    elements += [{"type": "ActionSet", "actions": row} for row in _rows(actions)]
    return _Piece(elements)


def _rows(actions: list[Json]) -> list[list[Json]]:
    """Buttons in rows that a phone shows whole: as many to a row as fit their longest label,
    in order. A label longer than a whole row gets a row of its own (and Teams' ellipsis)."""
    rows: list[list[Json]] = []
    for action in actions:
        row = rows[-1] if rows else []
        longest = max((len(a["title"]) for a in [*row, action]), default=0)
        if row and len(row) < BUTTONS_PER_ROW and longest <= ROW_LABEL[len(row) + 1]:
            row.append(action)
        else:
            rows.append([action])
    return rows


def _image(image: m.Image, uploads: list[Upload], room: int) -> _Piece:
    """The picture inline as a data URI, since Teams cannot fetch files from us.

    When it would not fit in a card, it is offered as a file instead, like an export.
    """
    mime = mimetypes.guess_type(image.name)[0] or "image/png"
    if not mime.startswith("image/"):
        mime = "image/png"
    title = [text_block(escape(image.title), weight="bolder")] if image.title else []
    uri = f"data:{mime};base64,{base64.b64encode(image.data).decode('ascii')}"
    # A chart draws its title itself: said again above it, a trend card read its title three
    # times (heading, caption, picture). The caption stays only when the picture cannot.
    piece = _Piece([{"type": "Image", "url": uri, "altText": image.alt}])
    if piece.size <= room:
        return piece
    uploads.append(Upload(image.name, image.data, mime))
    note = f"{image.alt} (the picture is too large for a card: I'll offer it as a file)"
    return _Piece([*title, small_print(escape(note))])


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
        return _Piece([small_print("This part was too large to show here.")])
    low, high = 0, max(size_of(element), 1)
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
    reserve = _Piece([small_print(f"{total} more blocks were cut: this was too long.")]).size
    while last and sum(p.size for p in last) + reserve > room:
        last.pop()
    cut = total - sum(len(g) for g in kept)
    last.append(_Piece([small_print(f"{cut} more blocks were cut: this was too long.")]))
    return kept


def _checklist(items: tuple[m.Rich, ...]) -> bool:
    """Bullets that are a checklist ("[x] weekly check-in", "[ ] pulse"), which a card shows
    as facts, on or off, rather than as brackets."""
    return bool(items) and all(
        len(item) == 1 and isinstance(item[0], str) and item[0][:4] in ("[x] ", "[ ] ")
        for item in items
    )


def render_message(message: m.Message) -> TeamsRendered:
    """One neutral message as one or more cards of at most MAX_CARD_BYTES each."""
    uploads: list[Upload] = []
    fallback = clip(escape(without_ids(message.text)), FALLBACK_TEXT) or "kpi-coach"
    empty = max(
        size_of(adaptive_card([], [], fallback)), size_of(adaptive_card([], [], "(continued)"))
    )
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
        adaptive_card(
            [e for p in group for e in p.elements],
            [e for p in group for e in p.entities],
            fallback if i == 0 else "(continued)",
        )
        for i, group in enumerate(groups)
    ]
    text = clip(neutralise(without_ids(message.text)), FALLBACK_TEXT) or "kpi-coach"
    return TeamsRendered(cards or [adaptive_card([], [], fallback)], text, uploads)
