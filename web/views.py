"""The dashboard's requests: sign in and out, the pages, a chart, a form, a button.

Each handler finds the session's person first and acts only as them: their own page, a report's
page if they lead that person, a chart the `trend` command would show them. Anything else is a
404 that says nothing about what exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import aiohttp_jinja2
from aiohttp import web

from rituals.core.messages import Form, Image, Message, Outgoing
from storage.models import Platform
from storage.people import find_workspace, member_by_platform_id
from storage.sign_ins import end_session, open_session, use_link
from web.app import DASHBOARD, PREFIX
from web.pages import Viewer, mine, report, reports_of, viewer_of
from web.slack_sign_in import STATE_COOKIE

# Form values the page adds, not the command's.
OWN_FIELDS = {"_command", "_csrf"}
LONGEST_VALUE = 4000


def _render(
    request: web.Request, template: str, context: Mapping[str, object], status: int = 200
) -> web.Response:
    return aiohttp_jinja2.render_template(template, request, dict(context), status=status)


def _refused(request: web.Request, title: str, why: str, status: int) -> web.Response:
    return _render(request, "refused.html", {"title": title, "why": why, "slack": False}, status)


def _signed_out(request: web.Request) -> web.Response:
    context = {
        "title": "Please sign in",
        "why": "You are not signed in, or your session has ended. Type `dashboard` to the bot "
        "in Slack, Teams or the console for a new link.",
        "slack": request.app[DASHBOARD].slack is not None,
    }
    return _render(request, "refused.html", context, 401)


async def tab(request: web.Request) -> web.Response:
    """The page as Teams' personal tab frames it. Signed out, it says how to sign in from
    Teams: the bot's chat sends the link, which opens the page in the browser."""
    viewer = await _viewer(request)
    if viewer is None:
        context = {
            "title": "Sign in from the chat",
            "why": "To see your dashboard, type `dashboard` in the chat with the bot: it "
            "sends you a sign-in link that works once, for a few minutes. Open it to sign in.",
            "slack": False,
        }
        return _render(request, "refused.html", context, 401)
    return await _page(request, viewer, ())


async def _viewer(request: web.Request) -> Viewer | None:
    dashboard = request.app[DASHBOARD]
    secret = dashboard.keys.session_secret(request)
    if secret is None:
        return None
    return await viewer_of(dashboard, secret)


async def sign_in_page(request: web.Request) -> web.Response:
    """A link only opens a page with a button: previews and scanners that fetch links from a
    chat must not spend it before its person clicks."""
    keys = request.app[DASHBOARD].keys
    token = keys.sign_in_token()
    context = {"link": request.match_info["link"][:100], "token": token}
    response = _render(request, "sign_in.html", context)
    keys.set_sign_in_cookie(response, token)
    return response


