"""Tests of `bot.grammar`, one file per module; the grammar they read with, and how they read."""

from __future__ import annotations

from bot.grammar import Parsed, Problem, build_grammar

grammar = build_grammar("/kpi")


def parsed(text: str) -> object:
    outcome = grammar.parse(text)
    assert isinstance(outcome, Parsed), outcome
    return outcome.command


def problem(text: str) -> str:
    outcome = grammar.parse(text)
    assert isinstance(outcome, Problem), outcome
    return grammar.problem_reply(outcome).text
