"""`help` is short: the commands a newcomer needs and the topics; `help <topic>` the rest."""

from __future__ import annotations

from bot.console.render import render_message
from bot.grammar.help import FIRST_COMMANDS
from rituals.core.nudges import MANNERS
from tests.bot.grammar import grammar


def test_help_shows_the_first_commands_and_the_topics_on_one_screen() -> None:
    rendered, _ = render_message(grammar.help(None))
    assert len(rendered.splitlines()) <= 30
    shown = grammar.help(None).text
    for name in FIRST_COMMANDS:
        syntax = grammar.find(name)
        assert syntax is not None, name
        assert f"/kpi {name}: {syntax.summary}" in shown
    # Not every command any more: those are in their topics.
    assert "/kpi pulse close:" not in shown
    for topic in {s.topic for s in grammar.syntaxes if s.name != "help"}:
        assert f"/kpi help {topic.lower()}" in shown


def test_each_topic_help_names_leads_to_that_topic_not_to_a_command() -> None:
    for topic in {s.topic for s in grammar.syntaxes if s.name != "help"}:
        assert grammar.find(topic.lower()) is None, f"help {topic.lower()} is a command's help"
        said = grammar.help(topic.lower()).text
        for syntax in grammar.syntaxes:
            if syntax.topic == topic:
                assert f"/kpi {syntax.name}: {syntax.summary}" in said


def test_the_nudges_topic_holds_the_rule_nudges_no_longer_repeat() -> None:
    assert MANNERS in grammar.help("nudges").text
    assert MANNERS not in grammar.help(None).text
