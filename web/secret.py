"""The key that signs the dashboard's cookies and form tokens.

`WEB_SECRET` from the environment when set (every replica behind a load balancer needs the same
one). Without it, one is generated once and kept in a file readable only by its owner, so a
restart does not sign everyone out and a laptop needs no setup.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.config import ConfigError

SHORTEST = 32


def web_secret(given: str | None, kept_in: Path) -> str:
    """The environment's secret, else the one kept in `kept_in` (made on first use)."""
    if given is not None:
        if len(given) < SHORTEST:
            raise ConfigError(f"WEB_SECRET: use at least {SHORTEST} random characters")
        return given
    try:
        kept = kept_in.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        kept = ""
    if len(kept) >= SHORTEST:
        return kept
    made = secrets.token_urlsafe(48)
    descriptor = os.open(kept_in, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(made + "\n")
    return made
