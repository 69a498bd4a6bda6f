"""A command's fields: what kind of value each takes, how a raw value becomes that value, and
how a field is named when something about it is wrong.

Everything here is read off the command's pydantic model and its `Syntax`, so typed text, forms
and help agree on every field without a second description of it.
"""

from __future__ import annotations

import enum
import re
import types
from decimal import Decimal
from typing import Annotated, Union, get_args, get_origin

from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from rituals.core.command import KpiRef, PersonRef
from rituals.core.syntax import Param, Syntax


class Kind(enum.Enum):
    """How one field's value is written; derived from the field's type in the command model."""

    TEXT = "text"
    NUMBER = "number"
    PERSON = "person"
    PEOPLE = "people"
    KPI = "kpi"
    CHOICE = "choice"
    FLAG = "flag"


# --- kinds and limits -------------------------------------------------------------------------


def _bare(info: FieldInfo) -> object:
    """The field's type without `| None`."""
    annotation: object = info.annotation
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    return annotation


def field_kind(info: FieldInfo) -> Kind:
    annotation = _bare(info)
    if annotation is PersonRef:
        return Kind.PERSON
    if get_origin(annotation) is tuple and get_args(annotation)[0] is PersonRef:
        return Kind.PEOPLE
    if annotation is KpiRef:
        return Kind.KPI
    if annotation is bool:
        return Kind.FLAG
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return Kind.CHOICE
    if annotation in (int, Decimal, float):
        return Kind.NUMBER
    return Kind.TEXT


def choice_options(info: FieldInfo) -> tuple[str, ...]:
    annotation = _bare(info)
    assert isinstance(annotation, type)
    assert issubclass(annotation, enum.Enum)
    return tuple(str(m.value) for m in annotation)


def _metadata(info: FieldInfo) -> list[object]:
    """Constraints on the field, including those inside an optional `Annotated[...] | None`."""
    found: list[object] = list(info.metadata)
    for arg in get_args(info.annotation):
        if get_origin(arg) is Annotated:
            found += get_args(arg)[1:]
    return found


def _limit(info: FieldInfo, name: str) -> int | None:
    for meta in _metadata(info):
        limit = getattr(meta, name, None)
        if isinstance(limit, int):
            return limit
    return None


def max_length(info: FieldInfo) -> int | None:
    return _limit(info, "max_length")


def min_length(info: FieldInfo) -> int | None:
    return _limit(info, "min_length")


# --- raw values to what pydantic validates ----------------------------------------------------

_MENTION = re.compile(r"^<@([A-Za-z0-9_.:-]+)(?:\|[^>]*)?>$")
_KPI_NUMBER = re.compile(r"^#?(\d{1,9})$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER_WITH_UNIT = re.compile(
    r"^([$€£¥]?)([-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+)(?=\s|%|‰|$)\s*(%|‰)?\s*(.*)$", re.DOTALL
)


def parse_person(raw: str) -> dict[str, str]:
    """`<@U123|ana>` (an id the platform resolved) or `@ana` / `ana` (a name).

    Returned as the fields of a `PersonRef`, so pydantic validates them with everything else.
    """
    match = _MENTION.match(raw)
    if match:
        return {"platform_user_id": match.group(1)}
    return {"name": raw.removeprefix("@")}


def parse_people(raw: str) -> list[dict[str, str]]:
    """ "@ana @ben", "<@U1|Ana Lima>, @ben": mentions separated by spaces or commas.

    With a comma anywhere, only commas separate, so full names survive ("@Ana Ruiz, @Ben
    Okafor", as a Teams card is filled in); so do quotes ('"Ana Ruiz" @"Ben Okafor"')."""
    if "," not in re.sub(r"<[^>]*>|\"[^\"]*\"", "", raw):
        tokens = re.findall(r"<[^>]*>|@?\"[^\"]+\"|[^\s,]+", raw)
        return [parse_person(m.replace('"', "")) for m in tokens]
    found = []
    for part in re.findall(r"(?:<[^>]*>|[^,])+", raw):
        mentions = re.findall(r"<[^>]*>", part)
        if mentions and not re.sub(r"<[^>]*>|\s", "", part):
            found += [parse_person(m) for m in mentions]  # "<@U1> <@U2>" between two commas
        elif part.strip():
            found.append(parse_person(part.strip()))
    return found


def parse_kpi(raw: str) -> KpiRef:
    match = _KPI_NUMBER.match(raw)
    if match:
        return KpiRef(id=int(match.group(1)))
    return KpiRef(name=raw)


def convert(kind: Kind, raw: str, param: Param | None) -> object:
    """A raw string in, the value pydantic should validate out."""
    if kind is Kind.PERSON:
        return parse_person(raw)
    if kind is Kind.PEOPLE:
        return parse_people(raw)
    if kind is Kind.KPI:
        return parse_kpi(raw)
    if kind is Kind.NUMBER:
        return raw.replace(",", "") if _THOUSANDS.match(raw) else raw
    if kind is Kind.CHOICE:
        lowered = raw.lower()
        return param.synonyms.get(lowered, lowered) if param else lowered
    if kind is Kind.FLAG:
        return True
    return raw


def split_unit(raw: str) -> tuple[str, str]:
    """ "10 leads" -> ("10", "leads"); "25%" -> ("25", "%"); "$500" -> ("500", "$")."""
    match = _NUMBER_WITH_UNIT.match(raw.strip())
    if not match:
        return raw, ""
    currency, number, per_mille, rest = match.groups()
    return number, (rest or per_mille or currency or "").strip()


