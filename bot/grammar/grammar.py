"""The grammar every platform shares: the commands of every ritual, read from typed text or a
submitted form, and written back as usage lines, help and forms.

`Grammar` only joins the three parts (`parse`, `forms`, `help`) over one command table, so a
platform holds one object and `/kpi propose ...` in Slack, a Teams message and a console line
behave alike.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from bot.grammar import forms
from bot.grammar.fields import clip
from bot.grammar.help import Help, help_command
from bot.grammar.parse import Outcome, Parser, Problem, to_text
from rituals.core.messages import Form, FormRequest, Message
from rituals.core.syntax import Syntax
from rituals.registry import RITUALS


class Grammar:
    def __init__(self, syntaxes: Sequence[Syntax], prefix: str) -> None:
        self.prefix = prefix
        self.syntaxes = tuple(syntaxes)
        self._parser = Parser(self.syntaxes, prefix)
        self._help = Help(self.syntaxes, prefix, self._parser.find)

    def find(self, name: str) -> Syntax | None:
        return self._parser.find(name)

    # --- reading ------------------------------------------------------------------------------

    def parse(self, text: str) -> Outcome:
        """Typed text to a command, a form to complete, or a problem to explain. Never raises."""
        read = self._parser.read(text)
        return read if isinstance(read, Problem) else forms.build(*read)

    def from_form(self, command: str, values: Mapping[str, str]) -> Outcome:
        """A submitted form to a command; on a problem, the same form back with it explained."""
        syntax = self.find(command)
        if syntax is None:
            return Problem(f'This form belongs to a command I no longer know ("{clip(command)}").')
        return forms.from_form(syntax, values)

    # --- writing ------------------------------------------------------------------------------

    def form_again(
        self,
        command: str,
        values: Mapping[str, str],
        problem: str,
        request: FormRequest | None = None,
        refused: str = "",
    ) -> Form:
        """The form `command` was submitted from, as it was, with the problem on top."""
        syntax = self.find(command)
        if syntax is None:
            raise LookupError(f"no form for unknown command {command!r}")
        return forms.form_again(syntax, values, problem, request, refused)

    def form_for(
        self,
        syntax: Syntax,
        known: Mapping[str, str],
        intro: str,
        required: Collection[str] = (),
        options: Mapping[str, tuple[str, ...]] | None = None,
        problem: str = "",
    ) -> Form:
        return forms.form_for(syntax, known, intro, required, options, problem)

    def to_text(self, syntax: Syntax, raw: Mapping[str, str]) -> str:
        return to_text(syntax, raw)

    def usage(self, syntax: Syntax) -> str:
        return self._help.usage(syntax)

    def problem_reply(self, problem: Problem) -> Message:
        return self._help.problem_reply(problem)

    def help(self, topic: str | None) -> Message:
        return self._help.answer(topic)


def build_grammar(prefix: str) -> Grammar:
    """The grammar for every platform, with help that reads the grammar it belongs to."""

    def answer(topic: str | None) -> Message:
        return grammar.help(topic)

    grammar = Grammar((help_command(answer), *(s for r in RITUALS for s in r.commands)), prefix)
    return grammar
