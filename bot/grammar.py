"""The one command grammar: typed text or a submitted form in, a typed command out.

Every platform feeds this module, so `/kpi propose ...` in Slack, a Teams message and a console
line behave alike. Usage lines, help and forms are generated from the same definitions (the
command's pydantic model and its syntax below), so they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import itertools
import re
import types
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import Field, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from bot.tokens import Token, TokenError, quote, tokenize
from rituals.core.command import Command, KpiRef, PersonRef
from rituals.core.context import Ctx
from rituals.core.messages import (
    Bullets,
    Code,
    FieldKind,
    Form,
    FormField,
    FormRequest,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    Strong,
    rich,
)
from rituals.core.syntax import Param, Syntax
from rituals.registry import RITUALS

MAX_COMMAND_LENGTH = 4000
# Hidden values a form carries so that, refused, it comes back as it was shown.
FORM_INTRO = "_intro"
FORM_REQUIRED = "_required"


class Kind(enum.Enum):
    """How one field's value is written; derived from the field's type in the command model."""

    TEXT = "text"
    NUMBER = "number"
    PERSON = "person"
    PEOPLE = "people"
    KPI = "kpi"
    CHOICE = "choice"
    FLAG = "flag"


@dataclass(frozen=True)
class Parsed:
    syntax: Syntax
    command: Command
    text: str  # the command in canonical form, whichever way it came in


@dataclass(frozen=True)
class Problem:
    """Input we could not use; `message` names what was wrong."""

    message: str
    syntax: Syntax | None = None
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class NeedsForm:
    """A command with required values missing, to be completed in a form."""

    form: Form


Outcome = Parsed | Problem | NeedsForm


# --- field kinds and conversion ---------------------------------------------------------------


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
    Okafor", as a Teams card is filled in)."""
    if "," not in re.sub(r"<[^>]*>", "", raw):
        return [parse_person(m) for m in re.findall(r"<[^>]*>|[^\s,]+", raw)]
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


def _units_apart(syntax: Syntax, raw: dict[str, str]) -> dict[str, str]:
    """ "34%" in a number-with-unit field, typed or in a form: the number, and `unit`."""
    for param in syntax.params:
        if param.with_unit and param.field in raw and "unit" not in raw:
            raw[param.field], unit = split_unit(raw[param.field])
            if unit:
                raw["unit"] = unit
    return raw


# --- explaining validation errors -------------------------------------------------------------


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
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{label}: {message}"


def _show(value: object) -> str:
    text = str(value)
    return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'


# --- the grammar ------------------------------------------------------------------------------


