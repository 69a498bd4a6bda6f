"""Teams beside Slack: the same ritual gives the same answer, and nudges reach Teams too."""

from __future__ import annotations

import asyncio
import html
import re

from aiohttp.test_utils import TestClient, TestServer

from bot.config import AppConfig
from bot.server import make_app
from rituals.core.context import FixedClock
from storage import teams_conversations as conversations
from storage.engine import make_engine, make_sessionmaker
from storage.models import Platform, Role
from storage.people import find_workspace
from tests.bot.slack.conftest import ANA as SLACK_ANA
from tests.bot.slack.conftest import SlackClient, database_url, slack, slack_api, texts  # fixtures
from tests.bot.teams.conftest import ANA, BEN, BOT, LEA, PERSONAL, TeamsClient, teams_settings
from tests.bot.teams.mock_connector import MockConnector
from tests.scheduling import Someone, seed_team
from tests.support import member

SLACK_DM = "D0AB12CD4"


def words(text: str) -> list[str]:
    """What a person reads, without either platform's markup: mentions become one word."""
    text = html.unescape(text)
    # A checklist: "[x] pulse" in Slack's list, "pulse: on" among a Teams card's facts.
    text = re.sub(r"\[x\] ([^\n]+)", r"\1: on", text)
    text = re.sub(r"\[ \] ([^\n]+)", r"\1: off", text)
    text = re.sub(r"<@[A-Z0-9]+(\|[^>]*)?>|<at>[^<]*</at>", " someone ", text)
    return re.findall(r"[a-z0-9]+", text.lower())


async def test_the_same_ritual_answers_alike_on_slack_and_teams(
    slack: SlackClient, teams: TeamsClient
) -> None:
    await slack.meet(SLACK_ANA)
    await teams.meet(ANA)
    for command in ("team create Growth", "team", "kpis", "me"):
        on_slack = await slack.ask(command, channel=SLACK_DM)
        on_teams = "\n".join(s.text for s in await teams.say(command))
        if command == "me":  # each platform told the bot its own name and time zone
            on_slack = on_slack.replace("Europe/Berlin", "Europe/London")
            on_teams = on_teams.replace("Ana Ruiz", "Ana")
        assert words(on_slack) == words(on_teams), (command, on_slack, on_teams)

    # A form: a modal in Slack, a card in Teams, with the same fields; submitted the same way.
    await slack.command("propose", channel=SLACK_DM)
    (opened,) = await slack.api.wait_for("views.open")
    modal = opened.args["view"]
    (reply,) = await teams.say("propose")
    (card,) = reply.cards
    assert [(b["block_id"], b["label"]["text"]) for b in modal["blocks"] if "label" in b] == [
        (e["id"], e["label"]) for e in card["body"] if e["type"].startswith("Input.")
    ]


async def test_a_check_in_due_at_start_reaches_each_person_in_teams(
    own_database: str, config: AppConfig, clock: FixedClock, connector: MockConnector
) -> None:
    tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    engine = make_engine(own_database)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            # Monday 09:00 UTC; the server starts at 09:30, so the first tick catches it up.
            await seed_team(
                session,
                [Someone(LEA[2], role=Role.LEAD), Someone(ANA[2]), Someone(BEN[2])],
                workspace=tenant,
                platform=Platform.TEAMS,
                settings={"checkin_time": "09:00"},
            )
            workspace = await find_workspace(session, Platform.TEAMS, tenant)
            assert workspace is not None
            for teams_id, _, aad in (ANA, BEN, LEA):
                chat = PERSONAL + teams_id
                seat = await member(session, aad)
                ref = conversations.Reference(aad, connector.url, BOT, teams_id, chat, seat.id)
                await conversations.remember(session, workspace.id, ref, clock.now(), spoke=True)
    finally:
        await engine.dispose()
    app = make_app(teams_settings(own_database), config, clock)
    async with TestClient(TestServer(app)):
        for _ in range(200):
            if len(connector.sent) >= 3:
                break
            await asyncio.sleep(0.05)
    by_chat = {s.conversation: s for s in connector.sent}
    assert sorted(by_chat) == sorted(PERSONAL + p[0] for p in (ANA, BEN, LEA))
    to_ana = by_chat[PERSONAL + ANA[0]]
    assert "What's in your way this week?" in to_ana.text
    assert to_ana.reply_to is None
    (card,) = to_ana.cards
    lead = [e for e in card["msteams"].get("entities", []) if e["mentioned"]["id"] == LEA[2]]
    assert lead, "the lead is mentioned for real, by their AAD id"
    assert len(connector.sent) == 3
