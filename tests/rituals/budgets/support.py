"""What the growth lab's tests share: a row's number read off a reply, since sequences are
not rolled back on PostgreSQL and a test cannot assume it made row 1."""

from __future__ import annotations

import re


def number(said: str, of: str) -> int:
    """The number after `of` in a reply: "Experiment #4", "request #7", "stretch #2"."""
    found = re.search(re.escape(of) + r" #(\d+)", said, re.IGNORECASE)
    assert found is not None, said
    return int(found.group(1))
