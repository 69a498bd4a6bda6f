"""Every grammar entry of every ritual, fed bad input as a person would type it and as a form
would submit it: no answer speaks the framework's language, and every refusal says what to
type instead. Driven by the registry, so a new ritual's commands are audited as they land."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from bot.grammar.fields import Kind, field_kind, max_length
from bot.grammar.parse import Parser, to_text
from rituals.core.messages import (
    Block,
    Bullets,
    Code,
    Form,
    Mention,
    Message,
    Outgoing,
    Paragraph,
)
from rituals.core.syntax import Syntax
from rituals.registry import RITUALS
from tests.support import Chat, active_kpi, text_of, who

SYNTAXES = [s for r in RITUALS for s in r.commands]
SWITCHABLE = ",".join(r.name.value for r in RITUALS if r.switchable)
FRAMEWORK = (
    "Input should",
    "String should",
    "validation error",
    "Field required",
    "pydantic",
    "Traceback",
    "value_error",
    "Value error",
    "type=",
    "Something broke",  # an exception the command did not expect
)


def bad_values(syntax: Syntax, field: str) -> Iterator[tuple[str, bool]]:
    """What a person might wrongly give for one field, by the kind of value it takes, and
    whether it is wrong for certain (a bad date may be fine free text; no KPI is #99999)."""
    info = syntax.model.model_fields[field]
    kind = field_kind(info)
    if kind is Kind.TEXT:
        yield " ".join(["word"] * ((max_length(info) or 200) // 5 + 2)), True
        yield from ((text, False) for text in ("2026-13-45", "2020-01-01", "31/02", "?"))
    elif kind is Kind.NUMBER:
        yield "lots", True
        yield from ((n, False) for n in ("-5", "0", "1e400", "123456789012345678901234.5"))
    elif kind is Kind.PERSON:
        yield from (("@nobody", True), ("<@U404>", True))
    elif kind is Kind.PEOPLE:
        yield "@nobody @ghost", True
    elif kind is Kind.KPI:
        yield from (("99999", True), ("no such kpi", True))
    elif kind is Kind.CHOICE:
        yield from (("bogus", True), ("42", True))


def fullest_example(syntax: Syntax, parser: Parser, kpi: int) -> dict[str, str]:
    """The command's example with the most values, read into raw values, naming a real KPI."""
    best: dict[str, str] = {}
    for example in syntax.examples:
        read = parser.read(example)
        if isinstance(read, tuple) and len(read[1]) >= len(best):
            best = dict(read[1])
    fields = syntax.model.model_fields
    return {k: str(kpi) if field_kind(fields[k]) is Kind.KPI else v for k, v in best.items()}


def tells_what_to_type(replies: Sequence[Outgoing]) -> bool:
    """A refusal shows the way on: the form again, a command to write, buttons to press, or,
    for what only someone else may do, who that is (a mention to ask)."""
    for reply in replies:
        if isinstance(reply, Form):
            return True
        if isinstance(reply, Message) and (reply.actions or any(map(_has_code, reply.blocks))):
            return True
    return False


def _has_code(block: Block) -> bool:
    if isinstance(block, Paragraph):
        return any(isinstance(part, Code | Mention) for part in block.parts)
    if isinstance(block, Bullets):
        return any(isinstance(part, Code | Mention) for item in block.items for part in item)
    return False


@pytest.mark.parametrize("syntax", SYNTAXES, ids=[s.name for s in SYNTAXES])
async def test_bad_input_gets_plain_words_and_the_way_on(chat: Chat, syntax: Syntax) -> None:
    kpi = await active_kpi(chat)
    # Every ritual on, so each command gets past the switch to its own checks.
    assert "Saved" in await chat.text("lea", f"settings set rituals {SWITCHABLE}")
    parser = Parser(SYNTAXES, "/kpi")
    raw = fullest_example(syntax, parser, kpi)
    tried: list[tuple[str, bool, list[Outgoing]]] = []
    for person in ("lea", "ana"):  # the lead, and a member
        for line in (syntax.name, f"{syntax.name} zorp blip"):
            tried.append((line, False, await chat.say(person, line)))
        tried.append(("empty form", False, await chat.submit(person, _form(syntax), {})))
        for param in syntax.params:
            for bad, certain in bad_values(syntax, param.field):
                values = {**raw, param.field: bad}
                line = to_text(syntax, values)
                tried.append((line, certain, await chat.say(person, line)))
                submitted = await chat.dispatcher.handle_form(who(person), syntax.name, values)
                tried.append((f"{syntax.name} form {values}", certain, submitted))
    problems = []
    for line, certain, replies in tried:
        said = text_of(replies)
        problems += [f"{line!r}: {w!r} in {said!r}" for w in FRAMEWORK if w.lower() in said.lower()]
        if certain and not tells_what_to_type(replies):
            problems.append(f"{line!r}: nothing says what to type instead in {said!r}")
    assert not problems, "\n".join(problems)


def _form(syntax: Syntax) -> Form:
    return Form(title=syntax.summary, command=syntax.name, fields=())
