"""Configuration: app.yaml for everything non-secret, the environment (or .env) for secrets.

Both are validated at start so a typo stops the program with one line that names the key, instead
of surfacing as a strange reply in a chat weeks later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from rituals.core.settings import RitualSettings


class ConfigError(Exception):
    """A configuration problem, phrased as one line a person can act on."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CommandsConfig(_Strict):
    slash: str = Field("/kpi", pattern=r"^/[a-z0-9_-]{1,31}$")


class DeliveryConfig(_Strict):
    # At least one a second, so a claimed batch is sent well within its lease.
    per_workspace_per_second: float = Field(10, ge=1, le=10_000)


class AppConfig(RitualSettings):
    """app.yaml: the rituals' settings, plus what only the edges need."""

    commands: CommandsConfig = CommandsConfig()
    delivery: DeliveryConfig = DeliveryConfig()


def load_app_config(path: Path) -> AppConfig:
    """Read and validate app.yaml; raise ConfigError with one line naming the bad key."""
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: file not found (set APP_CONFIG or run from the project folder)"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}".replace("\n", " ")) from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of sections") from None
    try:
        return AppConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe_validation_error(exc)}") from None


def describe_validation_error(exc: ValidationError) -> str:
    """The first error as 'key.path: what is wrong', which is what a person needs to fix it."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(top level)"
    if err["type"] == "extra_forbidden":
        return f"{where}: unknown key"
    message = err["msg"].removeprefix("Value error, ")
    return f"{where}: {message}"


class Settings(BaseSettings):
    """Secrets and deployment settings, from the environment or .env only."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        "sqlite+aiosqlite:///./kpicoach.db", validation_alias=AliasChoices("DATABASE_URL")
    )
    port: int = Field(3000, ge=1, le=65535, validation_alias=AliasChoices("PORT"))
    # Where `serve` listens: this machine only unless a deployment says otherwise (0.0.0.0
    # behind a load balancer or in a container).
    host: str = Field("127.0.0.1", min_length=1, validation_alias=AliasChoices("HOST"))
    # Whoever sends it as a bearer token sees /healthz's details from anywhere; without it,
    # only this machine does. Everyone else learns only whether the bot is alive.
    health_token: str | None = Field(None, validation_alias=AliasChoices("HEALTH_TOKEN"))
    app_config: Path = Field(Path("app.yaml"), validation_alias=AliasChoices("APP_CONFIG"))
    slack_bot_token: str | None = Field(None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_signing_secret: str | None = Field(
        None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET")
    )
    slack_app_token: str | None = Field(None, validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    slack_client_id: str | None = Field(None, validation_alias=AliasChoices("SLACK_CLIENT_ID"))
    slack_client_secret: str | None = Field(
        None, validation_alias=AliasChoices("SLACK_CLIENT_SECRET")
    )
    public_url: str = Field(
        "https://kpi-coach.example.com", validation_alias=AliasChoices("PUBLIC_URL")
    )
    slack_api_url: str = Field(
        "https://slack.com/api/", validation_alias=AliasChoices("SLACK_API_URL")
    )
    # Signs the dashboard's cookies and form tokens; unset, one is made and kept in
    # WEB_SECRET_FILE. Several replicas need the same one: set it.
    web_secret: str | None = Field(None, validation_alias=AliasChoices("WEB_SECRET"))
    web_secret_file: Path = Field(
        Path(".web-secret"), validation_alias=AliasChoices("WEB_SECRET_FILE")
    )
    microsoft_app_id: str | None = Field(None, validation_alias=AliasChoices("MicrosoftAppId"))
    microsoft_app_password: str | None = Field(
        None, validation_alias=AliasChoices("MicrosoftAppPassword")
    )
    microsoft_app_tenant_id: str | None = Field(
        None, validation_alias=AliasChoices("MicrosoftAppTenantId")
    )
    microsoft_app_type: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = Field(
        "MultiTenant", validation_alias=AliasChoices("MicrosoftAppType")
    )
    # Serve /api/messages without an app id, to this machine only (the Bot Framework Emulator,
    # Microsoft's Agents Playground). Off unless asked for, so a Slack-only deployment has no
    # Teams door at all.
    teams_loopback: bool = Field(False, validation_alias=AliasChoices("TEAMS_LOOPBACK"))
    # Where botbuilder reads the Bot Framework's signing keys (OpenID metadata); Microsoft's by
    # default, another cloud's (or a test's) when set.
    teams_openid_metadata_url: str | None = Field(
        None, validation_alias=AliasChoices("TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL")
    )
    # Where the bot fetches its own token to call the connector (an Azure AD authority, like
    # https://login.microsoftonline.com/<tenant>); derived from the tenant unless set.
    teams_login_url: str | None = Field(
        None, validation_alias=AliasChoices("TO_CHANNEL_FROM_BOT_LOGIN_URL")
    )

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        return async_database_url(url)

    @property
    def slack_configured(self) -> bool:
        return bool(self.slack_bot_token or self.slack_app_token or self.slack_client_id)

    @property
    def teams_configured(self) -> bool:
        return bool(self.microsoft_app_id)

    @property
    def teams_served(self) -> bool:
        """Whether /api/messages is mounted: Teams is configured, or loopback was asked for."""
        return self.teams_configured or self.teams_loopback


def async_database_url(url: str) -> str:
    """Accept the plain URLs people copy from their host and pick our async driver for them."""
    for plain, driver in (
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


def load_settings() -> Settings:
    """Read the environment; raise ConfigError naming the variable when a value is wrong."""
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(f"environment: {describe_validation_error(exc)}") from None
