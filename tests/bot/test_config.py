"""app.yaml and the environment are validated at start, with one line naming the bad key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_app_config, load_settings
from tests.support import ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "app.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_app_yaml_is_valid() -> None:
    config = load_app_config(ROOT / "app.yaml")
    assert config.kpis.max_per_member == 5
    assert "hours worked" in config.kpis.effort_terms
    assert config.commands.slash == "/kpi"


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("kpis:\n  max_per_membr: 5\n", "kpis.max_per_membr: unknown key"),
        (
            "kpis:\n  max_per_member: 0\n",
            "kpis.max_per_member: Input should be greater than or equal to 1",
        ),
        ("kpis:\n  max_per_member: lots\n", "kpis.max_per_member: Input should be a valid integer"),
        (
            "people:\n  default_time_zone: Mars/Olympus\n",
            "people.default_time_zone: there is no time zone called 'Mars/Olympus'",
        ),
        (
            "people:\n  working_days: [mon, funday]\n",
            "people.working_days.1: Input should be 'mon', 'tue'",
        ),
        ("people:\n  working_days: []\n", "people.working_days: name at least one working day"),
        ("commands:\n  slash: kpi\n", "commands.slash: String should match pattern"),
        ("ritualz: {}\n", "ritualz: unknown key"),
        ("rituals:\n  enabled: [checkin, standup]\n", "there is no ritual called 'standup'"),
        ("people:\n  quiet_hours: '18:00'\n", "is not a window; write it as HH:MM-HH:MM"),
        ("- just\n- a list\n", "the top level must be a mapping"),
        ("kpis: [\n", "not valid YAML"),
    ],
)
def test_bad_app_yaml_is_one_line_naming_the_key(
    tmp_path: Path, yaml_text: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_app_config(write(tmp_path, yaml_text))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_app_yaml_says_how_to_point_at_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="APP_CONFIG"):
        load_app_config(tmp_path / "nope.yaml")


def test_settings_use_the_ecosystems_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MicrosoftAppId", "app-id")
    monkeypatch.setenv("MicrosoftAppType", "SingleTenant")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret")
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/kpi")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.microsoft_app_id == "app-id"
    assert settings.microsoft_app_type == "SingleTenant"
    assert settings.slack_signing_secret == "s3cret"
    assert settings.port == 8080
    assert settings.database_url == "postgresql+asyncpg://u@db/kpi"
    assert settings.teams_configured
    assert not settings.slack_configured


def test_default_database_is_sqlite_in_the_working_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "sqlite+aiosqlite:///./kpicoach.db"
    assert settings.port == 3000


def test_a_bad_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ConfigError, match="environment: PORT: Input should be a valid integer"):
        load_settings()


def test_the_program_stops_with_one_line_on_a_bad_key(tmp_path: Path) -> None:
    path = write(tmp_path, "kpis:\n  max_per_member: -1\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        env={"APP_CONFIG": str(path), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "PATH": ""},
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"kpicoach: {path}: kpis.max_per_member: Input should be greater than or equal to 1"
    ]
