"""`kpicoach teams-package`: a zip Teams accepts on upload, in step with the grammar."""

from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.config import AppConfig, ConfigError
from bot.grammar import build_grammar
from bot.teams.package import COMMAND_MENU, manifest, menu_commands
from tests.support import ROOT
from web.app import with_address

APP_ID = "0b6c5f1e-1a2b-4c3d-8e9f-0123456789ab"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A folder with no .env, the repo's app.yaml, and a Teams bot's settings."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("APP_CONFIG", str(ROOT / "app.yaml"))
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    monkeypatch.setenv("PUBLIC_URL", "https://coach.example.org")
    return tmp_path


def package(out: Path, *extra: str) -> dict[str, bytes]:
    assert main(["teams-package", "--out", str(out), *extra]) == 0
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def read_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, colour type and the unfiltered rows, checking every chunk's CRC."""
    assert data[:8] == PNG_SIGNATURE
    at, chunks = 8, []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks.append((kind, body))
        at += 12 + length
    assert chunks[0][0] == b"IHDR"
    assert chunks[-1] == (b"IEND", b"")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, interlace) == (8, 0)
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + width * 4
    assert len(raw) == stride * height
    rows = [raw[y * stride : (y + 1) * stride] for y in range(height)]
    assert all(row[0] == 0 for row in rows), "every row should use filter type 0"
    return width, height, colour, [row[1:] for row in rows]


def pixels(rows: list[bytes]) -> set[tuple[int, ...]]:
    return {tuple(row[x : x + 4]) for row in rows for x in range(0, len(row), 4)}


def test_the_zip_holds_exactly_the_manifest_and_two_icons(env: Path) -> None:
    files = package(env / "app.zip")
    assert sorted(files) == ["color.png", "manifest.json", "outline.png"]


