"""A neutral form as one Adaptive Card: its inputs, and a submit button carrying the command.

Pure, like the message cards: a plain dict in the Adaptive Card schema, checked against it in
tests. The hidden values ride in the button's data, so the answer needs no state on our side;
`bot.teams.submissions` reads them back.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.teams.cards import (
    BUTTON_TITLE,
    FALLBACK_TEXT,
    MAX_CARD_BYTES,
    Json,
    adaptive_card,
    heading,
    size_of,
    small_print,
    text_block,
)
from bot.teams.markdown import clip, escape
from bot.teams.submissions import FORM_KEY, HIDDEN_KEY
from bot.teams.typed import TYPED_MENTION
from rituals.core import messages as m

Known = tuple[str, str]  # a person the bot knows: their platform id and name

CHOICES = 100  # Teams shows at most 100 choices
INTRO_TEXT = 3000
ANSWER = "Your answer"  # the label of an input whose question is the form's heading

_PLACEHOLDERS = {
    m.FieldKind.NUMBER: "a number",
    m.FieldKind.PERSON: "@name",
    m.FieldKind.PEOPLE: "@name, @name",
}


def render_form(form: m.Form, people: Sequence[Known] = ()) -> Json:
    """A form as one card: its inputs, and a submit button carrying the command.

    The hidden values ride in the button's data, so the answer needs no state on our side.
    `people` are those a person field offers to pick from; past CHOICES of them, the field is
    typed instead, so a large workspace is never cut to whoever sorts first.
    """
    body = [heading(form.title)]
    if form.intro and form.intro.strip() != form.title.strip():
        body.append(text_block(escape(clip(form.intro, INTRO_TEXT))))
    offered = people if len(people) <= CHOICES else ()
    for f in form.fields:
        element = _people(f, offered) or _input(f)
        if f.label.strip() == form.title.strip():
            # The heading already asks it ("What's in your way this week?"): said once, and
            # the input still has a label for screen readers.
            element["label"] = ANSWER
        body.append(element)
        if f.hint:
            body.append(small_print(escape(f.hint)) | {"spacing": "none"})
    submit: Json = {
        "type": "Action.Submit",
        "title": clip(form.submit_label, BUTTON_TITLE),
        "style": "positive",
        "data": {FORM_KEY: form.command, HIDDEN_KEY: dict(form.hidden)},
    }
    card = adaptive_card(body, [], clip(escape(form.title), FALLBACK_TEXT), [submit])
    if size_of(card) > MAX_CARD_BYTES:
        raise ValueError(f"form {form.command!r} is too large for a Teams card")
    return card


def _people(f: m.FormField, people: Sequence[Known]) -> Json | None:
    """A person field as a list of the people the bot knows, several at once for a
    people field: a two-word name is picked, not typed and misread. Each choice's value is the
    person's id, which the grammar reads as a mention, and a submitted list is those values
    joined by commas. None (a typed field) when no one is known, or when the field comes back
    holding a name typed earlier that the list cannot show: what was typed is never lost.
    """
    if f.kind not in (m.FieldKind.PERSON, m.FieldKind.PEOPLE) or not people:
        return None
    choices = [{"title": name, "value": _mention(uid, name)} for uid, name in people]
    by_id = {uid: c["value"] for (uid, _), c in zip(people, choices, strict=True)}
    chosen: list[str] = []
    if f.value:
        named = list(TYPED_MENTION.finditer(f.value))
        if TYPED_MENTION.sub("", f.value).strip(" ,") or any(n[1] not in by_id for n in named):
            return None
        chosen = [by_id[n[1]] for n in named]
    # A compact list, not 1.5's type-ahead "filtered" one: a 1.5 card is one Teams mobile
    # does not show at all.
    element: Json = {"type": "Input.ChoiceSet", "style": "compact", "choices": choices}
    if f.kind is m.FieldKind.PEOPLE:
        element["isMultiSelect"] = True
    if chosen:
        element["value"] = ",".join(chosen)
    return _labelled(element, f)


def _mention(uid: str, name: str) -> str:
    """`<@id|Name>`, with the characters that would end the mention or split a list removed."""
    return f"<@{uid}|{''.join(c for c in name if c not in '<>|,')}>"


def _input(f: m.FormField) -> Json:
    """One input. A number is free text because the grammar reads units ("12%"); a person, or
    several, is typed as @name, which the grammar resolves like any typed mention.

    People are typed here only when `_people` offers no list: Teams' own people picker works
    only in its desktop and web clients, and answers with directory ids of people the bot may
    never have met, so the list is of the people the bot knows.
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
    return _labelled(element, f)


def _labelled(element: Json, f: m.FormField) -> Json:
    element |= {"id": f.name, "label": f.label, "isRequired": f.required}
    if f.required:
        element["errorMessage"] = f"{f.label} is needed"
    return element
