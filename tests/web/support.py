"""The dashboard served for real: a migrated database of its own, the demo's Slack workspaces
(T1: Lea leads Ana and Ben; T2: Zed leads Yan), the real dispatcher, and the sub-application on
a free loopback port. Links come from the `dashboard` command, as a person would get them."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import load_app_config
from bot.dispatch import Dispatcher
from bot.grammar import build_grammar
from storage.engine import make_engine, make_sessionmaker
from tests.conftest import NOW
from tests.support import ROOT, MovingClock, seed_people, text_of, who
from web.app import Dashboard, with_address
from web.auth import Keys
from web.local import address, local_socket, served
from web.slack_sign_in import SlackSignIn

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = ROOT / "test-output" / "web"


def chromium_or_skip() -> str:
    """Debian's chromium; without it the browser tests skip here, and fail in CI."""
    path = shutil.which(CHROMIUM) or shutil.which("chromium")
    if path is None:
        reason = f"no chromium at {CHROMIUM}: the dashboard's browser tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true, so this fails rather than skips)")
        pytest.skip(reason)
    return path


@dataclass
class Site:
    url: str
    dispatcher: Dispatcher
    sessions: async_sessionmaker[AsyncSession]
    clock: MovingClock

    async def link(self, user: str, workspace: str = "T1") -> str:
        """A fresh one-time link, from the bot's DM to this person."""
        said = text_of(await self.dispatcher.handle_text(who(user, workspace), "dashboard"))
        found = re.search(r"https?://\S+/dashboard/sign-in/[A-Za-z0-9_-]+", said)
        assert found, said
        return found.group(0)

    async def say(self, user: str, text: str, workspace: str = "T1") -> str:
        return text_of(await self.dispatcher.handle_text(who(user, workspace), text))


@asynccontextmanager
async def running_site(
    url: str, secure: bool = False, slack_api: str | None = None
) -> AsyncIterator[Site]:
    """The dashboard on a free port over the database at `url` (migrated), people seeded;
    with `slack_api`, Sign in with Slack asks that Web API who people are."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    clock = MovingClock(NOW)
    async with sessions() as session, session.begin():
        await seed_people(session, clock)
    sock = local_socket(0)
    config = with_address(load_app_config(ROOT / "app.yaml"), address(sock))
    dispatcher = Dispatcher(sessions, build_grammar(config.commands.slash), clock, config)
    secret = "a test secret that is long enough to sign with"
    keys = Keys(secret, timedelta(hours=8), secure)
    slack = None
    if slack_api is not None:
        slack = SlackSignIn("C0CLIENT", "client-secret", slack_api, address(sock), secret, secure)
    site = Site(address(sock), dispatcher, sessions, clock)
    try:
        async with served(sock, lambda: Dashboard(dispatcher, keys, clock, slack)):
            yield site
    finally:
        await engine.dispose()


def output_folder() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


async def signed_in(browser: Browser, site: Site, user: str, width: int = 1280) -> Page:
    """A fresh browser context signed in as `user` through the link the bot sends."""
    context = await browser.new_context(viewport={"width": width, "height": 900})
    page = await context.new_page()
    await page.goto(await site.link(user))
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("dashboard")
    return page


async def serious_findings(page: Page) -> tuple[list[dict[str, object]], str]:
    """axe-core's serious and critical findings on the page, and its report to show them."""
    results = await Axe().run(page)
    violations: list[dict[str, object]] = results.response["violations"]
    serious = [v for v in violations if v.get("impact") in {"serious", "critical"}]
    return serious, results.generate_report()