class Grammar:
    def __init__(self, syntaxes: Sequence[Syntax], prefix: str) -> None:
        self.prefix = prefix
        self.syntaxes = tuple(syntaxes)
        self._by_words: dict[tuple[str, ...], Syntax] = {}
        for syntax in self.syntaxes:
            for name in syntax.names:
                words = tuple(name.split())
                if words in self._by_words:
                    raise ValueError(f"two commands are called {name!r}")
                self._by_words[words] = syntax

    def find(self, name: str) -> Syntax | None:
        return self._by_words.get(tuple(name.lower().split()))

    # --- typed text --------------------------------------------------------------------------

    def parse(self, text: str) -> Outcome:
        """Typed text to a command, a form to complete, or a problem to explain. Never raises."""
        if len(text) > MAX_COMMAND_LENGTH:
            return Problem(
                f"That command is {len(text):,} characters long; "
                f"keep it under {MAX_COMMAND_LENGTH:,}. Long answers fit in the form."
            )
        try:
            tokens = tokenize(text)
        except TokenError as exc:
            return Problem(f"I couldn't read that: {exc}.")
        tokens = self._drop_prefix(tokens)
        if not tokens:
            tokens = [Token("help")]
        syntax, rest = self._match(tokens)
        if syntax is None:
            return self._unknown(tokens[0].text)
        raw = self._assign(syntax, rest)
        if isinstance(raw, Problem):
            return raw
        return self._build(syntax, raw)

    def _drop_prefix(self, tokens: list[Token]) -> list[Token]:
        if tokens and not tokens[0].quoted:
            first = tokens[0].text.lower()
            if first in {self.prefix, self.prefix.lstrip("/")}:
                return tokens[1:]
        return tokens

    def _match(self, tokens: list[Token]) -> tuple[Syntax | None, list[Token]]:
        for size in range(min(3, len(tokens)), 0, -1):
            head = tokens[:size]
            if any(t.quoted for t in head):
                continue
            syntax = self._by_words.get(tuple(t.text.lower() for t in head))
            if syntax is not None:
                return syntax, tokens[size:]
        return None, tokens

    def _unknown(self, word: str) -> Problem:
        known = sorted({words[0] for words in self._by_words})
        close = tuple(difflib.get_close_matches(word.lower(), known, n=3, cutoff=0.6))
        shown = word if len(word) <= 30 else word[:30] + "…"
        return Problem(f'I don\'t know the command "{shown}".', suggestions=close)

    def _assign(self, syntax: Syntax, tokens: list[Token]) -> dict[str, str] | Problem:
        """Distribute words over the syntax's params: keywords first, then positions."""
        keywords = {k: p for p in syntax.params if p.keyword for k in (p.keyword, *p.also)}
        positional = [p for p in syntax.params if not p.keyword or p.positional]
        fields = syntax.model.model_fields
        loose: list[Token] = []
        found: dict[str, list[str]] = {}
        current: Param | None = None
        unquoted_answer = False  # the current value is a long answer typed without quotes
        needs_first = [p for p in positional if not p.keyword and fields[p.field].is_required()]
        named_value = len(tokens) > 1 and tokens[1].quoted  # `obstacle in "Growth"`: a button
        if (
            needs_first
            and tokens
            and not tokens[0].quoted
            and tokens[0].text.lower() in keywords
            and not named_value
        ):
            # "propose Growth rate target 5%": the name starts with a keyword.
            return Problem(
                f'"{tokens[0].text}" is a keyword here, so I found no '
                f"{self.label(syntax, needs_first[0].field)}. If it is part of the name, put "
                "the whole name in quotes.",
                syntax,
            )
        story = self._story(syntax, tokens, keywords)
        if story is not None:
            return story
        for token in tokens:
            word = token.text.lower()
            param = None if token.quoted else keywords.get(word)
            if param is not None:
                if current is not None and unquoted_answer:
                    # "why I get to own growth conversations": never split one answer into two.
                    return Problem(
                        f'"{word}" came in the middle of what you wrote after "{current.keyword}". '
                        f'Put each answer in quotes, like {current.keyword} "…"',
                        syntax,
                    )
                if param.field in found:
                    return Problem(
                        f'"{word}" appears twice. If it is part of a name, put the name in quotes.',
                        syntax,
                    )
                found[param.field] = []
                is_flag = field_kind(fields[param.field]) is Kind.FLAG
                current = None if is_flag else param
                unquoted_answer = False
                continue
            if current is not None:
                found[current.field].append(token.text)
                long = (max_length(fields[current.field]) or 0) > 100
                several = len(found[current.field]) > 1
                unquoted_answer = unquoted_answer or (long and several and not token.quoted)
            else:
                loose.append(token)
        positional = [p for p in positional if p.field not in found]
        for i, param in enumerate(positional):
            if not loose:
                break
            last = i == len(positional) - 1
            info = fields[param.field]
            kind = field_kind(info)
            optional_person = kind is Kind.PERSON and not info.is_required()
            is_phrase = loose[0].quoted and not _mentions_ahead(loose[:1], quoted=True)
            if optional_person and not last and is_phrase:
                continue  # a quoted phrase before more is no mention: `fail nominate "..."`
            # Only free text at the end takes the rest of the words; a reference is one word,
            # and people are the mentions that lead.
            rest = last and kind in (Kind.TEXT, Kind.PEOPLE)
            size = max(1, _mentions_ahead(loose)) if kind is Kind.PEOPLE else 1
            taken, loose = (loose, []) if rest else (loose[:size], loose[size:])
            found[param.field] = [t.text for t in taken]
        if loose:
            extra = " ".join(t.text for t in loose)
            return Problem(
                f'I don\'t know what to do with "{_clip(extra)}". '
                "If it is part of a name, put the whole name in quotes.",
                syntax,
            )
        raw: dict[str, str] = {}
        for name, words in found.items():
            param = next(p for p in syntax.params if p.field == name)
            if not words and field_kind(fields[name]) is not Kind.FLAG:
                return Problem(f'"{param.keyword}" needs a value after it.', syntax)
            raw[name] = " ".join(words)
        return _units_apart(syntax, raw)

    def _story(
        self, syntax: Syntax, tokens: list[Token], keywords: Mapping[str, Param]
    ) -> dict[str, str] | None:
        """A command that starts with a story ("obstacle waiting for legal to approve it"), or
        with people and then a story ("kudos @ben you paired with me on pricing"), takes every
        word as the story: prose is full of "in", "to" and "with". Quote the story, or a
        keyword's value, to use keywords (`obstacle "..." in Growth`)."""
        fields = syntax.model.model_fields
        params = list(syntax.params)
        found: dict[str, str] = {}
        if params and field_kind(fields[params[0].field]) is Kind.PEOPLE and not params[0].keyword:
            lead = _mentions_ahead(tokens)
            if not lead:
                return None
            found[params.pop(0).field] = " ".join(t.text for t in tokens[:lead])
            tokens = tokens[lead:]
        first = params[0] if params else None
        if first is None or (first.keyword and not first.positional) or not tokens:
            return None
        info = fields[first.field]
        if field_kind(info) is not Kind.TEXT or (max_length(info) or 0) <= 100:
            return None
        if tokens[0].quoted or tokens[0].text.lower() in keywords:
            return None
        if any(
            not t.quoted and t.text.lower() in keywords and after.quoted
            for t, after in itertools.pairwise(tokens)
        ):
            return None  # `notes talked pricing next "..."`: a keyword with a quoted value
        return {**found, first.field: " ".join(t.text for t in tokens)}

    # --- shared by text and forms ------------------------------------------------------------

    def _build(self, syntax: Syntax, raw: Mapping[str, str]) -> Outcome:
        fields = syntax.model.model_fields
        values: dict[str, object] = {}
        for name, text in raw.items():
            param = next((p for p in syntax.params if p.field == name), None)
            values[name] = convert(field_kind(fields[name]), text, param)
        try:
            return Parsed(syntax, syntax.model.model_validate(values), self.to_text(syntax, raw))
        except ValidationError as exc:
            errors = exc.errors()
        missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing"]
        if missing and len(missing) == len(errors) and syntax.form_title:
            return NeedsForm(self.form_for(syntax, raw, intro=""))
        first = errors[0]
        name = str(first["loc"][0]) if first["loc"] else ""
        return Problem(explain(first, self.label(syntax, name), fields.get(name)) + ".", syntax)

    def from_form(self, command: str, values: Mapping[str, str]) -> Outcome:
        """A submitted form to a command; on a problem, the same form back with it explained."""
        syntax = self.find(command)
        if syntax is None:
            return Problem(f'This form belongs to a command I no longer know ("{_clip(command)}").')
        outcome = self._build(syntax, _units_apart(syntax, self._filled(syntax, values)))
        if isinstance(outcome, Problem):
            return NeedsForm(self.form_again(command, values, outcome.message))
        return outcome

    def _filled(self, syntax: Syntax, values: Mapping[str, str]) -> dict[str, str]:
        fields = syntax.model.model_fields
        return {k: v.strip() for k, v in values.items() if k in fields and v and v.strip()}

    def form_again(
        self,
        command: str,
        values: Mapping[str, str],
        problem: str,
        request: FormRequest | None = None,
    ) -> Form:
        """The same form as the one submitted (its intro, its required fields, what the person
        typed), with the problem on top. The form's own intro rides along hidden in `values`,
        or comes from the ritual's `request` when it asked for this form itself."""
        syntax = self.find(command)
        if syntax is None:
            raise LookupError(f"no form for unknown command {command!r}")
        intro = request.intro if request else values.get(FORM_INTRO, "")
        required = request.required if request else _split(values.get(FORM_REQUIRED, ""))
        options = request.options if request else None
        raw = self._filled(syntax, values)
        return self.form_for(syntax, raw, intro, required, options, problem=problem)

    def to_text(self, syntax: Syntax, raw: Mapping[str, str]) -> str:
        """The command as someone would type it, from its raw values."""
        fields = syntax.model.model_fields
        words = [syntax.name]
        for param in syntax.params:
            value = raw.get(param.field)
            if value is None:
                continue
            kind = field_kind(fields[param.field])
            if kind is Kind.FLAG:
                words.append(param.keyword or param.field)
                continue
            if param.with_unit and raw.get("unit"):
                unit = raw["unit"]
                value = f"{value}{unit}" if unit in ("%", "‰") else f"{value} {unit}"
            elif kind is not Kind.PEOPLE and _needs_quotes(value, syntax):
                value = quote(value)
            words += [param.keyword, value] if param.keyword else [value]
        return " ".join(words)

    def form_for(
        self,
        syntax: Syntax,
        known: Mapping[str, str],
        intro: str,
        required: Collection[str] = (),
        options: Mapping[str, tuple[str, ...]] | None = None,
        problem: str = "",
    ) -> Form:
        """The command's form: one field per model field, in the model's order, with what was
        wrong (`problem`) on top of its intro.

        What the form is about (a KPI, an obstacle, a commitment), once known, is carried along
        hidden rather than shown as a field someone could change by mistake.
        """
        fields: list[FormField] = []
        hidden: dict[str, str] = {}
        for name, info in syntax.model.model_fields.items():
            kind = field_kind(info)
            extra = info.json_schema_extra
            if isinstance(extra, dict) and extra.get("typed_only"):
                continue  # a refinement of another field, for typed text only
            carried = kind is Kind.KPI or (isinstance(extra, dict) and extra.get("carried"))
            if carried and name in known:
                hidden[name] = known[name]
                continue
            field = self._form_field(name, info, kind, known.get(name))
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
        return Form(
            title=syntax.form_title or syntax.summary,
            command=syntax.name,
            fields=tuple(fields),
            intro="\n\n".join(filter(None, (problem, intro))),
            hidden=hidden,
        )

    def _form_field(self, name: str, info: FieldInfo, kind: Kind, value: str | None) -> FormField:
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

    # --- usage and help ----------------------------------------------------------------------

    def label(self, syntax: Syntax, name: str) -> str:
        param = next((p for p in syntax.params if p.field == name), None)
        if param is not None and param.keyword:
            return f'"{param.keyword}"'
        if param is None and any(p.with_unit for p in syntax.params) and name == "unit":
            return "the unit"
        info = syntax.model.model_fields.get(name)
        return f"<{self._placeholder(param, info, name)}>" if info else "the command"

    def _placeholder(self, param: Param | None, info: FieldInfo | None, name: str) -> str:
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

    def usage(self, syntax: Syntax) -> str:
        fields = syntax.model.model_fields
        parts = [self.prefix, syntax.name]
        for param in syntax.params:
            info = fields[param.field]
            kind = field_kind(info)
            placeholder = self._placeholder(param, info, param.field)
            if kind is Kind.FLAG:
                piece = param.keyword or param.field
            elif param.keyword and param.positional:
                piece = f"[{param.keyword}] <{placeholder}>"
            elif param.keyword:
                piece = f"{param.keyword} <{placeholder}>"
            else:
                piece = f"<{placeholder}>"
            parts.append(piece if info.is_required() else f"[{piece}]")
        return " ".join(parts)

    def problem_reply(self, problem: Problem) -> Message:
        blocks: list[Any] = [Paragraph(rich(problem.message))]
        if problem.suggestions:
            tries = [Code(f"{self.prefix} {s}") for s in problem.suggestions]
            parts: list[Any] = ["Did you mean "]
            for i, code in enumerate(tries):
                parts += [" or " if i else "", code]
            blocks.append(Paragraph(rich(*parts, "?")))
        if problem.syntax is not None:
            blocks.append(Paragraph(rich("Write it as ", Code(self.usage(problem.syntax)))))
            if problem.syntax.examples:
                example = f"{self.prefix} {problem.syntax.examples[0]}"
                blocks.append(Paragraph(rich("For example ", Code(example))))
            blocks.append(Note(f"{self.prefix} help {problem.syntax.name} explains every part."))
        else:
            blocks.append(Note(f"{self.prefix} help lists every command."))
        return Message(tuple(blocks))

    def help(self, topic: str | None) -> Message:
        if not topic:
            return self._overview()
        syntax = self.find(topic)
        if syntax is not None:
            return self._command_help(syntax)
        wanted = topic.lower()
        in_topic = [
            s for s in self.syntaxes if wanted in (s.topic.lower(), *s.topic.lower().split())
        ]
        if in_topic:
            return self._overview(in_topic[0].topic)
        topics = sorted({s.topic.lower() for s in self.syntaxes})
        names = sorted({s.name for s in self.syntaxes})
        close = difflib.get_close_matches(topic.lower(), topics + names, n=3, cutoff=0.6)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        return Message(
            (
                Paragraph(rich(f'There is no help on "{_clip(topic)}".{hint}')),
                Note(f"Topics: {', '.join(topics)}. Or ask {self.prefix} help <command>."),
            )
        )

    def _overview(self, topic: str | None = None) -> Message:
        blocks: list[Any] = [Heading("kpi-coach: KPIs as tools for growth, not weapons")]
        topics = [topic] if topic else list(dict.fromkeys(s.topic for s in self.syntaxes))
        for name in topics:
            items = tuple(
                rich(Code(f"{self.prefix} {s.name}"), f": {s.summary}")
                for s in self.syntaxes
                if s.topic == name
            )
            blocks += [Paragraph(rich(Strong(name))), Bullets(items)]
        blocks.append(Note(f"{self.prefix} help <command> shows how to write it, with examples."))
        return Message(tuple(blocks))

    def _command_help(self, syntax: Syntax) -> Message:
        blocks: list[Any] = [
            Heading(f"{self.prefix} {syntax.name}"),
            Paragraph(rich(syntax.summary)),
            Paragraph(rich(Code(self.usage(syntax)))),
        ]
        described = []
        for name, info in syntax.model.model_fields.items():
            param = next((p for p in syntax.params if p.field == name), None)
            label = self.label(syntax, name) if param else name
            parts = [info.title or name]
            if info.description:
                parts.append(info.description)
            limits = self._limits(info)
            if limits:
                parts.append(limits)
            if not info.is_required():
                parts.append("optional")
            described.append(rich(Code(label), ": " + "; ".join(parts)))
        if described:
            blocks.append(Bullets(tuple(described)))
        if syntax.details:
            blocks.append(Paragraph(rich(syntax.details)))
        if syntax.examples:
            blocks.append(Paragraph(rich("Examples:")))
            blocks.append(Bullets(tuple(rich(Code(f"{self.prefix} {e}")) for e in syntax.examples)))
        if len(syntax.names) > 1:
            blocks.append(Note("Also: " + ", ".join(syntax.names[1:])))
        return Message(tuple(blocks))

    def _limits(self, info: FieldInfo) -> str:
        kind = field_kind(info)
        if kind is Kind.CHOICE:
            return "one of " + ", ".join(choice_options(info))
        low, high = min_length(info), max_length(info)
        if high is None:
            return ""
        if low and low > 1:
            return f"{low} to {high} characters"
        return f"up to {high} characters"


