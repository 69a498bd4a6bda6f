"""Usage lines and help, generated from the grammar they describe."""

from __future__ import annotations

import pytest

from bot.grammar import NeedsForm, Parsed, Problem
from rituals.core.messages import Message
from tests.bot.grammar import grammar, problem


def test_problems_with_a_known_command_show_its_usage_and_an_example() -> None:
    reply = problem("propose Leads target ten per week")
    assert "Write it as `/kpi propose <name> target <number [unit]> per <week|month|quarter>" in (
        grammar_reply_with_code("propose Leads target ten per week")
    )
    assert "For example" in reply
    assert "/kpi help propose explains every part." in reply


def grammar_reply_with_code(text: str) -> str:
    from bot.console.render import render_message

    outcome = grammar.parse(text)
    assert isinstance(outcome, Problem)
    return render_message(grammar.problem_reply(outcome))[0]


def test_help_lists_every_command_under_its_topic() -> None:
    for syntax in grammar.syntaxes:
        assert f"/kpi {syntax.name}: {syntax.summary}" in grammar.help(syntax.topic).text


@pytest.mark.parametrize("name", [s.name for s in grammar.syntaxes])
def test_help_for_each_command_shows_usage_every_field_and_examples_that_parse(name: str) -> None:
    syntax = grammar.find(name)
    assert syntax is not None
    text = grammar.help(name).text
    assert grammar.usage(syntax) in text
    for field, info in syntax.model.model_fields.items():
        assert (info.title or field) in text
    for example in syntax.examples:
        assert f"/kpi {example}" in text
        assert isinstance(grammar.parse(example), Parsed | NeedsForm), example


def test_a_list_of_people_is_counted_in_people_and_optional_is_said_once() -> None:
    text = grammar.help("kudos").text
    assert "one or more @mentions; up to 10 people; optional" in text
    assert "a symbol, never money; 2 to 80 characters" in text
    assert "optional; optional" not in text
    assert "never money; 2 to 80 characters; optional" not in text


def test_help_on_a_topic_and_on_nothing_known() -> None:
    assert "/kpi activate" in grammar.help("registry").text
    assert "/kpi activate" in grammar.help("KPI registry").text
    unknown = grammar.help("astrology")
    assert isinstance(unknown, Message)
    assert 'There is no help on "astrology"' in unknown.text


@pytest.mark.parametrize("topic", ["registy", "fail vot", "pulse strt", "checkins", "one on one"])
def test_help_on_nothing_known_suggests_only_what_has_help(topic: str) -> None:
    said = grammar.help(topic).text
    assert f'There is no help on "{topic}". Did you mean ' in said
    offered = said.split("Did you mean ", 1)[1].split("?", 1)[0].split(" or ")
    for suggestion in offered:
        assert "There is no help on" not in grammar.help(suggestion).text, suggestion


FIRST_WORDS = sorted(
    {
        name.split()[0]
        for s in grammar.syntaxes
        for name in s.names[:1]
        if len(name.split()) > 1 and grammar.find(name.split()[0]) is None
    }
)


@pytest.mark.parametrize("word", FIRST_WORDS)
def test_a_word_that_starts_commands_leads_to_their_list(word: str) -> None:
    """`help debate`, `debate`, `debate banana`: each names every command the word starts."""
    family = [s.names[0] for s in grammar.syntaxes if s.names[0].split()[0] == word]
    helped = grammar.help(word).text
    assert "There is no help on" not in helped
    for said in (problem(word), problem(f"{word} banana")):
        assert "I don't know the command" not in said
        assert f"/kpi help {word}" in said
    for name in family:
        assert f"/kpi {name}" in helped
        assert name in problem(f"{word} banana")
