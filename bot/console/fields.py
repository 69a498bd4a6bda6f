"""One form field asked in the terminal: how it is described, and what is wrong with an answer
that the form itself can tell before submitting."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from bot.grammar import Parsed, Problem, parse_people
from rituals.core.messages import FieldKind, FormField

FREE_TEXT = (FieldKind.TEXT, FieldKind.LONG_TEXT)


def describe(field: FormField) -> str:
    # A hint may say "optional" itself ("optional; a symbol, never money"): once is enough.
    said = {part.strip().lower() for part in field.hint.split(";")}
    notes = [] if field.required or "optional" in said else ["optional"]
    if field.kind in FREE_TEXT:
        notes.append(f"up to {field.max_length} characters")
    if field.kind is FieldKind.PERSON:
        notes.append("@name")
    if field.kind is FieldKind.PEOPLE:
        notes.append(f"@names like @ana @ben, up to {field.max_length}")
    if field.hint:
        notes.insert(0, field.hint)
    current = f" [{field.value}]" if field.value else ""
    return f"{field.label} ({'; '.join(notes)}){current}" if notes else field.label + current


def check(field: FormField, answer: str) -> str | None:
    """What is wrong with an answer that the form itself can tell, before submitting."""
    if not answer:
        return "This one is needed." if field.required else None
    if field.kind is FieldKind.PEOPLE:
        # Counted as the grammar will split them, since max_length here counts people.
        named = len(parse_people(answer))
        if not named and field.required:
            return "Name at least one person, like @ana."
        if named > field.max_length:
            return f"That is {named} people; name at most {field.max_length}."
        return None
    if len(answer) > field.max_length:
        return f"That is {len(answer)} characters; keep it to {field.max_length}."
    if field.options and chosen(field, answer) not in field.options:
        return f"Pick a number from 1 to {len(field.options)}, or type one of the options."
    return None


def chosen(field: FormField, answer: str) -> str:
    number = answer.isdecimal() and answer.isascii()
    if field.options and number and 1 <= int(answer) <= len(field.options):
        return field.options[int(answer) - 1]
    return answer.lower() if field.options else answer


def is_option(field: FormField, answer: str) -> bool:
    return bool(field.options) and chosen(field, answer) in field.options


class Reading(enum.Enum):
    ANSWER = "answer"
    COMMAND = "command"
    PROSE = "prose"  # kept as the answer, though it starts like a command


def reading(field: FormField, answer: str, outcome: object) -> Reading:
    """Whether a line typed for a field is its answer or a command (`outcome`, the grammar's
    reading of it). Where no free text is asked for, any command is one. In free text, a
    complete command is one ("kpis", "experiment 1", `budget answer 1 "hi"`), unless it reads
    as prose that merely starts with a command's name: three or more plain words after it, no
    quotes, numbers or @names ("help our customers grow faster"). A name that would only open
    a form ("Growth", a team) is an answer."""
    if is_option(field, answer) or isinstance(outcome, Problem):
        return Reading.ANSWER
    if field.kind not in FREE_TEXT:
        return Reading.COMMAND
    if not isinstance(outcome, Parsed):
        return Reading.ANSWER
    return Reading.PROSE if _prose(answer, outcome.syntax.names) else Reading.COMMAND


def _prose(line: str, names: Sequence[str]) -> bool:
    """Plain words after a command's name, the way an answer is written and a command is not."""
    words = line.lower().split()
    typed = [len(n.split()) for n in names if words[: len(n.split())] == n.split()]
    tail = words[max(typed, default=1) :]
    plain = all(word.isalpha() or word.rstrip(",.;!?").isalpha() for word in tail)
    return len(tail) >= 3 and plain