def _mentions_ahead(tokens: Sequence[Token], *, quoted: bool = False) -> int:
    """How many of the first tokens are mentions (`@ana`, `<@U1>`, or `me`); quoted ones count
    only when asked, since Teams people quote full names ("@Ana Ruiz")."""
    count = 0
    for token in tokens:
        text = token.text
        if token.quoted and not quoted:
            break
        if not (text.startswith(("@", "<@")) or text.lower() in ("me", "myself")):
            break
        count += 1
    return count


def _needs_quotes(value: str, syntax: Syntax) -> bool:
    keywords = {k for p in syntax.params if p.keyword for k in (p.keyword, *p.also)}
    words = value.split()
    return len(words) != 1 or words[0].lower() in keywords or value[:1] in "\"'“‘„«"


def _split(listed: str) -> tuple[str, ...]:
    return tuple(filter(None, (n.strip() for n in listed.split(","))))


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


class ShowHelp(Command):
    topic: str | None = Field(
        None, title="Topic", description="a command or a topic", max_length=60
    )


def build_grammar(prefix: str) -> Grammar:
    """The grammar for every platform, with help that reads the grammar it belongs to."""

    async def show_help(ctx: Ctx, cmd: ShowHelp) -> list[Reply]:
        return [grammar.help(cmd.topic)]

    help_syntax = Syntax(
        names=("help", "?"),
        model=ShowHelp,
        handler=show_help,
        topic="Basics",
        summary="what the bot can do, or how to write one command",
        params=(Param("topic"),),
        examples=("help", "help propose", "help kpis"),
    )
    grammar = Grammar((help_syntax, *(s for r in RITUALS for s in r.commands)), prefix)
    return grammar
