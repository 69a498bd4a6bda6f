"""What the Teams end-to-end check runs with, and what counts as a failure in it."""

from __future__ import annotations

import re
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The Playground's mock tenant: the browser is Alex Wilber; these two can be mentioned.
COLLEAGUES = ("Megan Bowen", "Adele Vance")
WAIT_MS = 20_000
# A line on screen that says something failed (ours, or the Playground's own).
FAILED = re.compile(r"Something went wrong on our side|\(×\) Error|\(✖\) Error")
# Lines in the bot's log that mean a failure, whatever the page shows.
BOT_FAILED = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback|refused a malformed activity")
# A raw Teams id (a channel, a person, a chat) in text a person reads.
RAW_ID = re.compile(r"19:[\w-]+@thread|29:[\w-]{6,}|a:[\w-]{10,}")


class Failed(Exception):
    """The run failed: the message says where; the output folder holds what was seen."""
