"""The outbox's way into Slack: post a stored message, and say what became of it.

Retries belong to the outbox worker, not to slack_sdk: a 429 must give the row back with its
Retry-After and slow the whole workspace, rather than hold a worker asleep inside one call.
Each post carries the outbox row's id as message metadata, so after a crash the worker can
read the DM's history and see whether a row it was sending had arrived.

A post is plain JSON on the shared aiohttp session, not a slack_sdk call: the client's request
machinery and Block Kit model objects were most of the CPU a sent message cost. A fan-out's
messages share most of their blocks (the heading, the lead's line, the buttons, the footer),
so each stored block is rendered once and its Block Kit reused for every message that has it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import ClientError, ClientSession
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.payload import decode, decode_block, thread_of
from bot.sender import CannotAsk, Failed, Result, Retry, Sent, Unsure
from bot.slack.render import (
    FALLBACK_TEXT,
    MESSAGE_BLOCKS,
    Rendered,
    SlackMessage,
    clip,
    escape,
    render_message,
)
from rituals.core.messages import Audience, Message, block_text
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
# Rendered blocks kept at most: a fan-out has a few per team plus one or two per person.
MEMO_BLOCKS = 20_000


class Refused(Exception):
    """Slack answered a post with an error: its HTTP status, error code and headers."""

    def __init__(self, status: int, error: str, headers: Mapping[str, str]) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.headers = headers


class BlockMemo:
    """Block Kit and fallback text per stored block, rendered once: rendering is pure, and
    messages of one fan-out repeat most of their blocks word for word."""

    def __init__(self, limit: int = MEMO_BLOCKS) -> None:
        self.limit = limit
        self._seen: dict[str, tuple[list[dict[str, Any]], str]] = {}

    def render(self, payload: Mapping[str, Any]) -> Rendered:
        stored = payload["blocks"]
        if any("image" in b or "file" in b for b in stored):
            return render_message(decode(dict(payload)))  # uploads: rare, rendered whole
        blocks: list[dict[str, Any]] = []
        texts: list[str] = []
        for data in stored:
            key = json.dumps(data)
            done = self._seen.get(key)
            if done is None:
                if len(self._seen) >= self.limit:
                    self._seen.clear()
                block = decode_block(data)
                done = (render_message(Message((block,))).parts[0].blocks, block_text(block))
                self._seen[key] = done
            blocks += done[0]
            texts.append(done[1])
        if len(blocks) > MESSAGE_BLOCKS:
            return render_message(decode(dict(payload)))  # parts: rare, rendered whole
        fallback = clip(escape("\n".join(texts)), FALLBACK_TEXT) or "kpi-coach"
        return Rendered([SlackMessage(fallback, blocks)], [])


class SlackSender:
    def __init__(self, token_for: TokenFor, base_url: str, session: ClientSession) -> None:
        self.token_for = token_for
        self.base_url = base_url
        self.session = session
        self._clients: dict[str, AsyncWebClient] = {}
        self._post_url = base_url.rstrip("/") + "/chat.postMessage"
        self._memo = BlockMemo()

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
        token = await self.token_for(item.workspace)
        if token is None:
            return Failed("the app is not installed in this workspace any more")
        rendered = self._memo.render(item.payload)
        thread = thread_of(item.payload)
        metadata = {"event_type": EVENT_TYPE, "event_payload": {"outbox_id": item.id}}
        try:
            for i, part in enumerate(rendered.parts):
                body: dict[str, Any] = {
                    "channel": item.target,
                    "text": part.text,
                    "blocks": part.blocks,
                }
                if i == 0:
                    body["metadata"] = metadata
                if thread:
                    body["thread_ts"] = thread
                await self._post(token, body)
            if rendered.uploads:
                await self._upload(item, rendered)
        except Refused as exc:
            return _judge(exc.status, exc.error, exc.headers)
        except SlackApiError as exc:
            return _judge_error(exc)
        except (ClientError, TimeoutError) as exc:
            return Retry(f"could not reach Slack: {type(exc).__name__}")
        return Sent()

    async def _post(self, token: str, body: dict[str, Any]) -> None:
        """chat.postMessage as JSON; raises Refused with what Slack said when it refused."""
        headers = {"Authorization": f"Bearer {token}"}
        async with self.session.post(self._post_url, json=body, headers=headers) as response:
            try:
                answer = await response.json(content_type=None)
            except ValueError:
                answer = None
            if not isinstance(answer, dict):
                raise Refused(response.status, "", response.headers)
            if response.status >= 400 or not answer.get("ok"):
                raise Refused(response.status, str(answer.get("error") or ""), response.headers)

    async def _upload(self, item: Claimed, rendered: Rendered) -> None:
        client = await self._client(item.workspace)
        if client is None:
            raise Refused(200, "not_authed", {})
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
            judged = _judge_error(exc)
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


def _judge_error(exc: SlackApiError) -> Result:
    response = exc.response
    raw = response.headers or {}
    headers = {k: str(v[0] if isinstance(v, list) else v) for k, v in raw.items()}
    return _judge(response.status_code, str(response.get("error") or ""), headers)


def _judge(status: int, error: str, headers: Mapping[str, str]) -> Result:
    """A refusal that will pass (wait, or ask whether it arrived) or one that will not."""
    if status == 429 or error == "ratelimited":
        after = {k.lower(): v for k, v in headers.items()}.get("retry-after")
        return Retry("Slack is rate limiting this workspace", after=float(after or 30))
    if status >= 500 or error in TRANSIENT:
        # Slack may have posted it before failing: the row is asked about before it is resent.
        return Unsure(f"Slack answered {status} {error}".strip())
    return Failed(GONE.get(error, f"Slack refused it: {error or status}"))
