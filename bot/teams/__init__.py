"""Microsoft Teams: the bot's endpoint and its way out (botbuilder), imported only where Teams
is served, and there only at its first activity or send (`bot.teams.lazy`). What the server
needs to know of Teams before it decides to serve it is here, and imports nothing heavy: a
Slack-only process never loads botbuilder or msrest."""

from __future__ import annotations

from importlib.util import find_spec

from bot.config import ConfigError, Settings

ROUTE = "/api/messages"


def check_teams_settings(settings: Settings) -> None:
    """Name the missing variable (or package) at start instead of failing every send later:
    botbuilder itself loads only at the first activity, so its absence is checked here
    without loading it."""
    if not settings.microsoft_app_id and not settings.teams_loopback:
        return
    if find_spec("botbuilder") is None or find_spec("botbuilder.core") is None:
        raise ConfigError("Teams needs botbuilder-core: install the project again (make install)")
    if not settings.microsoft_app_id:
        return
    if settings.microsoft_app_type != "UserAssignedMSI" and not settings.microsoft_app_password:
        raise ConfigError("Teams (MicrosoftAppId) also needs MicrosoftAppPassword")
    if settings.microsoft_app_type != "MultiTenant" and not settings.microsoft_app_tenant_id:
        raise ConfigError(
            f"MicrosoftAppType={settings.microsoft_app_type} also needs MicrosoftAppTenantId"
        )
