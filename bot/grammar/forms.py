"""A command's form, a submitted form read back into the command, and a refused form shown again.

Raw values become a typed command here (`build`), for typed text and forms alike, because a
command that lacks only required values is not an error but its form to finish. A form carries
its own intro, required fields and the fields it showed hidden, so that refused, by the grammar
or by the ritual, it comes back as it was shown, with the person's values and the problem on top.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from bot.grammar.fields import (
    Kind,
    choice_options,
    convert,
    explain,
    field_kind,
    max_length,
    named,
    units_apart,
)
from bot.grammar.parse import NeedsForm, Outcome, Parsed, Problem, to_text
from rituals.core.messages import FieldKind, Form, FormField, FormRequest
from rituals.core.syntax import Syntax

# Hidden values a form carries so that, refused, it comes back as it was shown.
FORM_INTRO = "_intro"
FORM_REQUIRED = "_required"
FORM_SHOWN = "_shown"


def build(syntax: Syntax, raw: Mapping[str, str], in_form: bool = False) -> Outcome:
    """Raw values, typed or submitted (`in_form`), to the command; missing only required
    values, to its form; otherwise to the first problem, in words that name the field as the
    person knows it."""
    fields = syntax.model.model_fields
    values: dict[str, object] = {}
    for name, text in raw.items():
        param = next((p for p in syntax.params if p.field == name), None)
        values[name] = convert(field_kind(fields[name]), text, param)
    try:
        return Parsed(syntax, syntax.model.model_validate(values), to_text(syntax, raw))
    except ValidationError as exc:
        errors = exc.errors()
    missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing"]
    if missing and len(missing) == len(errors) and syntax.form_title:
        return NeedsForm(form_for(syntax, raw, intro=""))
    first = errors[0]
    name = str(first["loc"][0]) if first["loc"] else ""
    message = explain(first, named(syntax, name, in_form), fields.get(name)) + "."
    return Problem(message, syntax, field=name)


def from_form(syntax: Syntax, values: Mapping[str, str]) -> Outcome:
    """A submitted form to the command; on a problem, the same form back with it explained."""
    outcome = build(syntax, units_apart(syntax, filled(syntax, values)), in_form=True)
    if isinstance(outcome, Problem):
        return NeedsForm(form_again(syntax, values, outcome.message, refused=outcome.field))
    return outcome


def form_again(
    syntax: Syntax,
    submitted: Mapping[str, str],
    problem: str,
    request: FormRequest | None = None,
    refused: str = "",
) -> Form:
    """The same form as the one submitted (its intro, its required fields, what the person
    typed), with the problem on top. The form's own intro rides along hidden in `submitted`,
    or comes from the ritual's `request` when it asked for this form itself.

    Every field the submitted form showed is shown again, though a value typed in it now
    fills it: taken for one a button knew, it would be hidden, and a wrong one could never be
    corrected. A field hidden because it was known stays hidden, unless it is the `refused`
    one."""
    intro = request.intro if request else submitted.get(FORM_INTRO, "")
    required = request.required if request else _split(submitted.get(FORM_REQUIRED, ""))
    options = request.options if request else None
    raw = filled(syntax, request.values if request else submitted)
    shown = {*_split(submitted.get(FORM_SHOWN, "")), refused}
    return form_for(syntax, raw, intro, required, options, problem=problem, shown=shown)


def filled(syntax: Syntax, values: Mapping[str, str]) -> dict[str, str]:
    """The submitted values that fill one of the command's fields; blanks count as not given."""
    fields = syntax.model.model_fields
    return {k: v.strip() for k, v in values.items() if k in fields and v and v.strip()}


def form_for(
    syntax: Syntax,
    known: Mapping[str, str],
    intro: str,
    required: Collection[str] = (),
    options: Mapping[str, tuple[str, ...]] | None = None,
    problem: str = "",
    shown: Collection[str] = (),
) -> Form:
    """The command's form: one field per model field, in the model's order, with what was
    wrong (`problem`) on top of its intro.

    What the form is about (a KPI, an obstacle, a commitment), once known, is carried along
    hidden rather than shown as a field someone could change by mistake; unless it is among
    the fields to be `shown` (a form shown again keeps the fields it had).
    """
    fields: list[FormField] = []
    hidden: dict[str, str] = {}
    for name, info in syntax.model.model_fields.items():
        kind = field_kind(info)
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get("typed_only"):
            continue  # a refinement of another field, for typed text only
        carried = kind is Kind.KPI or (isinstance(extra, dict) and extra.get("carried"))
        if carried and name in known and name not in shown:
            hidden[name] = known[name]
            continue
        field = _form_field(name, info, kind, known.get(name))
        if name in required:
            field = dataclasses.replace(field, required=True)
        if options and options.get(name):
            field = dataclasses.replace(field, kind=FieldKind.CHOICE, options=options[name])
        fields.append(field)
    # The form's own intro and required fields ride along, to show it again as it was.
    if intro:
        hidden[FORM_INTRO] = intro[:1200]
    if required:
        hidden[FORM_REQUIRED] = ",".join(required)
    if fields:
        hidden[FORM_SHOWN] = ",".join(f.name for f in fields)
    return Form(
        title=syntax.form_title or syntax.summary,
        command=syntax.name,
        fields=tuple(fields),
        intro="\n\n".join(filter(None, (problem, intro))),
        hidden=hidden,
    )


def _form_field(name: str, info: FieldInfo, kind: Kind, value: str | None) -> FormField:
    limit = max_length(info) or 200
    form_kind = {
        Kind.NUMBER: FieldKind.NUMBER,
        Kind.PERSON: FieldKind.PERSON,
        Kind.PEOPLE: FieldKind.PEOPLE,
        Kind.CHOICE: FieldKind.CHOICE,
        Kind.KPI: FieldKind.TEXT,
    }.get(kind, FieldKind.LONG_TEXT if limit > 100 else FieldKind.TEXT)
    return FormField(
        name=name,
        label=info.title or name,
        kind=form_kind,
        required=info.is_required(),
        max_length=limit,
        hint=info.description or "",
        options=choice_options(info) if kind is Kind.CHOICE else (),
        value=value,
    )


def _split(listed: str) -> tuple[str, ...]:
    return tuple(filter(None, (n.strip() for n in listed.split(","))))
