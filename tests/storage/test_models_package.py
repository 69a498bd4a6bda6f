"""`storage.models` is a package of domain modules, yet reads as one: importing it registers every
table (Alembic's autogenerate and the privacy export walk `Base.metadata`) and exports every model
and enum. A module added to the package but left out of its `__init__` fails here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Run in a fresh interpreter: in the test session other modules have already imported every
# domain module, which would hide one the package itself forgets.
PROBE = """
import enum, importlib, json, pkgutil
import storage.models as models

registered = sorted(models.Base.metadata.tables)
tables, unexported = [], []
for info in pkgutil.iter_modules(models.__path__):
    module = importlib.import_module(f"storage.models.{info.name}")
    for name, obj in vars(module).items():
        if not isinstance(obj, type) or obj.__module__ != module.__name__:
            continue
        if not issubclass(obj, (models.Base, enum.Enum)):
            continue
        if name not in models.__all__ or getattr(models, name) is not obj:
            unexported.append(f"{info.name}.{name}")
        if issubclass(obj, models.Base) and obj is not models.Base:
            tables.append(obj.__tablename__)
print(json.dumps({"registered": registered, "tables": sorted(tables), "unexported": unexported}))
"""

ROOT = Path(__file__).resolve().parents[2]


def probe() -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    found: dict[str, list[str]] = json.loads(done.stdout)
    return found


def test_importing_the_package_registers_every_table_and_exports_every_model() -> None:
    found = probe()
    assert found["unexported"] == []
    assert found["tables"] == found["registered"]
    assert {"workspace", "member", "kpi", "outbox", "pulse"} <= set(found["registered"])
