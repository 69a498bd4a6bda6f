"""The dashboard as an aiohttp sub-application, mounted at /dashboard by `serve` and the console.

Every response carries a strict Content-Security-Policy (no script at all, styles and images
from this origin only, charts also inline as data), and is never cached: it holds someone's
numbers.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.config import AppConfig, Settings
from bot.dispatch import Dispatcher
from rituals.core.context import Clock
from web.auth import Keys
from web.secret import web_secret
from web.slack_sign_in import SlackSignIn

PREFIX = "/dashboard"
STATIC = Path(__file__).parent / "static"

_RULES = (
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
)
POLICY = "; ".join((*_RULES, "frame-ancestors 'none'"))
# Teams' personal tab frames the page at TAB, and only Teams may: its web and desktop clients,
# and Teams inside Microsoft 365. Every other page still refuses any frame.
TAB = "/tab"
TEAMS_FRAMES = (
    "https://teams.microsoft.com",
    "https://*.teams.microsoft.com",
    "https://*.office.com",
)
TAB_POLICY = "; ".join((*_RULES, "frame-ancestors " + " ".join(TEAMS_FRAMES)))


@dataclass(frozen=True)
class Dashboard:
    """What the page's handlers need: the dispatcher every read and form goes through, the
    keys that sign its cookies, and the clock sessions expire by."""

    dispatcher: Dispatcher
    keys: Keys
    clock: Clock
    # Sign in with Slack, where the Slack app installs through OAuth (it has a client secret).
    slack: SlackSignIn | None = None


DASHBOARD = web.AppKey("dashboard", Dashboard)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The headers every page and picture leaves with, errors included."""
    policy = TAB_POLICY if request.match_info.route.name == "tab" else POLICY
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        _guard(exc.headers, policy)
        raise
    _guard(response.headers, policy)
    return response


def _guard(headers: MutableMapping[str, str], policy: str) -> None:
    headers["Content-Security-Policy"] = policy
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cache-Control"] = "no-store"


def dashboard_app(make: Callable[[], Dashboard]) -> web.Application:
    """The sub-application; `make` runs at start, once the parent's dispatcher exists."""
    from web import views  # the handlers need DASHBOARD from here

    app = web.Application(middlewares=[guarded])

    async def ready(app: web.Application) -> AsyncIterator[None]:
        app[DASHBOARD] = make()
        yield

    app.cleanup_ctx.append(ready)
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["kind"] = lambda value: type(value).__name__
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    app.router.add_get("/", views.page, name="page")
    app.router.add_get(TAB, views.tab, name="tab")
    app.router.add_get("/sign-in/{link}", views.sign_in_page)
    app.router.add_post("/sign-in", views.sign_in)
    app.router.add_post("/sign-out", views.sign_out)
    app.router.add_get("/people/{member}", views.person_page)
    app.router.add_get("/charts/{kpi}.png", views.chart)
    app.router.add_post("/forms", views.submit)
    app.router.add_post("/press", views.press)
    app.router.add_get("/slack", views.slack_start)
    app.router.add_get("/slack/callback", views.slack_callback)
    app.router.add_static("/static", STATIC)
    return app


def with_address(config: AppConfig, url: str) -> AppConfig:
    """The settings with the page's address filled in, unless app.yaml names one already."""
    if config.dashboard.url is not None:
        return config
    dashboard = config.dashboard.model_copy(update={"url": url.rstrip("/")})
    return config.model_copy(update={"dashboard": dashboard})


def make_dashboard(
    settings: Settings, config: AppConfig, dispatcher: Dispatcher, clock: Clock
) -> Dashboard:
    """The page's parts from the settings: its cookies are Secure when it is served over https."""
    url = config.dashboard.url or settings.public_url
    secret = web_secret(settings.web_secret, settings.web_secret_file)
    secure = url.startswith("https://")
    keys = Keys(secret, timedelta(hours=config.dashboard.session_hours), secure)
    slack = None
    if settings.slack_client_id and settings.slack_client_secret:
        slack = SlackSignIn(
            settings.slack_client_id,
            settings.slack_client_secret,
            settings.slack_api_url,
            url,
            secret,
            secure,
        )
    return Dashboard(dispatcher, keys, clock, slack)
