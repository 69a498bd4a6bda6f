"""The dashboard over real HTTP: its locks (cookies, form tokens, headers, sign-out, expiry,
nothing of another person's or another workspace's), and what waits for a lead, first, with
buttons that run their commands."""

from __future__ import annotations

import html as html_text
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from aiohttp import ClientSession, CookieJar, web
from sqlalchemy import select

from rituals.core.messages import Audience, File, Message
from storage.models import WebSignIn
from tests.support import add_kpi, member, who
from tests.web.support import Site
from web.app import POLICY
from web.auth import SECURE_COOKIE, Keys

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module")
async def client() -> AsyncIterator[ClientSession]:
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as session:
        yield session


async def _sign_in(client: ClientSession, site: Site, user: str, workspace: str = "T1") -> None:
    await _sign_in_with(client, site, await site.link(user, workspace))


async def _sign_in_with(client: ClientSession, site: Site, link: str) -> None:
    async with client.get(link) as page:
        token = _token(await page.text())
    data = {"link": link.rsplit("/", 1)[1], "_csrf": token}
    async with client.post(f"{site.url}/dashboard/sign-in", data=data) as response:
        assert response.status == 200, await response.text()
        assert str(response.url).endswith("/dashboard/")


def _token(page: str) -> str:
    return page.split('name="_csrf" value="', 1)[1].split('"', 1)[0]


async def test_the_link_comes_to_the_asker_alone_and_is_stored_only_as_a_hash(
    site: Site,
) -> None:
    replies = await site.dispatcher.handle_text(who("ana", channel="C-growth"), "dashboard")
    (message,) = [r for r in replies if isinstance(r, Message)]
    assert message.audience is Audience.DM
    assert message.to is not None
    assert message.to.platform_user_id == "ana"
    secret = message.text.split("/dashboard/sign-in/", 1)[1].split()[0]
    async with site.sessions() as session:
        rows = (await session.scalars(select(WebSignIn))).all()
    stored = json.dumps([[str(v) for v in vars(r).values()] for r in rows])
    assert rows
    assert secret not in stored


async def test_the_page_sends_a_strict_policy_and_an_http_only_cookie(
    site: Site, client: ClientSession
) -> None:
    link = await site.link("ana")
    async with client.get(link) as page:
        token = _token(await page.text())
        assert "SameSite=Strict" in page.headers["Set-Cookie"]
    data = {"link": link.rsplit("/", 1)[1], "_csrf": token}
    async with client.post(
        f"{site.url}/dashboard/sign-in", data=data, allow_redirects=False
    ) as response:
        assert response.status == 303
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # plain http on this machine
        assert "Max-Age=28800" in cookie
        assert response.headers["Content-Security-Policy"] == POLICY
    async with client.get(f"{site.url}/dashboard/people/999999") as missing:
        assert missing.status == 404
        assert missing.headers["Content-Security-Policy"] == POLICY
    assert "script-src" not in POLICY
    assert "default-src 'none'" in POLICY


async def test_behind_https_the_cookie_is_secure_and_host_bound() -> None:
    keys = Keys("a test secret that is long enough to sign with", timedelta(hours=1), True)
    response = web.Response()
    keys.set_cookie(response, "session")
    cookie = response.cookies[SECURE_COOKIE]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["path"] == "/"


async def test_a_form_without_its_token_saves_nothing(site: Site, client: ClientSession) -> None:
    async with site.sessions() as session, session.begin():
        ben = await member(session, "ben")
        kpi = await add_kpi(session, ben, "Referrals", agreed_at=site.clock.now())
    await _sign_in(client, site, "ben")
    data = {"_command": "log", "kpi": str(kpi.id), "value": "7"}
    async with client.post(f"{site.url}/dashboard/forms", data=data) as response:
        assert response.status == 403
        assert "Nothing was saved" in await response.text()
    async with client.post(f"{site.url}/dashboard/forms", data={**data, "_csrf": "x.y.z"}) as bad:
        assert bad.status == 403
    assert "has no values yet" in await site.say("ben", f"trend {kpi.id}")
    async with client.get(f"{site.url}/dashboard/") as page:
        token = _token(await page.text())
    async with client.post(f"{site.url}/dashboard/forms", data={**data, "_csrf": token}) as ok:
        assert ok.status == 200
    assert "has no values yet" not in await site.say("ben", f"trend {kpi.id}")


async def test_user_text_is_escaped(site: Site, client: ClientSession) -> None:
    said = await site.say("yan", 'propose "<b>Deals</b>" target 3 deals per month', "T2")
    assert "Proposed" in said
    await _sign_in(client, site, "yan", "T2")
    async with client.get(f"{site.url}/dashboard/") as page:
        html = await page.text()
    assert "&lt;b&gt;Deals&lt;/b&gt;" in html
    assert "<b>Deals</b>" not in html


