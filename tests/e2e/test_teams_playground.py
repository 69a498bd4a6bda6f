"""The Teams end-to-end check in the suite: Microsoft's Agents Playground drives the bot in
chromium, after `atk validate` checked the manifest (e2e/teams/run.py says how).

Skipped, with the reason, where node, the npm packages (`npm ci` in e2e/teams) or chromium are
missing; under CI=true a missing tool fails instead, since CI runs where they are installed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from e2e.teams.run import missing, run


def test_a_conversation_in_microsofts_playground_shows_no_error(tmp_path: Path) -> None:
    reason = missing()
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"the Teams end-to-end check cannot run under CI: {reason}")
    if reason:
        pytest.skip(f"the Teams end-to-end check needs: {reason}")
    run(tmp_path / "teams-e2e")  # raises Failed, naming the step and what was on screen
