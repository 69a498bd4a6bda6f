"""The privacy and terms pages the Teams manifest points to (`/privacy`, `/terms`).

Teams shows both links on the app's page, and validation wants them to answer. They are short
and generated: the promises are the ones the bot keeps in code (who sees a person's numbers,
`me export`, `me forget`), and the specifics (quiet hours, working hours, rewards) are read
from app.yaml, so the pages say what this deployment does, not what a template said.
"""

from __future__ import annotations

from html import escape

from aiohttp import web

from bot.config import AppConfig
from bot.slack.manifest import APP_NAME, LONG_DESCRIPTION

PRIVACY = "/privacy"
TERMS = "/terms"
CONFIG: web.AppKey[AppConfig] = web.AppKey("pages_config", AppConfig)


def privacy_page(config: AppConfig) -> str:
    people = config.people
    slash = config.commands.slash
    return _page(
        f"{APP_NAME}: privacy",
        [
            LONG_DESCRIPTION,
            "What it keeps: your name and chat id as Teams or Slack gives them, your time zone "
            "and working hours, and what you tell it: KPIs, values you log, check-in answers, "
            "obstacles, commitments, one-on-one notes and kudos. Nothing is sold or shared "
            "outside your organisation's deployment.",
            "Who sees it: your individual numbers are seen by you and your team's lead only, "
            "unless you share them. Team views show totals, never a ranking of people. The "
            "tension pulse is anonymous and shows results only from several answers.",
            f"When it writes: nudges come only in working hours ({people.work_hours} by "
            f"default) and never in quiet hours ({people.quiet_hours}); you set your own with "
            f"{slash} me set, or pause them with {slash} me set pause on.",
            f"Your data: {slash} me export gives you everything kept about you as a file; "
            f"{slash} me forget erases it, after a confirmation.",
        ],
    )


def terms_page(config: AppConfig) -> str:
    rewards = ", ".join(config.recognition.rewards) or "none"
    return _page(
        f"{APP_NAME}: terms of use",
        [
            f"{APP_NAME} is offered by your organisation for coaching, not for judging people: "
            "its numbers are tools for growth, and must not be used to rank, discipline or "
            "pay anyone.",
            "Use it for your own team's work. What you write is visible to the people the "
            "privacy page names; write about work, kindly and candidly.",
            f"Kudos may come with a small symbol ({rewards}), never money.",
            "It is provided as is, without warranty; your organisation runs it and answers "
            "for it. Ask your admin about anything here.",
        ],
    )


def _page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{escape(p, quote=False)}</p>\n" for p in paragraphs)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head>\n"
        f'<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto; '
        f'padding: 0 1em; line-height: 1.5">\n<h1>{escape(title)}</h1>\n{body}</body></html>\n'
    )


async def privacy(request: web.Request) -> web.Response:
    return web.Response(text=privacy_page(request.app[CONFIG]), content_type="text/html")


async def terms(request: web.Request) -> web.Response:
    return web.Response(text=terms_page(request.app[CONFIG]), content_type="text/html")


def add_routes(app: web.Application, config: AppConfig) -> None:
    """The two pages, on the same server as /api/messages (the manifest's base URL)."""
    app[CONFIG] = config
    app.router.add_get(PRIVACY, privacy)
    app.router.add_get(TERMS, terms)
