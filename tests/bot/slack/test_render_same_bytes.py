"""The plain-dict Block Kit renderer sends byte for byte what slack_sdk's model objects built.

The yardstick is the model-object renderer kept in blockkit_models.py; the messages are every
kind of block and inline part at and past Slack's limits, the help of every command, every
command's form (empty and filled in), the welcome and the Home tab.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.grammar import build_grammar
from bot.slack import render
from rituals.core import messages as m
from rituals.team.onboarding import welcome
from tests.bot.slack import blockkit_models as models

GRAMMAR = build_grammar("/kpi")
TRICKY = "a & b < c > d *x* _y_ `z` <!channel> <@U1|x> “quotes” é 😀"


def same(ours: Any, theirs: Any) -> None:
    assert json.dumps(ours) == json.dumps(theirs)


def made_up() -> Iterator[m.Message]:
    """Every block and inline part, with text at, under and past each limit."""
    yield m.Message(())
    yield m.say(TRICKY)
    yield m.say(
        "Thanks ",
        m.Mention("U0AB12CD6", "<!here>"),
        " in ",
        m.ChannelLink("C1"),
        " see ",
        m.Link("https://example.org/a?b=1&c=<2>", "the | page <here>"),
        m.Strong("  strong words "),
        m.Strong("   "),
        m.Code("`code` & <stuff>"),
        note=TRICKY,
    )
    yield m.say(" ".join(f"word{i}" for i in range(2500)), note="n " * 4000)
    yield m.say("x" * 7000)
    yield m.Message((m.Heading("h" * 200), m.Heading(TRICKY), m.Heading("")))
    yield m.Message((m.Bullets(((TRICKY,), ("two ", m.Code("c")), ("y " * 2000,))),))
    yield m.Message(
        (
            m.Fields(tuple((f"key {i} {TRICKY}", f"value {i}" * (i * 40)) for i in range(23))),
            m.Fields((("", ""),)),
        )
    )
    buttons = tuple(
        m.Button(f"label {i} " * (i % 12), f"kpis {i}", list(m.ButtonStyle)[i % 3])
        for i in range(60)
    )
    yield m.Message((m.Actions(buttons, prompt=TRICKY), m.Actions(buttons[:3])))
    yield m.Message((m.Actions((m.Button("too long", "x" * 2001), m.Button("ok", "home"))),))
    yield m.Message(
        (
            m.Image("chart.png", b"\x89PNG", "A chart " * 500, title="Trend"),
            m.Image("other.png", b"png", TRICKY),
            m.File("export.csv", b"a,b\n1,2\n", "text/csv"),
        )
    )
    for count in (49, 50, 51, 200, 201, 500):
        yield m.Message(tuple(m.Heading(f"h{i}") for i in range(count)))


def helps() -> Iterator[m.Message]:
    yield GRAMMAR.help(None)
    for syntax in GRAMMAR.syntaxes:
        yield GRAMMAR.help(syntax.names[0])
    yield GRAMMAR.help("no such topic at all")
    yield welcome(TRICKY)


def forms() -> Iterator[m.Form]:
    for syntax in GRAMMAR.syntaxes:
        empty = GRAMMAR.form_for(syntax, {}, "")
        if empty.fields:  # a command with nothing to fill in runs at once, with no modal
            yield empty
        yield GRAMMAR.form_for(syntax, {}, TRICKY, problem="That was not a number.")
    kinds = list(m.FieldKind)
    values = (None, "", "<@U0AB12CD4>", "<@U1> <@U2>, <@U1>", "@ana <@U2>", TRICKY, "z" * 4000)
    fields = tuple(
        m.FormField(
            f"f{i}",
            f"Label {i} " * (i % 9),
            kinds[i % len(kinds)],
            required=i % 2 == 0,
            max_length=(5, 200, 5000)[i % 3],
            hint=TRICKY if i % 4 else "",
            options=tuple(f"option {j} " * (j % 20) for j in range(i % 3 * 70)),
            value=values[i % len(values)],
        )
        for i in range(60)
    )
    yield m.Form("A title far too long for Slack", "retire", fields, "Submit it all now please")
    yield m.Form(
        "Pick", "kudos", (m.FormField("c", "C", m.FieldKind.CHOICE, options=("a", "b"), value="b"),)
    )


@pytest.mark.parametrize("message", [*made_up(), *helps()], ids=lambda _: "message")
def test_messages_and_home_tabs_render_as_the_model_objects_did(message: m.Message) -> None:
    ours, theirs = render.render_message(message), models.render_message(message)
    same([(p.text, p.blocks) for p in ours.parts], [(p.text, p.blocks) for p in theirs.parts])
    assert ours.uploads == theirs.uploads
    if message.blocks:  # a Home tab is never empty (Slack refuses one)
        same(render.render_home(message), models.render_home(message))


@pytest.mark.parametrize("form", list(forms()), ids=lambda form: form.command)
def test_forms_render_as_the_model_objects_did(form: m.Form) -> None:
    origin = render.FormOrigin(form.command, form.hidden, "C1", "https://hooks/x", "1.2")
    same(render.render_modal(form, origin), models.render_modal(form, origin))


def test_a_form_that_cannot_be_read_renders_as_the_model_objects_did() -> None:
    values = {"a": TRICKY, "b": "long " * 2000}
    same(
        render.render_unreadable_form(values, "/kpi"), models.render_unreadable_form(values, "/kpi")
    )
