"""The Microsoft Teams app package, generated so its commands and texts never drift from the bot.

Teams installs a bot from a zip holding manifest.json and two icons. Everything in it comes
from the settings, the grammar and the Slack manifest's texts, so nothing is copied by hand.
Upload the zip in Teams under Apps -> Manage your apps -> Upload an app.
"""

from __future__ import annotations

import importlib.metadata
import io
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.config import AppConfig, ConfigError, Settings
from bot.grammar import build_grammar
from bot.slack.manifest import APP_NAME, LONG_DESCRIPTION
from web.app import PREFIX, TAB

SCHEMA = "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json"
MANIFEST_VERSION = "1.17"
SHORT_DESCRIPTION = "Humane KPI coaching rituals for teams"
FULL_NAME = f"{APP_NAME}: humane KPI coaching rituals for teams"
ACCENT = "#2e5e4e"  # the Slack app's background colour, so the bot looks the same in both
SCOPES = ("personal", "team", "groupChat")
# What a newcomer needs first, in the order the menu shows it. Teams shows at most ten.
COMMAND_MENU = (
    "help",
    "home",
    "kpis",
    "propose",
    "examples",
    "team",
    "team join",
    "me",
    "schedule",
    "snooze",
)
MAX_COMMANDS = 10
MAX_TITLE = 32
MAX_COMMAND_DESCRIPTION = 128

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_RELEASE = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")

Rgba = tuple[int, int, int, int]
Pixel = Callable[[int, int], Rgba]


def menu_commands(config: AppConfig, names: Sequence[str] = COMMAND_MENU) -> list[tuple[str, str]]:
    """(title, description) for Teams' command menu, read from the grammar that parses them.

    A name the grammar no longer knows is left out rather than offered as a command that fails.
    """
    grammar = build_grammar(config.commands.slash)
    menu: list[tuple[str, str]] = []
    for name in names:
        syntax = grammar.find(name)
        if syntax is None or any(title == syntax.name for title, _ in menu):
            continue
        menu.append((syntax.name, _clip(syntax.summary, MAX_COMMAND_DESCRIPTION)))
    return menu[:MAX_COMMANDS]


def manifest(
    config: AppConfig,
    app_id: str,
    public_url: str,
    commands: Sequence[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """The manifest Teams validates on upload; bad ids and URLs are refused here instead, where
    the message can say which setting to fix."""
    app_id = _checked_app_id(app_id)
    base, host = _checked_url(public_url)
    # The dashboard is served by `serve` at the public address, unless app.yaml names another.
    dashboard, dashboard_host = (
        _checked_url(config.dashboard.url, "dashboard.url in app.yaml, for the tab")
        if config.dashboard.url
        else (base, host)
    )
    menu = menu_commands(config) if commands is None else list(commands)
    if len(menu) > MAX_COMMANDS:
        raise ValueError(f"Teams shows at most {MAX_COMMANDS} commands, got {len(menu)}")
    for title, _ in menu:
        if len(title) > MAX_TITLE:
            raise ValueError(f"the command title {title!r} is over {MAX_TITLE} characters")
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": package_version(),
        "id": app_id,
        "developer": {
            "name": APP_NAME,
            "websiteUrl": base,
            "privacyUrl": f"{base}/privacy",
            "termsOfUseUrl": f"{base}/terms",
        },
        "name": {"short": APP_NAME, "full": FULL_NAME},
        "description": {"short": SHORT_DESCRIPTION, "full": LONG_DESCRIPTION},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": app_id,
                "scopes": list(SCOPES),
                "supportsFiles": True,  # exports arrive as a file in the chat with the bot
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": list(SCOPES),
                        "commands": [
                            {
                                "title": title,
                                "description": _clip(description, MAX_COMMAND_DESCRIPTION),
                            }
                            for title, description in menu
                        ],
                    }
                ],
            }
        ],
        "staticTabs": [_dashboard_tab(dashboard)],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": list(dict.fromkeys((host, dashboard_host))),
    }


