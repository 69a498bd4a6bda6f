"""The bot's way out to the Bot Connector: one client per service URL, over our own aiohttp session.

botbuilder builds a new ConnectorClient (and a token client) for every turn. Each one builds an
msrest configuration whose retry policy alone took a third of a turn's CPU, and sends through
`requests` on a thread pool with a fresh connection each time. Here a client is built once per
service URL and audience and kept; it sends with the process's aiohttp session (keep-alive, a
timeout), and msrest retries nothing: replies retry in `bot.teams.send`, the outbox in its worker.
"""

from __future__ import annotations

from typing import Any

from aiohttp import ClientError, ClientSession
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import AuthenticationConstants, ConnectorFactory
from msrest.exceptions import ClientRequestError
from msrest.pipeline import Request, Response
from msrest.pipeline.async_abc import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http import ClientRequest
from msrest.universal_http.aiohttp import AioHttpClientResponse
from msrest.universal_http.async_abc import AsyncClientResponse
from yarl import URL

from bot.teams.tokens import BotToken

# Service URLs differ per Teams region; a deployment sees a handful. Past this many (a bug, or
# loopback tests each with their own port) the cache starts over rather than growing.
MAX_CLIENTS = 64
USER_AGENT = "kpi-coach (botbuilder ConnectorClient)"

Sent = Response[ClientRequest, AsyncClientResponse]
Pipeline = AsyncPipeline[ClientRequest, AsyncClientResponse]


class _Send(AsyncHTTPSender[ClientRequest, AsyncClientResponse]):
    """msrest's last step: the request over the shared aiohttp session, the body read in full.

    A connection failure becomes msrest's ClientRequestError, which `bot.teams.send.judge`
    already reads as "could not reach Teams: retry".
    """

    def __init__(self, http: ClientSession) -> None:
        self.http = http

    async def __aenter__(self) -> _Send:
        return self

    async def __aexit__(self, *exc_details: object) -> None:
        return None

    async def send(self, request: Request[ClientRequest], **config: Any) -> Sent:
        outgoing = request.http_request
        if outgoing.files:
            raise ClientRequestError("multipart uploads to the connector are not supported")
        try:
            # As msrest quoted it: a channel thread's id (`19:...;messageid=...`) stays
            # percent-encoded in the path, as botbuilder's own sender sends it.
            url = URL(outgoing.url, encoded=True)
            async with self.http.request(
                outgoing.method, url, headers=outgoing.headers, data=outgoing.data
            ) as answer:
                response = AioHttpClientResponse(outgoing, answer)
                await response.load_body()
        except (ClientError, TimeoutError) as exc:
            raise ClientRequestError(f"{type(exc).__name__}: {exc}"[:200]) from exc
        return Response(request, response)


class _Authorize(AsyncHTTPPolicy[ClientRequest, AsyncClientResponse]):
    """Puts the bot's own token on each request; none in loopback mode (no app id)."""

    def __init__(self, token: BotToken | None) -> None:
        super().__init__()
        self.token = token

    async def send(self, request: Request[ClientRequest], **kwargs: Any) -> Sent:
        if self.token is not None:
            request.http_request.headers["Authorization"] = f"Bearer {await self.token.get()}"
        assert self.next is not None  # the pipeline sets it
        return await self.next.send(request, **kwargs)


class Connectors(ConnectorFactory):  # type: ignore[misc]
    """botbuilder's connector factory, keeping one client per (service URL, audience)."""

    def __init__(
        self,
        http: ClientSession,
        app_id: str,
        password: str,
        tenant: str | None,
        login_url: str | None = None,
    ) -> None:
        self.http = http
        self.app_id = app_id
        self.password = password
        self.authority = login_url or (
            AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX
            + (tenant or AuthenticationConstants.DEFAULT_CHANNEL_AUTH_TENANT)
        )
        self._clients: dict[tuple[str, str], ConnectorClient] = {}
        self._tokens: dict[str, BotToken] = {}

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        scope = audience or AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
        key = (service_url, scope)
        client = self._clients.get(key)
        if client is None:
            if len(self._clients) >= MAX_CLIENTS:
                self._clients.clear()
            client = self._clients[key] = self._build(service_url, scope)
        return client

    def token(self, scope: str) -> BotToken | None:
        """The bot's token for `scope` (shared by every client that needs it), None without
        an app id: loopback mode sends no token."""
        if not self.app_id:
            return None
        token = self._tokens.get(scope)
        if token is None:
            token = self._tokens[scope] = BotToken(
                self.http, self.authority, self.app_id, self.password, scope
            )
        return token

    def _build(self, service_url: str, scope: str) -> ConnectorClient:
        sender = _Send(self.http)
        authorize = _Authorize(self.token(scope))

        def pipeline(config: Any) -> Pipeline:
            policies = [config.user_agent_policy, authorize, RawDeserializer()]
            return AsyncPipeline(policies, sender)

        # The credentials msrest insists on are never used: `_Authorize` signs each request.
        client = ConnectorClient(_Unused(), base_url=service_url, pipeline_type=pipeline)
        client.config.add_user_agent(USER_AGENT)
        return client


class _Unused:
    """A stand-in for msrest's credentials object, which our pipeline never asks."""
