"""One process delivers from a SQLite file: the lock holds for the file, whatever name or link
a second process reaches it by."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.delivery_lock import only_worker


def test_a_hard_link_to_the_same_sqlite_file_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "kpicoach.db"
    database.write_bytes(b"")
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    link = elsewhere / "renamed.db"
    os.link(database, link)
    with only_worker(f"sqlite+aiosqlite:///{database}") as exclusive:
        assert exclusive
        with (
            pytest.raises(ConfigError, match="SQLite allows one"),
            only_worker(f"sqlite+aiosqlite:///{link}"),
        ):
            pass
    with only_worker(f"sqlite+aiosqlite:///{link}"):  # free once the first one stopped
        pass


def test_a_symlink_or_a_relative_path_to_it_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "kpicoach.db"
    database.write_bytes(b"")
    (tmp_path / "alias.db").symlink_to(database)
    monkeypatch.chdir(tmp_path)
    with (
        only_worker("sqlite+aiosqlite:///./kpicoach.db"),
        pytest.raises(ConfigError),
        only_worker(f"sqlite+aiosqlite:///{tmp_path / 'alias.db'}"),
    ):
        pass
