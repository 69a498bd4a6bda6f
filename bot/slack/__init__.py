"""Slack: the Bolt app, its Block Kit renderer, installs and the manifest.

Every slack_sdk and slack_bolt import stays in this package. What the server needs to know of
Slack before it decides to serve it is here, and imports neither: a process that does not
serve Slack never loads slack_bolt.
"""

from __future__ import annotations

from bot.config import ConfigError, Settings


def check_slack_settings(settings: Settings) -> None:
    """Name the missing variable instead of failing on the first request."""
    if settings.slack_app_token and not settings.slack_bot_token:
        raise ConfigError("Socket Mode (SLACK_APP_TOKEN) also needs SLACK_BOT_TOKEN")
    if settings.slack_app_token:
        return
    if not settings.slack_signing_secret:
        raise ConfigError("Slack over HTTP needs SLACK_SIGNING_SECRET (Basic Information page)")
    if settings.slack_client_id and not settings.slack_client_secret:
        raise ConfigError("Slack OAuth (SLACK_CLIENT_ID) also needs SLACK_CLIENT_SECRET")