async def test_another_workspace_sees_nothing_of_this_one(
    site: Site, client: ClientSession
) -> None:
    async with site.sessions() as session, session.begin():
        ana = await member(session, "ana")
        kpi = await add_kpi(session, ana, "Churn saved", agreed_at=site.clock.now())
    assert "Logged" in await site.say("ana", f"log {kpi.id} 3")
    await _sign_in(client, site, "zed", "T2")  # the lead of workspace T2
    async with client.get(f"{site.url}/dashboard/people/{ana.id}") as page:
        assert page.status == 404
        assert "Churn saved" not in await page.text()
    async with client.get(f"{site.url}/dashboard/charts/{kpi.id}.png") as chart:
        assert chart.status == 404
    async with client.get(f"{site.url}/dashboard/") as mine:
        assert "Churn saved" not in await mine.text()


async def test_what_waits_for_a_lead_comes_first_and_its_buttons_work(
    site: Site, client: ClientSession
) -> None:
    assert "asked" in (await site.say("xia", "team join Other", "T2")).lower()
    await _sign_in(client, site, "zed", "T2")
    async with client.get(f"{site.url}/dashboard/") as page:
        html = await page.text()
    waiting = html.index("Waiting for you")
    assert waiting < html.index('id="mine-title"')
    assert "Xia asked to join Other." in html
    assert "<h3>This week&#39;s check-ins</h3>" in html
    token = _token(html)
    approve = html[waiting:].split('name="_command" value="', 1)[1].split('"', 1)[0]
    assert approve.startswith("team approve")
    data = {"_csrf": token, "_command": html_text.unescape(approve)}
    async with client.post(f"{site.url}/dashboard/press", data=data) as pressed:
        answered = await pressed.text()
    assert "The bot's answer" in answered
    assert "Xia asked to join" not in answered
    assert "Xia" in (await site.say("zed", "team", "T2"))


async def test_a_sign_in_posted_from_elsewhere_spends_no_link(site: Site) -> None:
    """Login CSRF: another site's form carrying someone's link, without the page's token."""
    link = await site.link("ben")
    secret = link.rsplit("/", 1)[1]
    async with (
        ClientSession(cookie_jar=CookieJar(unsafe=True)) as elsewhere,
        elsewhere.post(
            f"{site.url}/dashboard/sign-in", data={"link": secret, "_csrf": "guess"}
        ) as response,
    ):
        assert response.status == 403
        assert "Open the link again" in await response.text()
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
        await _sign_in_with(client, site, link)  # the link was not spent


async def test_a_forged_cookie_opens_nothing(site: Site) -> None:
    jar = CookieJar(unsafe=True)
    async with ClientSession(cookie_jar=jar) as forged:
        forged.cookie_jar.update_cookies({"kpicoach_dashboard": "made-up.value.here"})
        async with forged.get(f"{site.url}/dashboard/") as page:
            assert page.status == 401
            shown = await page.text()
            assert "Please sign in" in shown
            assert "/dashboard/slack" not in shown  # no Slack OAuth app here
        async with forged.get(f"{site.url}/dashboard/slack", allow_redirects=False) as slack:
            assert slack.status == 404


async def test_the_export_lists_sign_ins_without_their_hashes(site: Site) -> None:
    await site.link("ben")
    replies = await site.dispatcher.handle_text(who("ben"), "me export")
    files = [b for r in replies if isinstance(r, Message) for b in r.blocks if isinstance(b, File)]
    exported = json.loads(files[0].data)
    rows = exported["tables"]["web_sign_in"] if "tables" in exported else exported["web_sign_in"]
    assert rows
    assert all(row["link_hash"] == "(anonymous: not exported)" for row in rows)


async def test_signing_out_ends_the_session_and_sessions_expire(
    site: Site, client: ClientSession
) -> None:
    await _sign_in(client, site, "lea")
    async with client.get(f"{site.url}/dashboard/") as page:
        token = _token(await page.text())
    cookies = {c.key: c.value for c in client.cookie_jar}
    async with client.post(f"{site.url}/dashboard/sign-out", data={"_csrf": token}) as out:
        assert "Signed out" in await out.text()
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as replayed:
        replayed.cookie_jar.update_cookies(cookies)
        async with replayed.get(f"{site.url}/dashboard/") as page:
            assert page.status == 401
    # A session not signed out still ends when its hours are up.
    await _sign_in(client, site, "lea")
    site.clock.move_to(site.clock.now() + timedelta(hours=8, minutes=1))
    async with client.get(f"{site.url}/dashboard/") as late:
        assert late.status == 401
