"""Typed text to a command's raw values: which command it names, and which words fill which field.

People type prose, not syntax, so the words are matched generously (a story swallows the "in"
and "with" it contains, mentions lead, a keyword inside a name asks for quotes) and every input
we cannot use comes back as a `Problem` that says why, never as an exception. The raw values
become a typed command in `forms.build`, the step typed text shares with submitted forms.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.grammar.fields import Kind, clip, field_kind, label, max_length, units_apart
from bot.grammar.tokens import Token, TokenError, quote, tokenize
from rituals.core.command import Command
from rituals.core.messages import Form
from rituals.core.syntax import Param, Syntax

MAX_COMMAND_LENGTH = 4000


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
    field: str = ""  # the command's field that was wrong, when it is one


@dataclass(frozen=True)
class NeedsForm:
    """A command with required values missing, to be completed in a form."""

    form: Form


Outcome = Parsed | Problem | NeedsForm


class Parser:
    """The commands by name, and typed text read against them."""

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

    def read(self, text: str) -> tuple[Syntax, dict[str, str]] | Problem:
        """The command the text names and the raw value of each field it gave."""
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
            return self._unknown(tokens)
        raw = assign(syntax, rest)
        if isinstance(raw, Problem):
            return raw
        return syntax, raw

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

    def _unknown(self, tokens: Sequence[Token]) -> Problem:
        word = tokens[0].text
        shown = word if len(word) <= 30 else word[:30] + "…"
        typed = [t.text.lower() for t in tokens[:3]]
        close = suggestions(typed, self.syntaxes)
        family = starting_with(word, self.syntaxes)
        if family:  # "debate", "debate banana": the word starts commands; name them all
            names = ", ".join(family)
            typed_all = " ".join(t.text for t in tokens[:2])
            what = "needs one more word" if len(tokens) == 1 else f'"{clip(typed_all)}" is not one'
            return Problem(
                f'"{shown}" starts several commands and {what}: {names}. '
                f'"{self.prefix} help {word.lower()}" says what each does.',
                suggestions=close,
            )
        return Problem(f'I don\'t know the command "{shown}".', suggestions=close)


def starting_with(word: str, syntaxes: Sequence[Syntax]) -> tuple[str, ...]:
    """The names of the commands of two words or more whose first word is this one."""
    first = word.lower()
    return tuple(
        name
        for syntax in syntaxes
        for name in syntax.names[:1]
        if len(name.split()) > 1 and name.split()[0] == first
    )


def suggestions(typed: Sequence[str], syntaxes: Sequence[Syntax]) -> tuple[str, ...]:
    """Up to three commands close to the words typed, each by a name the grammar knows.

    A name is compared with as many words as were typed, so "fial vote" finds `fail vote`, and
    a first word alone ("fail", "all") finds a command it starts, never itself as a command.
    Of the commands compared on the same words ("purpose", "purpose start"), the closest
    whole name stands for them all.
    """
    scored = []
    for syntax in syntaxes:
        name = max(syntax.names, key=lambda n: _likeness(typed, n))
        scored.append((_likeness(typed, name), name))
    scored.sort(key=lambda s: s[0], reverse=True)
    chosen: dict[str, str] = {}  # the words of a name compared -> the command shown for them
    for (start, _), name in scored:
        if start >= 0.6:
            chosen.setdefault(" ".join(name.split()[: len(typed)]), name)
    return tuple(chosen.values())[:3]


def _likeness(typed: Sequence[str], name: str) -> tuple[float, float]:
    """How close the typed words are to as many of the name's words, then to the whole name."""
    words = name.split()
    head = " ".join(typed[: len(words)])
    start = difflib.SequenceMatcher(None, head, " ".join(words[: len(typed)])).ratio()
    return start, difflib.SequenceMatcher(None, head, name).ratio()


def assign(syntax: Syntax, tokens: list[Token]) -> dict[str, str] | Problem:
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
            f"{label(syntax, needs_first[0].field)}. If it is part of the name, put "
            "the whole name in quotes.",
            syntax,
        )
    story = _story(syntax, tokens, keywords)
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
            if token.quoted and not several:
                # `obstacle in "Demo team" the CRM went down`: the quotes close the value, so
                # the words after it are the story, not more of the team's name.
                current = None
        else:
            loose.append(token)
    positional = [p for p in positional if p.field not in found]
    loose = _team_first(syntax, positional, loose, found)
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
            f'I don\'t know what to do with "{clip(extra)}". '
            "If it is part of a name, put the whole name in quotes.",
            syntax,
        )
    raw: dict[str, str] = {}
    for name, words in found.items():
        param = next(p for p in syntax.params if p.field == name)
        if not words and field_kind(fields[name]) is not Kind.FLAG:
            return Problem(f'"{param.keyword}" needs a value after it.', syntax)
        raw[name] = " ".join(words)
    return units_apart(syntax, raw)


def _team_first(
    syntax: Syntax, positional: Sequence[Param], loose: list[Token], found: dict[str, list[str]]
) -> list[Token]:
    """`team add Growth @ben`: a lead names the team first as often as last, so words before
    the people of a command that takes only people in order are its team, as `in Growth`."""
    fields = syntax.model.model_fields
    team = next((p for p in syntax.params if p.field == "team" and p.keyword), None)
    people = {Kind.PEOPLE, Kind.PERSON}
    if (
        team is None
        or "team" in found
        or not positional
        or any(field_kind(fields[p.field]) not in people for p in positional)
    ):
        return loose
    words = next((i for i, t in enumerate(loose) if _mentions_ahead(loose[i:], quoted=True)), 0)
    if not words or _mentions_ahead(loose[words:], quoted=True) != len(loose) - words:
        return loose
    found["team"] = [t.text for t in loose[:words]]
    return loose[words:]


def _story(
    syntax: Syntax, tokens: list[Token], keywords: Mapping[str, Param]
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


def to_text(syntax: Syntax, raw: Mapping[str, str]) -> str:
    """The command as someone would type it, from its raw values: what `read` reads back."""
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


def _needs_quotes(value: str, syntax: Syntax) -> bool:
    keywords = {k for p in syntax.params if p.keyword for k in (p.keyword, *p.also)}
    words = value.split()
    return len(words) != 1 or words[0].lower() in keywords or value[:1] in "\"'“‘„«"
