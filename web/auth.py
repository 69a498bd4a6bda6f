"""Signed cookies and form tokens for the dashboard, with itsdangerous; sessions in the store.

The cookie carries a session's random secret, signed and dated, so a forged or stale cookie is
turned away before the database is asked; the database (by the secret's hash) says whether the
session is still open, so signing out ends it everywhere. A form token is the session's hash,
signed with another salt: a page from another site cannot know it.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web
from itsdangerous import BadSignature, URLSafeTimedSerializer

from storage.sign_ins import digest

COOKIE = "kpicoach_dashboard"
# A cookie only https can set, bound to this host and path: `__Host-` makes browsers enforce it.
SECURE_COOKIE = "__Host-kpicoach_dashboard"
# The sign-in page's own token, so no other site can sign a browser in as someone else.
SIGN_IN_COOKIE = "kpicoach_sign_in"
# How long the sign-in page's button stays good.
SIGN_IN_SECONDS = 3600


@dataclass(frozen=True)
class Keys:
    """The signer for sessions and form tokens, and how the cookie is set."""

    secret: str
    session_length: timedelta
    secure: bool

    @property
    def cookie(self) -> str:
        return SECURE_COOKIE if self.secure else COOKIE

    def _sessions(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt="dashboard-session")

    def _forms(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt="dashboard-form")

    def set_cookie(self, response: web.StreamResponse, session_secret: str) -> None:
        response.set_cookie(
            self.cookie,
            self._sessions().dumps(session_secret),
            max_age=int(self.session_length.total_seconds()),
            path="/",
            httponly=True,
            secure=self.secure,
            samesite="Lax",
        )

    def clear_cookie(self, response: web.StreamResponse) -> None:
        response.del_cookie(self.cookie, path="/", secure=self.secure, samesite="Lax")

    def session_secret(self, request: web.Request) -> str | None:
        """The session's secret from a cookie we signed, not older than a session lasts."""
        signed = request.cookies.get(self.cookie)
        if not signed:
            return None
        try:
            value = self._sessions().loads(signed, max_age=int(self.session_length.total_seconds()))
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    def sign_in_token(self) -> str:
        """A fresh token for the sign-in form; `set_sign_in_cookie` gives its signed twin to
        the browser. A form posted from another site has neither the cookie (SameSite) nor
        the token to match it."""
        return secrets.token_hex(16)

    def set_sign_in_cookie(self, response: web.StreamResponse, token: str) -> None:
        response.set_cookie(
            ("__Host-" if self.secure else "") + SIGN_IN_COOKIE,
            self._sign_ins().dumps(token),
            max_age=SIGN_IN_SECONDS,
            path="/",
            httponly=True,
            secure=self.secure,
            samesite="Strict",
        )

    def sign_in_token_fits(self, request: web.Request, token: str) -> bool:
        signed = request.cookies.get(("__Host-" if self.secure else "") + SIGN_IN_COOKIE, "")
        try:
            value = self._sign_ins().loads(signed, max_age=SIGN_IN_SECONDS)
        except BadSignature:
            return False
        return isinstance(value, str) and bool(token) and hmac.compare_digest(value, token)

    def _sign_ins(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt="dashboard-sign-in")

    def form_token(self, session_secret: str) -> str:
        return self._forms().dumps(digest(session_secret))

    def form_token_fits(self, token: str, session_secret: str) -> bool:
        try:
            value = self._forms().loads(token, max_age=int(self.session_length.total_seconds()))
        except BadSignature:
            return False
        return isinstance(value, str) and value == digest(session_secret)