async def sign_in(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[DASHBOARD]
    form = await request.post()
    link = str(form.get("link", ""))[:100]
    if not dashboard.keys.sign_in_token_fits(request, str(form.get("_csrf", ""))):
        return _refused(
            request,
            "Open the link again",
            "This sign-in did not come from the page the link opens (or that page is more than "
            "an hour old). Open the link from the bot again and press Sign in there.",
            403,
        )
    async with dashboard.dispatcher.sessions() as session, session.begin():
        opened = await use_link(session, link, dashboard.clock.now(), dashboard.keys.session_length)
    if opened is None:
        return _refused(
            request,
            "This link no longer opens the page",
            "A link works once, and only for a few minutes. Type `dashboard` to the bot for a "
            "new one.",
            403,
        )
    response = web.Response(status=303, headers={"Location": PREFIX + "/"})
    dashboard.keys.set_cookie(response, opened.secret)
    return response


async def sign_out(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[DASHBOARD]
    viewer = await _viewer(request)
    form = await request.post()
    if viewer is not None and dashboard.keys.form_token_fits(
        str(form.get("_csrf", "")), viewer.secret
    ):
        async with dashboard.dispatcher.sessions() as session, session.begin():
            await end_session(session, viewer.secret, dashboard.clock.now())
    response = _refused(request, "Signed out", "Type `dashboard` to the bot to come back.", 200)
    dashboard.keys.clear_cookie(response)
    return response


async def page(request: web.Request) -> web.Response:
    viewer = await _viewer(request)
    if viewer is None:
        return _signed_out(request)
    return await _page(request, viewer, ())


async def _page(
    request: web.Request, viewer: Viewer, answers: Sequence[Outgoing], status: int = 200
) -> web.Response:
    dashboard = request.app[DASHBOARD]
    context = await mine(dashboard, viewer)
    return _render(request, "page.html", {**context, "answers": answers}, status)


async def person_page(request: web.Request) -> web.Response:
    viewer = await _viewer(request)
    if viewer is None:
        return _signed_out(request)
    dashboard = request.app[DASHBOARD]
    try:
        member_id = int(request.match_info["member"])
    except ValueError:
        member_id = 0
    found = await report(dashboard, viewer, member_id)
    if found is None:
        return _refused(
            request,
            "Not yours to see",
            "This page is not there, or it is someone's who does not report to you.",
            404,
        )
    return _render(
        request, "person.html", {**found, "reports": await reports_of(dashboard, viewer)}
    )


async def chart(request: web.Request) -> web.StreamResponse:
    """A KPI's trend picture, exactly as `trend` would show it to this person."""
    viewer = await _viewer(request)
    if viewer is None:
        raise web.HTTPUnauthorized()
    kpi = request.match_info["kpi"]
    if not kpi.isdecimal() or len(kpi) > 12:
        raise web.HTTPNotFound()
    dashboard = request.app[DASHBOARD]
    replies = await dashboard.dispatcher.handle_text(viewer.identity, f"trend {int(kpi)}")
    for reply in replies:
        if isinstance(reply, Message):
            for block in reply.blocks:
                if isinstance(block, Image):
                    return web.Response(body=block.data, content_type="image/png")
    raise web.HTTPNotFound()


async def _checked_form(request: web.Request) -> tuple[Viewer, dict[str, str]] | web.Response:
    viewer = await _viewer(request)
    if viewer is None:
        return _signed_out(request)
    form = await request.post()
    dashboard = request.app[DASHBOARD]
    if not dashboard.keys.form_token_fits(str(form.get("_csrf", "")), viewer.secret):
        return _refused(
            request,
            "That form is out of date",
            "Nothing was saved: the form came from an older session or another site. Go back "
            "to your dashboard and send it again.",
            403,
        )
    values = {k: str(v)[:LONGEST_VALUE] for k, v in form.items() if isinstance(v, str)}
    return viewer, values


async def submit(request: web.Request) -> web.Response:
    """A form of the page, submitted to its command like a Slack modal or a Teams card."""
    checked = await _checked_form(request)
    if isinstance(checked, web.Response):
        return checked
    viewer, values = checked
    command = values.get("_command", "")
    given = {k: v for k, v in values.items() if k not in OWN_FIELDS}
    dashboard = request.app[DASHBOARD]
    answers = await dashboard.dispatcher.handle_form(viewer.identity, command, given)
    refused = any(isinstance(a, Form) for a in answers)
    return await _page(request, viewer, answers, 422 if refused else 200)


async def press(request: web.Request) -> web.Response:
    """A button of a message on the page: its command, as if typed."""
    checked = await _checked_form(request)
    if isinstance(checked, web.Response):
        return checked
    viewer, values = checked
    dashboard = request.app[DASHBOARD]
    command = values.get("_command", "")[:LONGEST_VALUE]
    answers = await dashboard.dispatcher.handle_text(viewer.identity, command)
    return await _page(request, viewer, answers)


async def slack_start(request: web.Request) -> web.StreamResponse:
    slack = request.app[DASHBOARD].slack
    if slack is None:
        raise web.HTTPNotFound()
    return slack.start()


async def slack_callback(request: web.Request) -> web.StreamResponse:
    """Back from Slack: the person it vouches for, if the bot knows them there, is signed in."""
    dashboard = request.app[DASHBOARD]
    slack = dashboard.slack
    if slack is None:
        raise web.HTTPNotFound()
    if not slack.state_fits(request):
        return _refused(
            request,
            "Sign in again",
            "This answer from Slack did not match a sign-in started in this browser (or it "
            "took more than ten minutes). Start again from the sign-in page.",
            403,
        )
    who = await slack.who(request.query.get("code", "")[:200])
    if who is None:
        return _refused(
            request,
            "Slack did not confirm who you are",
            "Nothing was opened. Try again, or type `dashboard` to the bot for a link.",
            403,
        )
    team, user = who
    now = dashboard.clock.now()
    async with dashboard.dispatcher.sessions() as session, session.begin():
        workspace = await find_workspace(session, Platform.SLACK, team)
        person = None
        if workspace is not None:
            person = await member_by_platform_id(session, workspace.id, user)
        if person is None or not person.is_active:
            return _refused(
                request,
                "The bot does not know you there yet",
                "Say hello to the bot in that Slack workspace first (a DM, or `/kpi help`), "
                "then sign in again.",
                403,
            )
        opened = await open_session(
            session, person.workspace_id, person.id, now, dashboard.keys.session_length
        )
    response = web.Response(status=303, headers={"Location": PREFIX + "/"})
    dashboard.keys.set_cookie(response, opened.secret)
    response.del_cookie(STATE_COOKIE, path="/")
    return response
