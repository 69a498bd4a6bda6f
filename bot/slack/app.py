"""The Bolt app: one workspace's token from the environment, or OAuth installs, or Socket Mode.

Built once per process with a shared connection pool and Slack's retry rules; what it does with
each request is in `bot.slack.listeners`, and the outbox worker posts through `sender()`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import ClientSession, ClientTimeout
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import AppConfig, Settings
from bot.dispatch import Dispatcher
from bot.slack.authorize import INSTALL_SECONDS, Authorizer
from bot.slack.backlog import Backlog
from bot.slack.deliver import Places
from bot.slack.listeners import Listeners
from bot.slack.manifest import BOT_SCOPES
from bot.slack.middleware import BodyMiddleware
from bot.slack.replays import Signatures
from bot.slack.sender import SlackSender
from rituals.core.context import Clock

# Work after the ack runs on this many workers: enough to overlap Slack's network latency,
# few enough that a burst queues instead of crowding the event loop or the database pool.
WORKERS = 4
# Jobs waiting for a worker before listeners (and so acks) wait too: a few seconds of work.
BACKLOG_LIMIT = 256
# Commands working at once; the rest wait in line. SQLAlchemy's default pool holds 5 connections
# and 10 more on demand, shared with the backlog's workers, the outbox worker and the scheduler:
# a command holds one at a time, so 8 keep the pool from running dry and the loop from crowding.
RUNNING = 8
# How long a command may work before its ack goes out without the answer: Slack waits 3 seconds
# for the ack, and the trip to and from Slack needs its share.
ANSWER_WITHIN = 1.5
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600
REVOKED = {"tokens_revoked", "app_uninstalled"}


def retry_handlers() -> list[AsyncRetryHandler]:
    """Slack's 429s wait out Retry-After (up to three times); 5xx and dropped connections retry."""
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AsyncServerErrorRetryHandler(max_retry_count=2),
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
    ]


class SlackBot:
    """The Bolt app and what lives as long as it: the backlog, the connection pool, the
    installations; one per process, shared by every request and by the outbox worker."""

    def __init__(
        self,
        settings: Settings,
        config: AppConfig,
        dispatcher: Dispatcher,
        engine: AsyncEngine,
        clock: Clock,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.clock = clock
        self.backlog = Backlog(WORKERS, BACKLOG_LIMIT)
        self.signatures = Signatures(engine, clock)
        # Every request over HTTP is checked once, by bot.slack.http, before Bolt sees it.
        secret = settings.slack_signing_secret
        self.verifier = SignatureVerifier(secret) if secret else None
        # One connection pool for every Web API call and response_url reply.
        # Bounded well under the outbox's lease: slack_sdk's own timeout does not apply to a
        # session it is given.
        self.session = ClientSession(timeout=ClientTimeout(total=30))
        self.retries = retry_handlers()
        self.installations: AsyncSQLAlchemyInstallationStore | None = None
        self.app = self._bolt_app()
        places = Places(settings.slack_api_url, self.session, self.retries)
        self.listeners = Listeners(
            dispatcher,
            config,
            engine,
            clock,
            self.backlog,
            places,
            running=RUNNING,
            answer_within=ANSWER_WITHIN,
        )
        self.listeners.attach(self.app, oauth=self.oauth)
        self.app.middleware(BodyMiddleware(self._forget_revoked))

    async def _forget_revoked(
        self, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> None:
        """After Bolt removed a revoked or uninstalled workspace's tokens, the authorizer
        forgets them too, so the workspace's next request is refused at once."""
        await next()
        if (body.get("event") or {}).get("type") in REVOKED:
            self.authorizer.forget(str(body.get("team_id") or "") or None)

    async def close(self) -> None:
        await self.backlog.close()
        await self.session.close()

    def sender(self) -> SlackSender:
        """How the outbox worker posts into Slack, with this app's tokens and connections."""
        return SlackSender(self._token_for, self.settings.slack_api_url, self.session)

    async def _token_for(self, team_id: str) -> str | None:
        if self.installations is None:
            return self.settings.slack_bot_token
        bot = await self.installations.async_find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot else None

    @property
    def socket_mode(self) -> bool:
        return bool(self.settings.slack_app_token)

    @property
    def oauth(self) -> bool:
        return bool(self.settings.slack_client_id) and not self.socket_mode

    def _bolt_app(self) -> AsyncApp:
        """Bolt's own signature check is off: bot.slack.http checks every request that reaches
        Bolt over HTTP, JSON events included, before Bolt reads it, and hands Bolt the body it
        parsed (Bolt's check needs the text, and would check the signature a second time).
        Socket Mode requests come unsigned over the connection we open with the app token. Bolt's
        built-in server (`AsyncApp.start`) is never used: it would skip our check."""
        s = self.settings
        # The token comes with each request from the authorizer, not from the client.
        client = AsyncWebClient(
            base_url=s.slack_api_url, session=self.session, retry_handlers=self.retries
        )
        if not self.oauth:
            self.authorizer = Authorizer(
                client, self._token_for, keep_seconds=None, per_workspace=False
            )
            return AsyncApp(
                client=client,
                authorize=self.authorizer,  # type: ignore[arg-type]  # an AsyncAuthorize
                signing_secret=s.slack_signing_secret or "",
                request_verification_enabled=False,  # see above
                # Bolt answers as soon as the listener returns, instead of polling every 10 ms
                # for the ack; a command's answer can then travel in the ack.
                process_before_response=True,
            )
        assert s.slack_client_id
        assert s.slack_client_secret
        installations = AsyncSQLAlchemyInstallationStore(s.slack_client_id, self.engine)
        self.installations = installations
        self.authorizer = Authorizer(
            client, self._token_for, keep_seconds=INSTALL_SECONDS, per_workspace=True
        )
        return AsyncApp(
            client=client,
            authorize=self.authorizer,  # type: ignore[arg-type]  # an AsyncAuthorize
            process_before_response=True,
            signing_secret=s.slack_signing_secret,
            request_verification_enabled=False,  # see above
            installation_store=installations,
            oauth_settings=AsyncOAuthSettings(
                client_id=s.slack_client_id,
                client_secret=s.slack_client_secret,
                scopes=list(BOT_SCOPES),
                installation_store=installations,
                state_store=AsyncSQLAlchemyOAuthStateStore(STATE_SECONDS, self.engine),
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_PATH,
            ),
        )
