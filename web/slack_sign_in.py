"""Sign in with Slack (OpenID Connect), for a workspace that installed the app through OAuth.

The page sends the browser to Slack with a random `state`, kept signed in a cookie; Slack sends
it back with a code, which we exchange (server to server, with the app's secret) for a token
and then for who the person is: their Slack user and workspace. Only someone the bot already
knows in that workspace gets a session; nobody is created by a web sign-in.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from aiohttp import web
from itsdangerous import BadSignature, URLSafeTimedSerializer
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

AUTHORIZE = "https://slack.com/openid/connect/authorize"
STATE_COOKIE = "kpicoach_slack_state"
STATE_SECONDS = 600
CALLBACK = "/dashboard/slack/callback"


@dataclass(frozen=True)
class SlackSignIn:
    """The Slack app's OAuth client, and where Slack sends people back."""

    client_id: str
    client_secret: str
    api_url: str
    page_url: str
    secret: str
    secure: bool

    @property
    def redirect_uri(self) -> str:
        return self.page_url.rstrip("/") + CALLBACK

    def _states(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt="dashboard-slack-state")

    def start(self) -> web.Response:
        """To Slack, with a state only this browser can bring back."""
        state = secrets.token_hex(16)
        query = urlencode(
            {
                "response_type": "code",
                "scope": "openid profile",
                "client_id": self.client_id,
                "state": state,
                "nonce": secrets.token_hex(16),
                "redirect_uri": self.redirect_uri,
            }
        )
        response = web.Response(status=303, headers={"Location": f"{AUTHORIZE}?{query}"})
        response.set_cookie(
            STATE_COOKIE,
            self._states().dumps(state),
            max_age=STATE_SECONDS,
            path="/",
            httponly=True,
            secure=self.secure,
            samesite="Lax",  # Slack's redirect back is a top-level GET from another site
        )
        return response

    def state_fits(self, request: web.Request) -> bool:
        given = request.query.get("state", "")
        try:
            kept = self._states().loads(
                request.cookies.get(STATE_COOKIE, ""), max_age=STATE_SECONDS
            )
        except BadSignature:
            return False
        return isinstance(kept, str) and bool(given) and secrets.compare_digest(kept, given)

    async def who(self, code: str) -> tuple[str, str] | None:
        """The Slack workspace and user a code vouches for; None when Slack says no."""
        try:
            issued = await AsyncWebClient(base_url=self.api_url).openid_connect_token(
                client_id=self.client_id,
                client_secret=self.client_secret,
                code=code,
                redirect_uri=self.redirect_uri,
            )
            token = str(issued["access_token"])
            info = await AsyncWebClient(
                token=token, base_url=self.api_url
            ).openid_connect_userInfo()
        except (SlackApiError, KeyError, OSError):
            log.warning("Sign in with Slack: the code was not accepted", exc_info=True)
            return None
        team = info.get("https://slack.com/team_id")
        user = info.get("https://slack.com/user_id") or info.get("sub")
        if not isinstance(team, str) or not isinstance(user, str):
            return None
        return team, user
