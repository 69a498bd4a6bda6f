"""A neutral form as one Adaptive Card: its inputs, and a submit button carrying the command.

Pure, like the message cards: a plain dict in the Adaptive Card schema, checked against it in
tests. The hidden values ride in the button's data, so the answer needs no state on our side;
`bot.teams.submissions` reads them back.
"""

from __future__ import annotations

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
from rituals.core import messages as m

CHOICES = 100  # Teams shows at most 100 choices
INTRO_TEXT = 3000
ANSWER = "Your answer"  # the label of an input whose question is the form's heading

_PLACEHOLDERS = {
    m.FieldKind.NUMBER: "a number",
    m.FieldKind.PERSON: "@name",
    m.FieldKind.PEOPLE: "@name, @name",
}


def render_form(form: m.Form) -> Json:
    """A form as one card: its inputs, and a submit button carrying the command.

    The hidden values ride in the button's data, so the answer needs no state on our side.
    """
    body = [heading(form.title)]
    if form.intro and form.intro.strip() != form.title.strip():
        body.append(text_block(escape(clip(form.intro, INTRO_TEXT))))
    for f in form.fields:
        element = _input(f)
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
