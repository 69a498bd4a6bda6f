"""`kpicoach slack-manifest`: valid against Slack's manifest schema, and in step with the code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from bot.config import AppConfig
from bot.slack.manifest import BOT_SCOPES, manifest
from tests.support import FIXTURES, ROOT

SCHEMA = FIXTURES / "schemas"


def validate(data: dict[str, object]) -> None:
    schema = json.loads((SCHEMA / "slack-manifest.schema.1.0.0.json").read_text())
    jsonschema.validate(data, schema, cls=jsonschema.Draft7Validator)


def test_the_cli_prints_a_manifest_slacks_schema_accepts(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "slack-manifest", "--url", "https://kpi.acme.dev/"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    data = yaml.safe_load(done.stdout)
    validate(data)
    (command,) = data["features"]["slash_commands"]
    assert command["command"] == "/kpi"
    assert command["url"] == "https://kpi.acme.dev/slack/events"
    assert command["should_escape"] is True
    assert data["settings"]["interactivity"]["request_url"] == command["url"]
    assert data["oauth_config"]["redirect_urls"] == [
        "https://kpi.acme.dev/slack/oauth_redirect",
        "https://kpi.acme.dev/dashboard/slack/callback",
    ]
    assert data["features"]["app_home"]["home_tab_enabled"] is True


def test_the_command_comes_from_app_yaml_and_socket_mode_has_no_urls(config: AppConfig) -> None:
    renamed = config.model_copy(
        update={"commands": config.commands.model_copy(update={"slash": "/coach"})}
    )
    data = manifest(renamed, "https://x.example", socket_mode=True)
    validate(data)
    assert data["features"]["slash_commands"][0]["command"] == "/coach"
    assert "url" not in data["features"]["slash_commands"][0]
    assert "request_url" not in data["settings"]["event_subscriptions"]
    assert data["settings"]["socket_mode_enabled"] is True


def test_scopes_are_the_least_the_listeners_need() -> None:
    assert set(BOT_SCOPES) == {
        "commands",
        "chat:write",
        "users:read",
        "im:history",
        "app_mentions:read",
        "im:write",
        "files:write",
    }
    assert not any(s.endswith(":read.all") or s.startswith("admin") for s in BOT_SCOPES)
