"""The Slack app manifest, generated from app.yaml so commands, scopes and events never drift.

Paste the output at api.slack.com/apps -> Create New App -> From a manifest.
"""

from __future__ import annotations

from typing import Any

import yaml

from bot.config import AppConfig

APP_NAME = "kpi-coach"
# Least privilege: each scope is here for one listener or one Web API call.
BOT_SCOPES = (
    "commands",  # the slash command
    "chat:write",  # replies, DMs, channel posts and ephemeral answers
    "users:read",  # users.info for names and time zones; the user_change event
    "im:history",  # message.im: commands typed in the DM with the bot
    "app_mentions:read",  # app_mention: "@kpi-coach help" in a channel
    "im:write",  # conversations.open, to upload a file (an export, a chart) into a DM
    "files:write",  # files.uploadV2
)
BOT_EVENTS = (
    "app_home_opened",
    "app_mention",
    "message.im",
    "app_uninstalled",
    "tokens_revoked",
    "user_change",
)
LONG_DESCRIPTION = (
    "kpi-coach runs the coaching rituals that make KPIs a tool for growth rather than a weapon: "
    "KPIs co-created with the team and tied to each person's growth, a weekly 'what's in your "
    "way' check-in that ends in real commitments, wins-first one-on-ones, recognition that names "
    "how you served someone, and a Fail of the Month that celebrates what was learned."
)


def manifest(config: AppConfig, public_url: str, socket_mode: bool) -> dict[str, Any]:
    base = public_url.rstrip("/")
    events = f"{base}/slack/events"
    command: dict[str, Any] = {
        "command": config.commands.slash,
        "description": "Your team's KPI coaching rituals",
        "usage_hint": "help | kpis | propose | team | me",
        "should_escape": True,  # mentions arrive as <@U123|name>, ids the grammar can trust
    }
    settings: dict[str, Any] = {
        "event_subscriptions": {"bot_events": list(BOT_EVENTS)},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": socket_mode,
        "token_rotation_enabled": False,
    }
    oauth: dict[str, Any] = {"scopes": {"bot": list(BOT_SCOPES)}}
    if not socket_mode:
        command["url"] = events
        settings["event_subscriptions"]["request_url"] = events
        settings["interactivity"]["request_url"] = events
        # The install's return, and Sign in with Slack's on the dashboard.
        oauth["redirect_urls"] = [
            f"{base}/slack/oauth_redirect",
            f"{base}/dashboard/slack/callback",
        ]
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": APP_NAME,
            "description": "Humane KPI coaching rituals for teams",
            "background_color": "#2e5e4e",
            "long_description": LONG_DESCRIPTION,
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": APP_NAME, "always_online": True},
            "slash_commands": [command],
        },
        "oauth_config": oauth,
        "settings": settings,
    }


def manifest_yaml(config: AppConfig, public_url: str, socket_mode: bool) -> str:
    return yaml.safe_dump(manifest(config, public_url, socket_mode), sort_keys=False)
