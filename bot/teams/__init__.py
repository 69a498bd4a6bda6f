"""Microsoft Teams: the bot's endpoint and its way out (botbuilder), imported only where Teams
is served, and there only at its first activity or send (`bot.teams.lazy`). What the server
needs to know of Teams before it decides to serve it is here, and imports nothing heavy: a
Slack-only process never loads botbuilder or msrest."""

from __future__ import annotations

from bot.config import ConfigError, Settings

ROUTE = "/api/messages"


def check_teams_settings(settings: Settings) -> None:
    """Name the missing variable at start instead of failing every send later."""
    if not settings.microsoft_app_id:
        return
    if settings.microsoft_app_type != "UserAssignedMSI" and not settings.microsoft_app_password:
        raise ConfigError("Teams (MicrosoftAppId) also needs MicrosoftAppPassword")
    if settings.microsoft_app_type != "MultiTenant" and not settings.microsoft_app_tenant_id:
        raise ConfigError(
            f"MicrosoftAppType={settings.microsoft_app_type} also needs MicrosoftAppTenantId"
        )
