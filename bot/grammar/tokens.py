"""Splitting typed command text into words, the way people really type it.

Quotes may be straight or curly (phones and macOS turn "x" into “x”), an apostrophe inside a
word is just a letter, and an unclosed quote is an error we can explain rather than a crash.
"""

from __future__ import annotations

from dataclasses import dataclass

# Each opening quote and the closing quotes we accept for it.
_CLOSERS = {
    '"': '"”',
    "“": '”"',
    "„": '“"',
    "«": '»"',
    "'": "'’",
    "‘": "’'",
}


@dataclass(frozen=True)
class Token:
    text: str
    quoted: bool = False


class TokenError(ValueError):
    """The text cannot be split into words; the message says why."""


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        closers = _CLOSERS.get(text[i])
        if closers is not None:
            end = _closing_quote(text, i + 1, closers)
            if end < 0:
                raise TokenError(
                    f"a quote opened with {text[i]} is not closed; "
                    "put the closing quote after the text"
                )
            tokens.append(Token(text[i + 1 : end], quoted=True))
            i = end + 1
            continue
        start = i
        if text[i] == "<" and (close := text.find(">", i)) > 0:
            # A platform mention such as <@U123|Ana Lima> is one word, spaces and all.
            i = close + 1
        while i < n and not text[i].isspace():
            i += 1
        tokens.append(Token(text[start:i]))
    return tokens


def _closing_quote(text: str, start: int, closers: str) -> int:
    """Index of the quote that closes a quoted word: one followed by a space or the end."""
    for j in range(start, len(text)):
        if text[j] in closers and (j + 1 == len(text) or text[j + 1].isspace()):
            return j
    return -1


def quote(value: str) -> str:
    """The value as one quoted word that `tokenize` reads back whole: in the first quote mark
    whose closer never stands before a space inside it (a note may hold "quotes" itself)."""
    for opener in ('"', "'", "“", "‘"):
        closers = _CLOSERS[opener]
        if not any(
            c in closers and (j + 1 == len(value) or value[j + 1].isspace())
            for j, c in enumerate(value)
        ):
            return f"{opener}{value}{closers[0]}"
    return f'"{value}"'
