"""The outbox's way into Slack: post a stored message, and say what became of it.

Retries belong to the outbox worker, not to slack_sdk: a 429 must give the row back with its
Retry-After and slow the whole workspace, rather than hold a worker asleep inside one call.
Each post carries the outbox row's id as message metadata, so after a crash the worker can
read the DM's history and see whether a row it was sending had arrived.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import ClientError, ClientSession
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import CannotAsk, Failed, Result, Retry, Sent, Unsure
from bot.payload import decode, thread_of
from bot.slack.render import render_message
from rituals.core.messages import Audience
from storage.outbox import Claimed

EVENT_TYPE = "kpi_coach_outbox"
TRANSIENT = {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
# What a permanent refusal means, in words an operator reading `kpicoach outbox` can act on.
GONE = {
    "user_not_found": "the person is not in the workspace any more",
    "account_inactive": "the account was deactivated",
    "user_disabled": "the account was deactivated",
    "cannot_dm_bot": "the recipient is a bot",
    "not_in_channel": "the app is not a member of that channel",
    "channel_not_found": "the channel does not exist or is private to the app",
    "is_archived": "the channel is archived",
    "invalid_auth": "the app's token is no longer valid (removed or reinstalled?)",
    "token_revoked": "the app was removed from the workspace",
    "not_authed": "the app has no token for this workspace",
}

TokenFor = Callable[[str], Awaitable[str | None]]


class SlackSender:
    def __init__(self, token_for: TokenFor, base_url: str, session: ClientSession) -> None:
        self.token_for = token_for
        self.base_url = base_url
        self.session = session
        self._clients: dict[str, AsyncWebClient] = {}

    async def _client(self, workspace: str) -> AsyncWebClient | None:
        token = await self.token_for(workspace)
        if token is None:
            return None
        if token not in self._clients:
            self._clients[token] = AsyncWebClient(
                token=token, base_url=self.base_url, session=self.session, retry_handlers=[]
            )
        return self._clients[token]

    async def send(self, item: Claimed) -> Result:
        client = await self._client(item.workspace)
        if client is None:
            return Failed("the app is not installed in this workspace any more")
        rendered = render_message(decode(item.payload))
        thread = thread_of(item.payload)
        metadata = {"event_type": EVENT_TYPE, "event_payload": {"outbox_id": item.id}}
        try:
            for i, part in enumerate(rendered.parts):
                await client.chat_postMessage(
                    channel=item.target,
                    text=part.text,
                    blocks=part.blocks,
                    metadata=metadata if i == 0 else None,
                    thread_ts=thread,
                )
            if rendered.uploads:
                channel = item.target
                if channel.startswith(("U", "W")):
                    channel = (await client.conversations_open(users=channel))["channel"]["id"]
                for upload in rendered.uploads:
                    await client.files_upload_v2(
                        channel=channel,
                        content=upload.data,
                        filename=upload.name,
                        title=upload.title,
                    )
        except SlackApiError as exc:
            return _judge(exc)
        except (ClientError, TimeoutError) as exc:
            return Retry(f"could not reach Slack: {type(exc).__name__}")
        return Sent()

    async def delivered(self, item: Claimed) -> bool | None:
        """Look for the row's metadata in the DM's recent history; channels go unchecked (the
        app does not ask to read channels just for this)."""
        if decode(item.payload).audience is not Audience.DM:
            return None
        client = await self._client(item.workspace)
        if client is None:
            return None
        try:
            opened = await client.conversations_open(users=item.target)
            history = await client.conversations_history(
                channel=opened["channel"]["id"], limit=50, include_all_metadata=True
            )
        except SlackApiError as exc:
            judged = _judge(exc)
            after = judged.after if isinstance(judged, Retry | Unsure) else None
            raise CannotAsk(
                f"could not read the DM's history: {exc.response.get('error')}", after
            ) from None
        except (ClientError, TimeoutError) as exc:
            raise CannotAsk(f"could not reach Slack: {type(exc).__name__}") from None
        messages = history.get("messages")
        if not isinstance(messages, list):
            raise CannotAsk("Slack's answer held no history to look in")
        # An empty history is an answer: nothing is there, so the row never arrived.
        return any(_is_row(m, item.id) for m in messages if isinstance(m, dict))


def _is_row(message: dict[str, Any], row_id: int) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return metadata.get("event_type") == EVENT_TYPE and payload.get("outbox_id") == row_id


def _judge(exc: SlackApiError) -> Result:
    """A refusal that will pass (wait, or ask whether it arrived) or one that will not."""
    response = exc.response
    error = str(response.get("error") or "")
    if response.status_code == 429 or error == "ratelimited":
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        raw = headers.get("retry-after")
        after = raw[0] if isinstance(raw, list) else raw
        return Retry("Slack is rate limiting this workspace", after=float(after or 30))
    if response.status_code >= 500 or error in TRANSIENT:
        # Slack may have posted it before failing: the row is asked about before it is resent.
        return Unsure(f"Slack answered {response.status_code} {error}".strip())
    return Failed(GONE.get(error, f"Slack refused it: {error or response.status_code}"))
