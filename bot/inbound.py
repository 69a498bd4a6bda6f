"""Checks every door (Slack, Teams) makes on a parsed body before anything reads it."""

from __future__ import annotations

from typing import Any


def holds_nul(body: Any) -> bool:
    """A NUL in any string of a JSON value, keys included. No platform sends one, and
    PostgreSQL refuses to keep one, so a request carrying it fails in the store otherwise.
    Walked without recursion: the body may nest as deep as its sender liked."""
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False
