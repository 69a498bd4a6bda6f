"""The growth lab on the dashboard, over real HTTP: Mine shows my open experiments and what is
left of my experiment budget (the budgets ritual's own words), My team the skills heat-map
exactly as `skills` shows it to me, and Teams' personal tab opens the page, which only Teams
may frame."""

from __future__ import annotations

import base64
import html as html_text
import re
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from aiohttp import ClientSession, CookieJar

from bot.config import load_app_config
from bot.teams.package import manifest
from rituals.core.messages import Image, Message
from tests.rituals.budgets.support import number
from tests.support import ROOT, who
from tests.web.support import Site
from web.app import POLICY, TAB_POLICY

pytestmark = pytest.mark.asyncio(loop_scope="module")

BUDGETS_ON = "settings set rituals checkin,one_on_one,kudos,review,experiment_budget"
SKILLS_ON = f"{BUDGETS_ON},skills"
SCOPE = "call back the ten leads lost last week, nothing else"
IMAGE = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)"')


@pytest_asyncio.fixture(loop_scope="module")
async def client() -> AsyncIterator[ClientSession]:
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as session:
        yield session


async def _sign_in(client: ClientSession, site: Site, user: str) -> None:
    client.cookie_jar.clear()
    link = await site.link(user)
    async with client.get(link) as page:
        token = (await page.text()).split('name="_csrf" value="', 1)[1].split('"', 1)[0]
    data = {"link": link.rsplit("/", 1)[1], "_csrf": token}
    async with client.post(f"{site.url}/dashboard/sign-in", data=data) as response:
        assert response.status == 200, await response.text()


async def _page(client: ClientSession, site: Site, path: str = "/dashboard/") -> str:
    async with client.get(site.url + path) as response:
        assert response.status == 200
        return html_text.unescape(await response.text())


def _section(page: str, title: str) -> str:
    """What one panel of the page holds."""
    start = page.index(f'<section class="panel" aria-label="{title}">')
    return page[start : page.index("</section>", start)]


async def _kpi(site: Site) -> int:
    said = await site.say(
        "ana", 'propose "Qualified leads" target 10 leads per week growth "run calls alone"'
    )
    kpi = number(said, "Proposed")
    assert "Active" in await site.say("lea", f"activate {kpi}")
    return kpi


async def test_mine_shows_my_open_experiments_and_the_budget_left(
    site: Site, client: ClientSession
) -> None:
    kpi = await _kpi(site)
    running = number(
        await site.say("ana", f'experiment {kpi} "call back every lost lead within an hour"'),
        "Experiment",
    )
    done = number(
        await site.say("ana", f'experiment {kpi} "open every call with the last call\'s note"'),
        "Experiment",
    )
    assert "finished" in await site.say("ana", f'result {done} "two more leads a week"')
    await _sign_in(client, site, "ana")
    page = await _page(client, site)
    experiments = _section(page, "Your open experiments")
    assert f"#{running} Qualified leads: call back every lost lead within an hour" in experiments
    assert "open every call" not in experiments  # finished: it opens the one-on-one instead
    assert "Your experiment budget" not in page  # Growth runs no budgets yet

    assert "Saved" in await site.say("lea", BUDGETS_ON)
    said = await site.say("ana", f'budget ask {running} "3 hours" scope "{SCOPE}"')
    request = number(said, "request")
    page = await _page(client, site)
    assert "Your experiment budget" in page
    assert "Growth</dt><dd>5 of 8 hours left in 2026-Q4" in page

    # Ben runs no experiment: his budget is whole, and Ana's ask is not his to see.
    await _sign_in(client, site, "ben")
    page = await _page(client, site)
    assert "Your open experiments" not in page
    assert "Growth</dt><dd>8 of 8 hours left in 2026-Q4" in page
    assert "lost lead" not in page

    # Their lead sees the ask waiting, with the button that approves it.
    await _sign_in(client, site, "lea")
    page = await _page(client, site)
    assert f"Ana asks for 3 hours for experiment #{running}: {SCOPE}" in page
    assert f'value="budget approve {request}"' in page


async def test_my_team_shows_the_skills_heat_map_as_skills_shows_it_to_me(
    site: Site, client: ClientSession
) -> None:
    await _sign_in(client, site, "ben")
    assert "Skills heat-map" not in await _page(client, site)
    assert "skills heat-map" in await site.say("lea", SKILLS_ON)
    for skill in ("SQL", "Discovery calls"):
        assert "Added" in await site.say("lea", f'skill add "{skill}"')
    await site.say("ana", "rate SQL as 4")
    await site.say("ana", 'rate "Discovery calls" as 2')
    page = await _page(client, site)
    assert "Skills heat-map" in page
    assert "SQL: Ana" in page
    assert "Discovery calls: nobody can teach it yet" in page
    # Ana keeps her row hidden: her 2 is hers alone, nowhere on Ben's page, picture included.
    assert "Discovery calls 2" not in page
    replies = await site.dispatcher.handle_text(who("ben"), "skills")
    (shown,) = [
        b for r in replies if isinstance(r, Message) for b in r.blocks if isinstance(b, Image)
    ]
    ((data, alt),) = IMAGE.findall(page)
    assert base64.b64decode(data) == shown.data
    assert alt == shown.alt

    await _sign_in(client, site, "ana")
    assert "Discovery calls 2 (practising)" in await _page(client, site)


async def test_teams_tab_opens_the_page_and_only_teams_may_frame_it(
    site: Site, client: ClientSession
) -> None:
    config = load_app_config(ROOT / "app.yaml")
    (tab,) = manifest(config, "0b6c5f1e-1a2b-4c3d-8e9f-0123456789ab", "https://coach.example.org")[
        "staticTabs"
    ]
    path = urlsplit(tab["contentUrl"]).path
    client.cookie_jar.clear()
    async with client.get(site.url + path) as signed_out:
        assert signed_out.status == 401
        said = html_text.unescape(await signed_out.text())
        assert "type `dashboard` in the chat with the bot" in said
        assert "sign-in link" in said
        policy = signed_out.headers["Content-Security-Policy"]
    assert policy == TAB_POLICY
    ancestors = policy.split("frame-ancestors ", 1)[1].split(";")[0].split()
    assert ancestors == [
        "https://teams.microsoft.com",
        "https://*.teams.microsoft.com",
        "https://*.office.com",
    ]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy

    await _sign_in(client, site, "ana")
    async with client.get(site.url + path) as signed_in:
        assert signed_in.status == 200
        assert "Ana's dashboard" in html_text.unescape(await signed_in.text())
        assert signed_in.headers["Content-Security-Policy"] == TAB_POLICY
    # Every other page still refuses any frame.
    for other in ("/dashboard/", "/dashboard/people/999999", "/dashboard/sign-in/nothing"):
        async with client.get(site.url + other) as response:
            assert response.headers["Content-Security-Policy"] == POLICY
            assert "frame-ancestors 'none'" in POLICY
