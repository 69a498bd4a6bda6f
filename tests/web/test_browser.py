"""The dashboard in a real browser (Debian's chromium through Playwright): sign in through the
link the bot sent, read the page, use its forms, and be turned away where one should be."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import pytest_asyncio
from playwright.async_api import Browser, expect

from tests.support import add_kpi, member
from tests.web.support import Site, output_folder, serious_findings, signed_in

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def _kpis_of_ana(site: Site) -> tuple[int, int]:
    """Ana's KPI with a growth goal and two values, and one that serves no goal yet."""
    async with site.sessions() as session, session.begin():
        ana = await member(session, "ana")
        led = await add_kpi(session, ana, "Qualified leads", agreed_at=site.clock.now())
        gap = await add_kpi(session, ana, "Demo calls booked", agreed_at=site.clock.now())
        gap.growth_goal = None
        gap.target = Decimal(4)
        ids = led.id, gap.id
    assert "Logged" in await site.say("ana", f"log {ids[0]} 6 period last")
    assert "Logged" in await site.say("ana", f"log {ids[0]} 8")
    return ids


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def kpis(site: Site) -> tuple[int, int]:
    return await _kpis_of_ana(site)


async def test_a_link_signs_in_and_shows_my_kpis_with_growth_goals_and_a_chart(
    browser: Browser, site: Site, kpis: tuple[int, int]
) -> None:
    charted, gap = kpis
    page = await signed_in(browser, site, "ana")
    cards = page.locator("article.card")
    # The KPI that serves no growth goal comes first, with the form to name one.
    first = cards.first
    await expect(first.get_by_role("heading", level=3)).to_have_text(f"#{gap} Demo calls booked")
    await expect(first).to_contain_text("Serves no growth goal yet")
    await expect(first.get_by_label("Which growth goal does this KPI feed?")).to_be_visible()
    card = page.locator("article.card", has=page.get_by_text(f"#{charted} Qualified leads"))
    await expect(card).to_contain_text("run discovery calls on my own")
    await expect(card).to_contain_text("10 leads per week")
    await expect(card).to_contain_text("higher is better")
    chart = card.get_by_role("img", name="Trend of Qualified leads")
    await expect(chart).to_be_visible()
    width = await chart.evaluate("img => img.naturalWidth")
    assert width > 100, "the chart did not load"
    await page.context.close()


async def test_a_growth_goal_named_on_the_page_is_the_kpis(
    browser: Browser, site: Site, kpis: tuple[int, int]
) -> None:
    _, gap = kpis
    page = await signed_in(browser, site, "ana")
    form = page.locator("article.card").first.get_by_role("form", name="Link a growth goal")
    await form.get_by_label("Which growth goal does this KPI feed?").fill(
        "lead a customer call on my own"
    )
    await form.get_by_role("button", name="Submit").click()
    await expect(page.locator("section.answers")).to_contain_text("lead a customer call")
    card = page.locator("article.card", has=page.get_by_text(f"#{gap} Demo calls booked"))
    await expect(card).to_contain_text("lead a customer call on my own")
    await expect(card).not_to_contain_text("Serves no growth goal yet")
    assert "lead a customer call on my own" in await site.say("ana", "home")
    await page.context.close()


async def test_a_value_logged_through_the_form_is_in_the_trend(
    browser: Browser, site: Site, kpis: tuple[int, int]
) -> None:
    charted, _ = kpis
    page = await signed_in(browser, site, "ana")
    card = page.locator("article.card", has=page.get_by_text(f"#{charted} Qualified leads"))
    await card.get_by_text("Log a value", exact=True).first.click()  # opens its <details>
    form = card.get_by_role("form", name="Log a value")
    await form.get_by_label("Value").fill("9")
    await form.get_by_label("Context").fill("two referrals from the webinar")
    await form.get_by_role("button", name="Submit").click()
    await expect(page.locator("section.answers")).to_contain_text("is now 9 leads")
    trend = await site.say("ana", f"trend {charted}")
    assert "two referrals from the webinar" in trend, trend
    await page.context.close()


