"""Fuzz the dashboard: any path, form and cookie signed out; signed in (through the link the
bot sends, with the page's own form token), its forms and buttons with junk values."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
import pytest_asyncio
from aiohttp import ClientSession, DummyCookieJar
from hypothesis import given
from hypothesis import strategies as st

from bot.server import DISPATCHER
from tests.fuzz.doors import FUZZ, Doors
from tests.fuzz.strategies import FIELDS, FORMS, junk, typed
from tests.support import text_of, who
from web.auth import COOKIE, SIGN_IN_COOKIE

pytestmark = pytest.mark.asyncio(loop_scope="module")

PATHS = ["", "tab", "sign-in", "sign-out", "forms", "press", "slack", "slack/callback"]
segment = st.text(max_size=30).map(lambda s: quote(s, safe=""))
paths = st.one_of(
    st.sampled_from(PATHS),
    st.builds(lambda s: f"sign-in/{s}", segment),
    st.builds(lambda s: f"people/{s}", segment),
    st.builds(lambda s: f"charts/{s}.png", segment),
    st.builds(lambda s: f"static/{s}", segment),
    segment,
)
queries = st.dictionaries(st.sampled_from(["code", "state", "error", "q"]), junk, max_size=2)
form_values = st.dictionaries(
    st.one_of(st.sampled_from(["_csrf", "_command", "link", *FIELDS]), junk),
    st.one_of(junk, typed),
    max_size=6,
)


@dataclass
class Visitor:
    """A browser of our own: no cookie jar, so each request says exactly what it carries."""

    http: ClientSession
    cookie: str  # the signed-in person's session cookie
    token: str  # the page's form token for that session


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def visitor(doors: Doors) -> AsyncIterator[Visitor]:
    async with ClientSession(cookie_jar=DummyCookieJar()) as http:
        url = doors.http.make_url
        dispatcher = doors.http.app[DISPATCHER]
        await dispatcher.handle_text(who("ana", "TFUZZWEB"), "help")  # a newcomer's welcome
        said = text_of(await dispatcher.handle_text(who("ana", "TFUZZWEB"), "dashboard"))
        found = re.search(r"/dashboard/sign-in/[A-Za-z0-9_-]+", said)
        assert found, said
        path = found.group(0)
        opened = await http.get(url(path))
        sign_in = opened.cookies[SIGN_IN_COOKIE].value
        csrf = _token(await opened.text())
        signed = await http.post(
            url("/dashboard/sign-in"),
            data={"link": path.rsplit("/", 1)[1], "_csrf": csrf},
            headers={"Cookie": f"{SIGN_IN_COOKIE}={sign_in}"},
            allow_redirects=False,
        )
        assert signed.status == 303, await signed.text()
        cookie = signed.cookies[COOKIE].value
        page = await http.get(url("/dashboard/"), headers={"Cookie": f"{COOKIE}={cookie}"})
        assert page.status == 200
        yield Visitor(http, cookie, _token(await page.text()))


def _token(html: str) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', html)
    assert found, html[:2000]
    return found.group(1)


async def visit(
    doors: Doors,
    visitor: Visitor,
    method: str,
    path: str,
    cookie: str | None,
    form: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
) -> int:
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
    if cookie is not None:
        headers["Cookie"] = cookie
    what = f"{method} /dashboard/{path} {query} cookie={cookie!r} form={form!r}"
    request = visitor.http.request(
        method,
        doors.http.make_url(f"/dashboard/{path}"),
        data=urlencode(form).encode() if form is not None else None,
        params=query,
        headers=headers,
        allow_redirects=False,
    )
    status, _ = await doors.exchange(what, request)
    return status


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "HEAD"]),
    path=paths,
    query=queries,
    form=form_values,
    cookie=st.one_of(
        st.none(),
        st.builds(lambda v: f"{COOKIE}={quote(v)}", junk),
        st.builds(lambda v: f"{SIGN_IN_COOKIE}={quote(v)}", junk),
    ),
)
async def test_any_request_signed_out_gets_a_4xx_or_a_page(
    doors: Doors,
    visitor: Visitor,
    method: str,
    path: str,
    query: dict[str, str],
    form: dict[str, str],
    cookie: str | None,
) -> None:
    await visit(doors, visitor, method, path, cookie, form if method != "GET" else None, query)


@FUZZ
@given(command=st.one_of(st.sampled_from(FORMS), junk), form=form_values)
async def test_a_signed_in_form_with_junk_values_is_answered_plainly(
    doors: Doors, visitor: Visitor, command: str, form: dict[str, str]
) -> None:
    values = {**form, "_command": command, "_csrf": visitor.token}
    await visit(doors, visitor, "POST", "forms", f"{COOKIE}={visitor.cookie}", values)


@FUZZ
@given(command=typed)
async def test_a_signed_in_button_with_any_command_is_answered_plainly(
    doors: Doors, visitor: Visitor, command: str
) -> None:
    if command.strip().startswith("me forget"):
        command = "help"  # the person would be gone, and the rest signed out
    values = {"_command": command, "_csrf": visitor.token}
    await visit(doors, visitor, "POST", "press", f"{COOKIE}={visitor.cookie}", values)


@FUZZ
@given(path=paths, query=queries)
async def test_any_page_signed_in_gets_a_4xx_or_a_page(
    doors: Doors, visitor: Visitor, path: str, query: dict[str, str]
) -> None:
    if path == "sign-out":
        path = ""  # would end the session the other examples use
    await visit(doors, visitor, "GET", path, f"{COOKIE}={visitor.cookie}", query=query)
