"""What the fuzz sends: command text near the grammar, JSON of any shape, and real platform
payloads with a few of their values replaced by junk or removed."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

from bot.grammar import build_grammar

GRAMMAR = build_grammar("/kpi")
WORDS = sorted({name for syntax in GRAMMAR.syntaxes for name in syntax.names})
EXAMPLES = sorted({example for syntax in GRAMMAR.syntaxes for example in syntax.examples})
FORMS = sorted(syntax.name for syntax in GRAMMAR.syntaxes if syntax.form_title)
FIELDS = sorted({param.field for syntax in GRAMMAR.syntaxes for param in syntax.params})

# Pieces of Slack's and Teams' markup and of our own syntax, where parsers meet edge cases.
MARKUP = st.sampled_from(
    [
        "<@U0AB12CD6|ben>",
        "<@U0NOBODY1>",
        "<@>",
        "<#C0AB12CD5|team-growth>",
        "<!here>",
        "<https://example.org|a link>",
        "&lt;&gt;&amp;",
        "<at>kpi-coach</at>",
        '"',
        "@",
        "#",
        "--",
        "2026-13-45",
        "-1",
        "1e309",
        "99999999999999999999",
        "0",
        "to",
        "in",
        "\u202e",
        "\x00",
    ]
)

junk = st.text(max_size=80)

typed = st.one_of(
    st.sampled_from(EXAMPLES),
    st.builds(
        lambda word, parts: " ".join([word, *parts]),
        st.sampled_from(WORDS),
        st.lists(st.one_of(MARKUP, junk), max_size=5),
    ),
    st.builds(lambda example, tail: f"{example} {tail}", st.sampled_from(EXAMPLES), junk),
    junk,
)
"""Text a person might type: a real example, a command word with odd words after it, junk."""

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | typed,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)
"""Any JSON value."""

DELETE = object()


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


@st.composite
def mutated(
    draw: st.DrawFn, document: dict[str, Any], keep: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The document with up to four of its values replaced by any JSON value, or removed.
    Keys in `keep` (where the bot would send replies) stay as they are."""
    out = copy.deepcopy(document)
    paths = [p for p in _paths(document) if not keep.intersection(map(str, p))]
    for _ in range(draw(st.integers(0, 4))):
        path = draw(st.sampled_from(paths))
        value = draw(st.one_of(st.just(DELETE), json_values))
        try:
            parent = out
            for key in path[:-1]:
                parent = parent[key]
            if value is DELETE:
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this part
    return out