def test_the_manifest_names_the_bot_and_its_address(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data: dict[str, Any] = json.loads(package(env / "app.zip")["manifest.json"])
    assert str(env / "app.zip") in capsys.readouterr().out
    assert data["$schema"] == (
        "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json"
    )
    assert data["manifestVersion"] == "1.17"
    assert re.fullmatch(r"\d+\.\d+\.\d+", data["version"])
    assert data["id"] == APP_ID
    (bot,) = data["bots"]
    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert bot["isNotificationOnly"] is False
    assert data["validDomains"] == ["coach.example.org"]
    developer = data["developer"]
    assert len(developer["name"]) <= 32
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert developer[key].startswith("https://coach.example.org")
    assert 0 < len(data["name"]["short"]) <= 30
    assert 0 < len(data["name"]["full"]) <= 100
    assert 0 < len(data["description"]["short"]) <= 80
    assert 0 < len(data["description"]["full"]) <= 4000
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", data["accentColor"])
    assert data["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert data["permissions"] == ["identity", "messageTeamMembers"]


def test_the_command_menu_is_real_grammar_commands(env: Path, config: AppConfig) -> None:
    data: dict[str, Any] = json.loads(package(env / "app.zip")["manifest.json"])
    (command_list,) = data["bots"][0]["commandLists"]
    commands = command_list["commands"]
    assert 0 < len(commands) <= 10
    grammar = build_grammar(config.commands.slash)
    for command in commands:
        assert len(command["title"]) <= 32
        assert 0 < len(command["description"]) <= 128
        syntax = grammar.find(command["title"])
        assert syntax is not None, command["title"]
        assert syntax.name == command["title"]
        assert command["description"] == syntax.summary
    assert commands[0]["title"] == "help"


def test_every_name_on_the_menu_is_in_the_grammar(config: AppConfig) -> None:
    grammar = build_grammar(config.commands.slash)
    assert len(COMMAND_MENU) <= 10
    missing = [name for name in COMMAND_MENU if grammar.find(name) is None]
    assert missing == []
    assert [title for title, _ in menu_commands(config)] == list(COMMAND_MENU)


def test_a_name_the_grammar_lost_is_left_off_the_menu(config: AppConfig) -> None:
    menu = menu_commands(config, ("help", "no such command", "list", "kpis"))
    # "list" is an alias of kpis: offered once, under its canonical name.
    assert [title for title, _ in menu] == ["help", "kpis"]


def test_the_icons_are_the_sizes_and_colours_teams_requires(env: Path) -> None:
    files = package(env / "app.zip")
    width, height, colour, rows = read_png(files["color.png"])
    assert (width, height, colour) == (192, 192, 6)
    assert len(pixels(rows)) > 1  # a picture, not a blank square
    width, height, colour, rows = read_png(files["outline.png"])
    assert (width, height, colour) == (32, 32, 6)
    seen = pixels(rows)
    white = (255, 255, 255, 255)
    assert all(p == white or p[3] == 0 for p in seen), seen - {white}
    assert white in seen
    assert any(p[3] == 0 for p in seen)


def test_url_overrides_public_url_and_the_same_inputs_give_the_same_zip(env: Path) -> None:
    first = package(env / "a.zip", "--url", "https://kpi.acme.dev/bot/")
    data: dict[str, Any] = json.loads(first["manifest.json"])
    assert data["validDomains"] == ["kpi.acme.dev"]
    assert data["developer"]["websiteUrl"] == "https://kpi.acme.dev/bot"
    package(env / "b.zip", "--url", "https://kpi.acme.dev/bot/")
    assert (env / "a.zip").read_bytes() == (env / "b.zip").read_bytes()


def test_without_an_app_id_it_says_which_variable_to_set(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MicrosoftAppId")
    assert main(["teams-package", "--out", str(env / "app.zip")]) == 2
    err = capsys.readouterr().err
    assert "MicrosoftAppId" in err
    assert err.count("\n") == 1
    assert not (env / "app.zip").exists()


def test_an_app_id_that_is_not_a_guid_is_refused(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MicrosoftAppId", "kpi-coach-bot")
    assert main(["teams-package", "--out", str(env / "app.zip")]) == 2
    err = capsys.readouterr().err
    assert "MicrosoftAppId" in err
    assert "GUID" in err


@pytest.mark.parametrize("url", ["http://coach.example.org", "https://", "coach.example.org"])
def test_an_address_that_is_not_https_is_refused(
    env: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["teams-package", "--out", str(env / "app.zip"), "--url", url]) == 2
    err = capsys.readouterr().err
    assert "https" in err
    assert repr(url) in err
    assert err.count("\n") == 1
    assert not (env / "app.zip").exists()


def test_a_menu_over_ten_commands_is_a_programming_error(config: AppConfig) -> None:
    with pytest.raises(ValueError, match="at most 10"):
        manifest(config, APP_ID, "https://x.example", [("help", "h")] * 11)


def test_a_personal_tab_opens_the_dashboard_on_the_bots_domain(env: Path) -> None:
    data: dict[str, Any] = json.loads(package(env / "app.zip")["manifest.json"])
    assert data["staticTabs"] == [
        {
            "entityId": "dashboard",
            "name": "Dashboard",
            "contentUrl": "https://coach.example.org/dashboard/tab",
            "websiteUrl": "https://coach.example.org/dashboard/",
            "scopes": ["personal"],
        }
    ]
    assert data["validDomains"] == ["coach.example.org"]


def test_a_dashboard_served_elsewhere_is_the_tab_and_a_valid_domain(config: AppConfig) -> None:
    elsewhere = with_address(config, "https://dash.example.org/kpi/")
    data = manifest(elsewhere, APP_ID, "https://coach.example.org")
    (tab,) = data["staticTabs"]
    assert tab["contentUrl"] == "https://dash.example.org/kpi/dashboard/tab"
    assert tab["websiteUrl"] == "https://dash.example.org/kpi/dashboard/"
    assert data["validDomains"] == ["coach.example.org", "dash.example.org"]
    plain = with_address(config, "http://dash.example.org")
    with pytest.raises(ConfigError, match=r"dashboard\.url in app\.yaml.*'http://dash"):
        manifest(plain, APP_ID, "https://coach.example.org")