def units_apart(syntax: Syntax, raw: dict[str, str]) -> dict[str, str]:
    """ "34%" in a number-with-unit field, typed or in a form: the number, and `unit`."""
    for param in syntax.params:
        if param.with_unit and param.field in raw and "unit" not in raw:
            raw[param.field], unit = split_unit(raw[param.field])
            if unit:
                raw["unit"] = unit
    return raw


# --- naming a field and what is wrong with it -------------------------------------------------


def label(syntax: Syntax, name: str) -> str:
    """The field as it is written in typed text, for help and usage: its keyword, or its
    placeholder in angle brackets."""
    param = next((p for p in syntax.params if p.field == name), None)
    if param is not None and param.keyword:
        return f'"{param.keyword}"'
    if param is None and any(p.with_unit for p in syntax.params) and name == "unit":
        return "the unit"
    info = syntax.model.model_fields.get(name)
    return f"<{placeholder(param, info, name)}>" if info else "the command"


def named(syntax: Syntax, name: str, in_form: bool = False) -> str:
    """The field a refusal is about, by the label the person saw on the form, not by how it
    is typed (a keyword like "in", a placeholder like <1-5>, mean nothing in a form and little
    in a reply). Typed, the same words, and the keyword they follow when it is not one of them;
    a long question shown on a form is, typed, its placeholder's few words ("what excites
    you"). A question is quoted, so the sentence it starts still reads as one."""
    info = syntax.model.model_fields.get(name)
    if info is None:
        return "The command"
    measured = next((p for p in syntax.params if p.with_unit), None)
    extra = info.json_schema_extra
    if name == "unit" and measured and isinstance(extra, dict) and extra.get("typed_only"):
        # No field of its own to see: the unit is what was typed after the number.
        after = "The unit after the number"
        return f"{after} in {named(syntax, measured.field, in_form)}" if in_form else after
    title = info.title or name.replace("_", " ").capitalize()
    param = next((p for p in syntax.params if p.field == name), None)
    words = param.placeholder if param else ""
    if not in_form and "?" in title and re.fullmatch(r"[a-z][a-z' ]*", words):
        title = words.capitalize()
    shown = f'"{title}"' if "?" in title else title
    if in_form or param is None or not param.keyword:
        return shown
    if param.keyword.lower() in re.findall(r"[\w-]+", title.lower()):
        return shown
    return f'{shown} (after "{param.keyword}")'


def placeholder(param: Param | None, info: FieldInfo | None, name: str) -> str:
    if param is not None and param.placeholder:
        return param.placeholder
    if info is not None:
        kind = field_kind(info)
        if kind is Kind.PERSON:
            return "@person"
        if kind is Kind.KPI:
            return "kpi number or name"
        if kind is Kind.CHOICE:
            return "|".join(choice_options(info))
    return name


def explain(error: ErrorDetails, label: str, info: FieldInfo | None) -> str:
    """One pydantic error as a sentence a person can act on."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = error.get("input")
    if kind == "missing":
        return f"{label} is missing"
    if kind == "string_too_long":
        size = len(got) if isinstance(got, str) else "too many"
        return f"{label} is too long ({size} characters); keep it to {ctx.get('max_length')}"
    if kind == "too_long":
        return f"{label} has too many items; at most {ctx.get('max_length')}"
    if kind == "string_too_short":
        least = ctx.get("min_length")
        if least is not None and least > 1:
            return f"{label} is too short; say a little more (at least {least} characters)"
        return f"{label} is empty"
    if kind in {"decimal_parsing", "int_parsing", "decimal_type", "finite_number"}:
        return f"{label} must be a number, like 10 or 2.5 (got {_show(got)})"
    if kind in {"decimal_max_places", "decimal_max_digits", "decimal_whole_digits"}:
        return f"{label} has too many digits (got {_show(got)})"
    if kind == "enum" and info is not None:
        options = ", ".join(choice_options(info))
        return f"{label} must be one of: {options} (got {_show(got)})"
    bound = _bound(kind, ctx)
    if bound:
        return f"{label} must be {bound} (got {_show(got)})"
    if kind in {"int_from_float", "int_type"}:
        return f"{label} must be a whole number, like 3 (got {_show(got)})"
    if kind == "literal_error":
        options = str(ctx.get("expected", "")).replace("'", "")
        return f"{label} must be one of: {options} (got {_show(got)})"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "value_error" and not message.startswith(_FRAMEWORK):
        return f"{label}: {message}"  # a ritual's own words, from its validator
    return f"{label} is not something I can read (got {_show(got)})"


# How pydantic starts its own messages; never shown to a person.
_FRAMEWORK = ("Input should", "String should", "Field required", "Value should", "Invalid")
_BOUNDS = {
    "greater_than_equal": ("ge", "{} or more"),
    "greater_than": ("gt", "more than {}"),
    "less_than_equal": ("le", "{} or less"),
    "less_than": ("lt", "less than {}"),
}


def _bound(kind: str, ctx: dict[str, object]) -> str:
    """ "1 or more" for a number below its floor: the limit in words, not the framework's."""
    if kind not in _BOUNDS:
        return ""
    key, words = _BOUNDS[kind]
    limit = ctx.get(key, "")
    if key in ("le", "lt") and isinstance(limit, int) and limit >= 2**31 - 1:
        return "a smaller number"  # a row number's ceiling means nothing to a person
    return words.format(limit)


def _show(value: object) -> str:
    text = str(value)
    return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'


def clip(text: str) -> str:
    """Someone's words quoted back, cut short so a pasted essay does not fill the reply."""
    return text if len(text) <= 60 else text[:60] + "…"
