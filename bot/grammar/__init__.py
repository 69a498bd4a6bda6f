"""The one command grammar: typed text or a submitted form in, a typed command out.

Every platform feeds this package, so `/kpi propose ...` in Slack, a Teams message and a console
line behave alike. Usage lines, help and forms are generated from the same definitions (each
command's pydantic model and its syntax, declared by its ritual), so they cannot drift apart:
`tokens` splits typed text into words, `fields` knows each field's kind and how to read it,
`parse` reads typed text, `forms` builds and reads forms, `help` writes usage and help, and
`Grammar` joins them over one command table.
"""

from bot.grammar.fields import parse_people
from bot.grammar.forms import FORM_INTRO
from bot.grammar.grammar import Grammar, build_grammar
from bot.grammar.parse import MAX_COMMAND_LENGTH, NeedsForm, Outcome, Parsed, Problem

__all__ = [
    "FORM_INTRO",
    "MAX_COMMAND_LENGTH",
    "Grammar",
    "NeedsForm",
    "Outcome",
    "Parsed",
    "Problem",
    "build_grammar",
    "parse_people",
]
