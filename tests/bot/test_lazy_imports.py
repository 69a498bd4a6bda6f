"""The server starts without matplotlib: it is imported by the first chart drawn.

A fresh interpreter, so what other tests imported does not count.
"""

from __future__ import annotations

import subprocess
import sys

from tests.support import ROOT


def loaded_after(statement: str) -> set[str]:
    script = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_starting_the_server_does_not_import_matplotlib() -> None:
    assert "matplotlib" not in loaded_after("import bot.server, bot.cli")


def test_drawing_a_chart_imports_it() -> None:
    statement = "from rituals.core.charts import pulse_png; pulse_png('Pulse', [0, 1, 2, 3, 4])"
    assert "matplotlib" in loaded_after(statement)
