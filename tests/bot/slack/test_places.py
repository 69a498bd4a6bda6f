"""A Place per request, on one Web API client per bot token, built once and kept."""

from __future__ import annotations

from aiohttp import ClientSession
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.app import retry_handlers
from bot.slack.deliver import Places

API = "http://127.0.0.1:9/api/"


async def test_one_client_per_token_shares_the_pool_and_the_retries() -> None:
    async with ClientSession() as session:
        retries = retry_handlers()
        places = Places(API, session, retries)
        first = places.at(AsyncWebClient(token="xoxb-a"), "U1", "C1", "https://hook", "t1")
        again = places.at(AsyncWebClient(token="xoxb-a"), "U2", None, None, None)
        other = places.at(AsyncWebClient(token="xoxb-b"), "U1", None, None, None)

        assert first.client is again.client
        assert other.client is not first.client
        assert (first.client.token, other.client.token) == ("xoxb-a", "xoxb-b")
        assert first.client.base_url == API
        assert first.client.session is session
        assert first.client.retry_handlers is retries
        assert (first.retry_handlers, first.session) == (retries, session)
        assert (first.user_id, first.channel_id, first.response_url, first.trigger_id) == (
            "U1",
            "C1",
            "https://hook",
            "t1",
        )
        assert (again.user_id, again.channel_id, again.response_url) == ("U2", None, None)
