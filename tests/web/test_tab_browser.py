"""Teams' personal tab in a real browser: a page at teams.microsoft.com frames the tab's page,
which tells a signed-out person how to sign in from the chat; another site cannot frame it,
and Teams cannot frame any other page of the dashboard."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Frame, Page, Route

from tests.web.support import Site

pytestmark = pytest.mark.asyncio(loop_scope="module")

SAID = "type `dashboard` in the chat with the bot"


async def _framed(browser: Browser, parent: str, src: str) -> tuple[Page, Frame]:
    """`parent` (served here in Teams' place, never fetched) framing the page at `src`."""
    context = await browser.new_context()
    await context.grant_permissions(["local-network-access"])
    page = await context.new_page()

    async def host(route: Route) -> None:
        body = f'<!doctype html><title>host</title><iframe src="{src}"></iframe>'
        await route.fulfill(status=200, content_type="text/html", body=body)

    await page.route(parent + "**", host)
    async with page.expect_event("framenavigated", lambda f: f != page.main_frame) as framed:
        await page.goto(parent)
    frame: Frame = await framed.value
    await frame.wait_for_load_state()
    return page, frame


async def _text(frame: Frame) -> str:
    try:
        return await frame.inner_text("body", timeout=2000)
    except Exception:  # a refused frame has no page of ours to read
        return ""


async def test_only_teams_frames_the_tab_page(browser: Browser, site: Site) -> None:
    tab = f"{site.url}/dashboard/tab"
    page, frame = await _framed(browser, "https://teams.microsoft.com/", tab)
    assert SAID in await _text(frame)
    await page.context.close()

    page, frame = await _framed(browser, "https://team.contoso.example/", tab)
    assert SAID not in await _text(frame)
    await page.context.close()

    page, frame = await _framed(browser, "https://teams.microsoft.com/", f"{site.url}/dashboard/")
    assert "Please sign in" not in await _text(frame)
    await page.context.close()
