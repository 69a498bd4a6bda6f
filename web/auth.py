"""Signed cookies and form tokens for the dashboard, with itsdangerous; sessions in the store.

The cookie carries a session's random secret, signed and dated, so a forged or stale cookie is
turned away before the database is asked; the database (by the secret's hash) says whether the
session is still open, so signing out ends it everywhere. A form token is the session's hash,
signed with another salt: a page from another site cannot know it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web
from itsdangerous import BadSignature, URLSafeTimedSerializer

from storage.sign_ins import digest

COOKIE = "kpicoach_dashboard"
# A cookie only https can set, bound to this host and path: `__Host-` makes browsers enforce it.
SECURE_COOKIE = "__Host-kpicoach_dashboard"


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

    def form_token(self, session_secret: str) -> str:
        return self._forms().dumps(digest(session_secret))

    def form_token_fits(self, token: str, session_secret: str) -> bool:
        try:
            value = self._forms().loads(token, max_age=int(self.session_length.total_seconds()))
        except BadSignature:
            return False
        return isinstance(value, str) and value == digest(session_secret)