def _dashboard_tab(base: str) -> dict[str, Any]:
    """A personal tab with the dashboard: its tab page says, signed out, to ask the bot for a
    sign-in link; "open in browser" goes to the page itself."""
    return {
        "entityId": "dashboard",
        "name": "Dashboard",
        "contentUrl": f"{base}{PREFIX}{TAB}",
        "websiteUrl": f"{base}{PREFIX}/",
        "scopes": ["personal"],
    }


def write_package(
    config: AppConfig, settings: Settings, out: Path, public_url: str | None = None
) -> Path:
    """Everything is built before the file is opened, so a refused setting leaves no zip behind."""
    data = manifest(config, settings.microsoft_app_id or "", public_url or settings.public_url)
    files = {
        "manifest.json": json.dumps(data, indent=2, ensure_ascii=False).encode() + b"\n",
        "color.png": color_icon(),
        "outline.png": outline_icon(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            # A fixed date makes the same inputs give the same bytes.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    try:
        out.write_bytes(buffer.getvalue())
    except OSError as exc:
        raise ConfigError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out


def package_version() -> str:
    """Our release, since Teams only accepts an updated app whose version went up."""
    try:
        found = importlib.metadata.version("kpi-coach")
    except importlib.metadata.PackageNotFoundError:
        return "1.0.0"
    # Teams takes only MAJOR.MINOR.PATCH: "0.2.0.dev1" is packaged as 0.2.0.
    match = _RELEASE.match(found)
    return match.group(0) if match else "1.0.0"


def _checked_app_id(app_id: str) -> str:
    if not app_id:
        raise ConfigError(
            "teams-package needs MicrosoftAppId (the bot's Azure app id, a GUID) "
            "in the environment or .env"
        )
    if not _GUID.fullmatch(app_id.strip()):
        raise ConfigError(
            f"MicrosoftAppId {app_id!r} is not a GUID: copy the bot's Application (client) ID, "
            "like 0b6c5f1e-1a2b-4c3d-8e9f-0123456789ab, from Azure"
        )
    return app_id.strip().lower()


def _checked_url(url: str, where: str = "--url or PUBLIC_URL") -> tuple[str, str]:
    """The base URL without a trailing slash, and its host for validDomains."""
    problem = (
        f"teams-package needs the bot's public https address ({where}), "
        f"got {url!r}: Teams only talks to bots over https"
    )
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        port = parts.port
    except ValueError:
        raise ConfigError(problem) from None
    if parts.scheme != "https" or not host:
        raise ConfigError(problem)
    netloc = host if port is None else f"{host}:{port}"
    return f"https://{netloc}{parts.path.rstrip('/')}", host


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- the icons ---------------------------------------------------------------------------------

# A rising bar chart filling a 32-unit square: (left edge, height) of each bar, standing on its
# bottom edge. It touches the edges because Teams wants no padding in the outline icon.
_BARS = ((0, 11), (9, 18), (18, 25), (27, 32))
_BAR_WIDTH = 5
_SIDE = 32
_WHITE: Rgba = (255, 255, 255, 255)
_CLEAR: Rgba = (0, 0, 0, 0)


def _on_bar(u: float, v: float) -> bool:
    return any(
        left <= u < left + _BAR_WIDTH and _SIDE - height <= v < _SIDE for left, height in _BARS
    )


def color_icon() -> bytes:
    """192×192, white bars on the accent colour. The chart is the 96×96 middle: Teams crops
    colour icons to rounded squares and hexagons, and asks for 48 pixels of padding."""
    red, green, blue = bytes.fromhex(ACCENT[1:])
    ground: Rgba = (red, green, blue, 255)

    def pixel(x: int, y: int) -> Rgba:
        return _WHITE if _on_bar((x - 48) / 3, (y - 48) / 3) else ground

    return png(192, 192, pixel)


def outline_icon() -> bytes:
    """32×32, pure white on fully transparent: Teams tints outline icons itself and refuses
    any other colour."""
    return png(32, 32, lambda x, y: _WHITE if _on_bar(x, y) else _CLEAR)


def png(width: int, height: int, pixel: Pixel) -> bytes:
    """An 8-bit RGBA PNG, so the icons need no imaging library."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter type None: the rows go in as they are
        for x in range(width):
            raw.extend(pixel(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
