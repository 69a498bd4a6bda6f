"""The growth lab's parts of the dashboard and Teams' personal tab in a real browser.

At a phone's width the skills heat-map, open experiments and budget fit and pass axe-core. A
page at teams.microsoft.com frames the tab's page, which tells a signed-out person how to sign
in from the chat; another site cannot frame it, and Teams cannot frame any other page."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Frame, Page, Route, expect

from tests.rituals.budgets.support import number
from tests.web.support import Site, output_folder, serious_findings, signed_in
from tests.web.test_growth_lab import SKILLS_ON

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


async def test_the_growth_lab_reads_well_at_a_phones_width(browser: Browser, site: Site) -> None:
    assert "skills heat-map" in await site.say("lea", SKILLS_ON)
    assert "Added" in await site.say("lea", 'skill add "Discovery calls"')
    await site.say("ana", 'rate "Discovery calls" as 4')
    said = await site.say(
        "ana", 'propose "Demos" target 4 demos per week growth "run demos on my own"'
    )
    kpi = number(said, "Proposed")
    assert "Active" in await site.say("lea", f"activate {kpi}")
    await site.say("ana", f'experiment {kpi} "show the product before the slides"')

    page = await signed_in(browser, site, "ana", 375)
    await page.wait_for_load_state("networkidle")
    await expect(page.get_by_role("region", name="Your open experiments")).to_contain_text(
        "show the product before the slides"
    )
    await expect(page.get_by_role("region", name="Your experiment budget")).to_contain_text(
        "8 of 8 hours left"
    )
    heat_map = page.get_by_role("region", name="Skills heat-map").get_by_role("img")
    assert await heat_map.evaluate("img => img.complete && img.naturalWidth > 0")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide at 375px"
    shot = output_folder() / "dashboard-growth-lab-375.png"
    await page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    serious, report = await serious_findings(page)
    assert not serious, report
    await page.context.close()
