"""A local stand-in for the Bot Connector service that Teams activities name as `serviceUrl`.

It speaks the Bot Framework REST shapes (v3/conversations...), records every activity the bot
sends, answers member lookups from a roster, and can be told to refuse: a status (429 with
Retry-After, 403, 502...) for the next requests into a conversation.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web


@dataclass
class Sent:
    conversation: str
    activity: dict[str, Any]
    reply_to: str | None = None
    updated: bool = False  # a PUT: the bot replaced the activity `reply_to` names
    authorization: str | None = None  # the bot's own token, as the connector received it

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.activity.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    @property
    def text(self) -> str:
        """Every TextBlock, fact and button title in the activity's cards, in order."""
        out: list[str] = [self.activity.get("text") or ""]
        for card in self.cards:
            _walk(card, out)
        return "\n".join(t for t in out if t)


def _walk(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            out.append(str(node.get("text", "")))
        elif node.get("type") == "Fact" or ("title" in node and "value" in node):
            out.append(f"{node.get('title')}: {node.get('value')}")
        elif str(node.get("type", "")).startswith("Action."):
            out.append(f"[{node.get('title')}]")
        for key, value in node.items():
            if key != "msteams":
                _walk(value, out)
    elif isinstance(node, list):
        for value in node:
            _walk(value, out)


@dataclass
class MockConnector:
    # Teams id -> the member as GET .../members/{id} returns it
    roster: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    # conversation id -> statuses to answer, one per request, before accepting
    refuse: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    refused: list[tuple[str, int]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # as they arrived, still percent-encoded
    url: str = ""
    _runner: web.AppRunner | None = None

    def add_member(self, teams_id: str, name: str, aad: str) -> None:
        self.roster[teams_id] = {
            "id": teams_id,
            "name": name,
            "aadObjectId": aad,
            "givenName": name.split()[0],
            "userPrincipalName": f"{name.split()[0].lower()}@example.org",
            "tenantId": "t",
            "userRole": "user",
        }

    def to(self, conversation: str) -> list[Sent]:
        return [s for s in self.sent if s.conversation == conversation]

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        app.router.add_put("/upload/{name}", self._upload)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _refusal(self, conversation: str) -> web.Response | None:
        waiting = self.refuse.get(conversation)
        if not waiting:
            return None
        status = waiting.pop(0)
        self.refused.append((conversation, status))
        headers = {"Retry-After": "1"} if status == 429 else {}
        body = {"error": {"code": "Refused", "message": f"mock refused with {status}"}}
        return web.json_response(body, status=status, headers=headers)

    async def _send(self, request: web.Request) -> web.Response:
        self.paths.append(request.raw_path)
        conversation = unquote(request.match_info["conversation"])
        refusal = self._refusal(conversation)
        if refusal is not None:
            return refusal
        activity = await request.json()
        replied = request.match_info.get("activity")
        authorization = request.headers.get("Authorization")
        self.sent.append(Sent(conversation, activity, replied, authorization=authorization))
        return web.json_response({"id": uuid.uuid4().hex[:12]})

    async def _update(self, request: web.Request) -> web.Response:
        conversation = unquote(request.match_info["conversation"])
        activity = await request.json()
        self.sent.append(Sent(conversation, activity, request.match_info["activity"], True))
        return web.json_response({"id": request.match_info["activity"]})

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        member = body["members"][0]["id"]
        refusal = self._refusal(member)
        if refusal is not None:
            return refusal
        self.created.append(body)
        conversation = f"a:chat-with-{member}"
        return web.json_response({"id": conversation, "activityId": None}, status=201)

    async def _member(self, request: web.Request) -> web.Response:
        member = self.roster.get(unquote(request.match_info["member"]))
        if member is None:
            body = {"error": {"code": "MemberNotFoundInConversation", "message": "not found"}}
            return web.json_response(body, status=404)
        return web.json_response(member)

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["name"]] = await request.read()
        return web.json_response({"id": "file"}, status=201)
