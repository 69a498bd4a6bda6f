"""A local stand-in for Slack's servers: the Web API, response_url hooks, uploads, Socket Mode.

It speaks Slack's wire format (form, query or JSON in; `{"ok": ...}` JSON out, 429 with
Retry-After) and records every call, so tests assert on exactly what the bot sent.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

ACK = "ack"
ANSWER = "answer"
ANSWERS = {ACK, "response_url"}


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None


@dataclass
class MockSlack:
    team_id: str = "T0AB12CD3"
    bot_user_id: str = "U0BOT0001"
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    # method -> how many 429s to answer before succeeding
    rate_limited: dict[str, int] = field(default_factory=dict)
    retry_after: str = "1"  # the Retry-After those 429s carry
    # channel ids the bot is not a member of
    not_in: set[str] = field(default_factory=set)
    # method -> the error Slack answers it with, every time
    failing: dict[str, str] = field(default_factory=dict)
    # method -> how many HTTP 500s to answer before recovering (an outage)
    down: dict[str, int] = field(default_factory=dict)
    # seconds each chat.postMessage takes, as a real round trip would
    latency: float = 0.0
    # method -> an event the test sets: until then, calls to it wait (a slow Slack, on cue)
    held: dict[str, asyncio.Event] = field(default_factory=dict)
    # channel -> messages posted there (a user id as the channel means the app's DM with them)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Socket Mode: envelopes to push to the connected client, and the acks it sent back
    envelopes: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    _runner: web.AppRunner | None = None

    def add_user(
        self,
        user_id: str,
        name: str,
        tz: str = "Europe/Berlin",
        team_id: str | None = None,
        **extra: Any,
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": team_id or self.team_id,
            "name": name.lower(),
            "real_name": name,
            "tz": tz,
            "is_bot": False,
            "deleted": False,
            "profile": {"display_name": name, "real_name": name},
            **extra,
        }

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{hook}", self._response_url)
        app.router.add_post("/upload/{file}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return f"{self.url}/api/"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what tests read ------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        """The calls to `method`; ANSWER stands for every answer to an asker, wherever it came:
        in the ack's body (recorded by the test client) or posted to a response_url."""
        wanted = ANSWERS if method == ANSWER else {method}
        return [c for c in self.calls if c.method in wanted]

    def acked(self, body: dict[str, Any]) -> None:
        """An ack that carried an answer: recorded beside the calls, in arrival order."""
        self.calls.append(Call(ACK, body, None))

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        within: float = 10.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """The bot answers after its ack, so tests wait for the calls they expect."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            found = [c for c in self.of(method) if where is None or where(c)]
            if len(found) >= count:
                return found
            if loop.time() > deadline:
                seen = [c.method for c in self.calls]
                raise AssertionError(f"expected {count} {method} call(s); saw {seen}")
            await asyncio.sleep(0.01)

    def response_url(self, hook: str = "hook") -> str:
        return f"{self.url}/response/{hook}"

    # --- the wire ---------------------------------------------------------------------------

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            form = await request.post()
            args.update({k: v for k, v in form.items() if isinstance(v, str)})
        for key in ("blocks", "view", "metadata"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        auth = request.headers.get("Authorization", "")
        self.calls.append(Call(method, args, auth.removeprefix("Bearer ") or None))
        if method in self.held:
            await self.held[method].wait()
        if self.rate_limited.get(method, 0) > 0:
            self.rate_limited[method] -= 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": self.retry_after},
            )
        if self.down.get(method, 0) > 0:
            self.down[method] -= 1
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        if method in self.failing:
            return web.json_response({"ok": False, "error": self.failing[method]})
        if method == "chat.postMessage" and self.latency:
            await asyncio.sleep(self.latency)
        return web.json_response(self._answer(method, args))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://acme.slack.com/",
                "team": "acme",
                "user": "kpi-coach",
                "team_id": self.team_id,
                "user_id": self.bot_user_id,
                "bot_id": "B0AB12CD8",
            }
        if method == "users.info":
            user = self.users.get(str(args.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method in {"chat.postMessage", "chat.postEphemeral"}:
            channel = str(args.get("channel"))
            if channel in self.not_in:
                return {"ok": False, "error": "not_in_channel"}
            if method == "chat.postMessage":
                posted = {"text": args.get("text"), "metadata": args.get("metadata")}
                self.history.setdefault(_dm(channel), []).insert(0, posted)
            return {"ok": True, "channel": channel, "ts": "1700000000.000900"}
        if method == "conversations.history":
            return {"ok": True, "messages": self.history.get(str(args.get("channel")), [])}
        if method in {"views.open", "views.publish", "views.update", "views.push"}:
            return {"ok": True, "view": {"id": "V0NEW", **(args.get("view") or {})}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": _dm(str(args.get("users")))}}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": f"{self.url}/upload/F0FILE", "file_id": "F0FILE"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F0FILE", "title": "file"}]}
        if method == "oauth.v2.access":
            return {
                "ok": True,
                "app_id": "A0AB12CD7",
                "authed_user": {"id": "U0AB12CD4"},
                "scope": "commands,chat:write",
                "token_type": "bot",
                "access_token": "xoxb-installed",
                "bot_user_id": self.bot_user_id,
                "team": {"id": self.team_id, "name": "Acme Growth"},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": self.url.replace("http", "ws") + "/socket"}
        return {"ok": False, "error": "unknown_method"}

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.calls.append(Call("response_url", body, None))
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        self.calls.append(Call("upload", {"bytes": data}, None))
        return web.Response(text=f"OK - {len(data)}")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1})

        async def push() -> None:
            while True:
                await ws.send_json(await self.envelopes.get())

        pusher = asyncio.create_task(push())
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self.socket_acks.append(json.loads(message.data))
        finally:
            pusher.cancel()
        return ws


def _dm(channel: str) -> str:
    """A user id names the app's DM with them, as Slack's own chat.postMessage allows."""
    return "D" + channel[1:] if channel.startswith(("U", "W")) else channel


def received(api: MockSlack) -> Counter[str]:
    """Messages Slack accepted, per DM."""
    return Counter({channel: len(posts) for channel, posts in api.history.items()})
