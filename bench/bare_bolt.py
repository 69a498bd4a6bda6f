"""The baseline for bench/slack_ack.py: a Bolt app whose one listener only acks, on aiohttp.

Same framework, same adapter, same signature check as ours; no database, no work after the ack.
It keeps Bolt's default runner settings, as a fresh Bolt app has them: `process_before_response`
is False, so the listener runs as a task and the request waits for its ack by polling every
10 ms (slack_bolt 1.x, listener/asyncio_runner.py); no lazy listeners, no middleware of its own,
request verification on. Our server sets `process_before_response=True` and answers when its
listener returns.
"""

from __future__ import annotations

import os

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

app = AsyncApp(
    client=AsyncWebClient(
        token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]
    ),
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
)


@app.command("/kpi")
async def ack_only(ack) -> None:  # type: ignore[no-untyped-def]
    await ack()


async def events(request: web.Request) -> web.Response:
    return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))


if __name__ == "__main__":
    server = web.Application()
    server.router.add_post("/slack/events", events)
    web.run_app(server, host="127.0.0.1", port=int(os.environ["PORT"]), print=None)
