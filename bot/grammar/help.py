"""Usage lines, the reply to a problem, and help: written from the syntaxes the parser reads, so
what the bot says a command looks like is what it accepts.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import Field
from pydantic.fields import FieldInfo

from bot.grammar.fields import (
    Kind,
    choice_options,
    clip,
    field_kind,
    label,
    max_length,
    min_length,
    placeholder,
)
from bot.grammar.parse import Problem, starting_with
from rituals.core.command import Command
from rituals.core.context import Ctx
from rituals.core.messages import (
    Block,
    Bullets,
    Code,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    Rich,
    Strong,
    rich,
)
from rituals.core.nudges import MANNERS
from rituals.core.syntax import Param, Syntax

# What a newcomer needs first, by name; `help` shows these and the topics, `help <topic>` the
# rest. Summaries and usage still come from each command's grammar entry.
FIRST_COMMANDS = ("home", "team join", "propose", "log", "obstacle")

# What a topic's help says besides its commands: a rule said once here, not under every message.
TOPIC_NOTES = {"Nudges": MANNERS}


# How wide a topic's line in the overview may grow: one line in a terminal or a chat.
TOPIC_LINE = 80


class Help:
    """What the commands look like, for people: usage, a problem explained, and help."""

    def __init__(
        self, syntaxes: Sequence[Syntax], prefix: str, find: Callable[[str], Syntax | None]
    ) -> None:
        self.syntaxes = tuple(syntaxes)
        self.prefix = prefix
        self._find = find

    def usage(self, syntax: Syntax) -> str:
        fields = syntax.model.model_fields
        parts = [self.prefix, syntax.name]
        for param in syntax.params:
            info = fields[param.field]
            kind = field_kind(info)
            shown = placeholder(param, info, param.field)
            if kind is Kind.FLAG:
                piece = param.keyword or param.field
            elif param.keyword and param.positional:
                piece = f"[{param.keyword}] <{shown}>"
            elif param.keyword:
                piece = f"{param.keyword} <{shown}>"
            else:
                piece = f"<{shown}>"
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

    def answer(self, topic: str | None) -> Message:
        """Help on a command, on a topic, or on everything when no topic is given."""
        if not topic:
            return self._overview()
        syntax = self._find(topic)
        if syntax is not None:
            return self._command_help(syntax)
        wanted = topic.lower()
        in_topic = [
            s for s in self.syntaxes if wanted in (s.topic.lower(), *s.topic.lower().split())
        ]
        if in_topic:
            return self._topic(in_topic[0].topic)
        family = starting_with(wanted, self.syntaxes)
        if family:  # "help debate": every command that starts with the word
            return self._listed(f"{self.prefix} help {wanted}", family)
        topics = sorted({s.topic.lower() for s in self.syntaxes})
        names = sorted({s.name for s in self.syntaxes})
        close = difflib.get_close_matches(topic.lower(), topics + names, n=3, cutoff=0.6)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        return Message(
            (
                Paragraph(rich(f'There is no help on "{clip(topic)}".{hint}')),
                Note(f"Topics: {', '.join(topics)}. Or ask {self.prefix} help <command>."),
            )
        )

    def _overview(self) -> Message:
        """The few commands to start with, and the topics that hold the rest."""
        first = [s for name in FIRST_COMMANDS if (s := self._find(name)) is not None]
        # Help's own topic holds only help itself: nothing to look up there.
        topics = list(dict.fromkeys(s.topic for s in self.syntaxes if s.name != "help"))
        return Message(
            (
                Heading("kpi-coach: KPIs as tools for growth, not weapons"),
                Paragraph(rich(Strong("To start"))),
                Bullets(tuple(self._line(s) for s in first)),
                Paragraph(rich(Strong("Everything else, by topic"))),
                Bullets(tuple(self._topic_line(t) for t in topics)),
                Note(f"{self.prefix} help <command> shows how to write it, with examples."),
            )
        )

    def _topic(self, topic: str) -> Message:
        blocks: list[Block] = [
            Heading(f"{self.prefix} help {topic.lower()}"),
            Bullets(tuple(self._line(s) for s in self.syntaxes if s.topic == topic)),
        ]
        if topic in TOPIC_NOTES:
            blocks.append(Paragraph(rich(TOPIC_NOTES[topic])))
        blocks.append(Note(f"{self.prefix} help <command> shows how to write it, with examples."))
        return Message(tuple(blocks))

    def _listed(self, title: str, names: Sequence[str]) -> Message:
        found = [s for name in names if (s := self._find(name)) is not None]
        return Message(
            (
                Heading(title),
                Bullets(tuple(self._line(s) for s in found)),
                Note(f"{self.prefix} help <command> shows how to write it, with examples."),
            )
        )

    def _line(self, syntax: Syntax) -> Rich:
        return rich(Code(f"{self.prefix} {syntax.name}"), f": {syntax.summary}")

    def _topic_line(self, topic: str) -> Rich:
        """One line a topic: its first commands, and how many more `help <topic>` shows, so
        the overview stays one screen however many rituals the registry holds."""
        lead = f"{self.prefix} help {topic.lower()}"
        names = [s.name for s in self.syntaxes if s.topic == topic]
        room = TOPIC_LINE - len(lead)
        shown: list[str] = []
        for i, name in enumerate(names):
            rest = len(names) - i - 1
            more = f", and {rest} more" if rest else ""
            if len(", ".join([*shown, name]) + more) > room and shown:
                break
            shown.append(name)
        left = len(names) - len(shown)
        return rich(Code(lead), f": {', '.join(shown)}" + (f", and {left} more" if left else ""))

    def _command_help(self, syntax: Syntax) -> Message:
        blocks: list[Any] = [
            Heading(f"{self.prefix} {syntax.name}"),
            Paragraph(rich(syntax.summary)),
            Paragraph(rich(Code(self.usage(syntax)))),
        ]
        described = []
        for name, info in syntax.model.model_fields.items():
            param = next((p for p in syntax.params if p.field == name), None)
            shown = label(syntax, name) if param else name
            parts = [info.title or name]
            if info.description:
                parts.append(info.description)
            limits = _limits(info)
            if limits:
                parts.append(limits)
            if not info.is_required() and "optional" not in _said(info.description):
                parts.append("optional")
            described.append(rich(Code(shown), ": " + "; ".join(parts)))
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


def _said(description: str | None) -> set[str]:
    """The parts of a field's description (one may say "optional" itself: once is enough)."""
    return {part.strip().lower() for part in (description or "").split(";")}


def _limits(info: FieldInfo) -> str:
    kind = field_kind(info)
    if kind is Kind.CHOICE:
        return "one of " + ", ".join(choice_options(info))
    low, high = min_length(info), max_length(info)
    if high is None:
        return ""
    if kind is Kind.PEOPLE:
        return f"up to {high} people"
    if low and low > 1:
        return f"{low} to {high} characters"
    return f"up to {high} characters"


class ShowHelp(Command):
    topic: str | None = Field(
        None, title="Topic", description="a command or a topic", max_length=60
    )


def help_command(answer: Callable[[str | None], Message]) -> Syntax:
    """The `help` command, answering from the grammar it is part of (`answer`)."""

    async def show_help(ctx: Ctx, cmd: ShowHelp) -> list[Reply]:
        return [answer(cmd.topic)]

    return Syntax(
        names=("help", "?"),
        model=ShowHelp,
        handler=show_help,
        topic="Basics",
        summary="what the bot can do, or how to write one command",
        params=(Param("topic"),),
        examples=("help", "help propose", "help kpis"),
    )
