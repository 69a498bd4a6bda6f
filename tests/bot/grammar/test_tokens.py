"""Splitting typed text into words, the way people really type it."""

from __future__ import annotations

import pytest

from bot.grammar.tokens import Token, TokenError, tokenize


def test_tokens_accept_curly_quotes_and_apostrophes() -> None:
    assert tokenize("“Win rate” don't 'a b'") == [
        Token("Win rate", quoted=True),
        Token("don't"),
        Token("a b", quoted=True),
    ]
    with pytest.raises(TokenError):
        tokenize('"open')