async def test_a_refused_form_shows_the_problem_and_keeps_what_was_typed(
    browser: Browser, site: Site, kpis: tuple[int, int]
) -> None:
    charted, _ = kpis
    page = await signed_in(browser, site, "ana")
    card = page.locator("article.card", has=page.get_by_text(f"#{charted} Qualified leads"))
    await card.get_by_text("Log a value", exact=True).first.click()  # opens its <details>
    form = card.get_by_role("form", name="Log a value")
    await form.get_by_label("Value").fill("lots")
    await form.get_by_label("Context").fill("a very good week")
    await form.get_by_role("button", name="Submit").click()
    answer = page.locator("section.answers form")
    await expect(answer.locator("p.intro")).to_contain_text("number")
    await expect(answer.get_by_label("Value")).to_have_value("lots")
    await expect(answer.get_by_label("Context")).to_have_value("a very good week")
    assert "lots" not in await site.say("ana", f"trend {charted}")
    await page.context.close()


async def test_a_used_link_and_an_expired_link_open_nothing(browser: Browser, site: Site) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    used = await site.link("ben")
    await page.goto(used)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ben's dashboard")
    await context.clear_cookies()
    await page.goto(used)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "This link no longer opens the page"
    )
    late = await site.link("ben")
    site.clock.move_to(site.clock.now() + timedelta(minutes=11))
    await page.goto(late)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "This link no longer opens the page"
    )
    await page.goto(site.url + "/dashboard/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Please sign in")
    await context.close()


async def test_another_persons_page_is_refused(
    browser: Browser, site: Site, kpis: tuple[int, int]
) -> None:
    charted, _ = kpis
    async with site.sessions() as session:
        ana, zed = [await member(session, u) for u in ("ana", "zed")]
    page = await signed_in(browser, site, "ben")
    response = await page.goto(f"{site.url}/dashboard/people/{ana.id}")
    assert response is not None
    assert response.status == 404
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not yours to see")
    assert "Qualified leads" not in await page.content()
    chart = await page.goto(f"{site.url}/dashboard/charts/{charted}.png")
    assert chart is not None
    assert chart.status == 404
    await page.context.close()
    lead = await signed_in(browser, site, "lea")
    await lead.get_by_role("link", name="Ana").click()
    await expect(lead.get_by_role("heading", level=1)).to_have_text("Ana")
    await expect(lead.locator("article.card").first).to_be_visible()
    other = await lead.goto(f"{site.url}/dashboard/people/{zed.id}")
    assert other is not None
    assert other.status == 404
    await lead.context.close()


@pytest.mark.parametrize("width", [375, 1280])
async def test_the_page_reads_well_at_phone_and_desktop_widths(
    browser: Browser, site: Site, kpis: tuple[int, int], width: int
) -> None:
    page = await signed_in(browser, site, "ana", width)
    await page.wait_for_load_state("networkidle")
    charts = page.locator("img.chart")
    assert await charts.count() >= 1
    for i in range(await charts.count()):
        assert await charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    overflow = await page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"the page is {overflow}px wide at {width}px"
    shot = output_folder() / f"dashboard-{width}.png"
    await page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    serious, report = await serious_findings(page)
    assert not serious, report
    await page.context.close()


async def test_the_sign_in_and_report_pages_pass_the_accessibility_check(
    browser: Browser, site: Site, kpis: tuple[int, int]
) -> None:
    context = await browser.new_context(viewport={"width": 375, "height": 800})
    page = await context.new_page()
    await page.goto(await site.link("lea"))
    assert not (await serious_findings(page))[0], "the sign-in page"
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("link", name="Ana").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ana")
    await page.wait_for_load_state("networkidle")
    assert not (await serious_findings(page))[0], "a report's page"
    await context.close()
