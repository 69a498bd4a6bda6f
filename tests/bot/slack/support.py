"""Steps the Slack tests share: Growth made over Slack, the DMs and buttons the mock Slack saw,
the modal's inputs, a KPI proposed and activated by slash command, and the rows the server
stored."""

from __future__ import annotations

import re
import uuid
from typing import Any

from aiohttp import ClientResponse
from sqlalchemy import select

from storage.engine import make_engine, make_sessionmaker
from storage.models import Platform
from storage.people import find_workspace
from tests.bot.slack.conftest import ANA, BEN, LEA, SlackClient, fixture, texts
from tests.bot.slack.mock_slack import ANSWER, Call


async def growth(slack: SlackClient, *more: str) -> None:
    """Lea leads Growth; Ana, Ben (and `more`) are on it. The 'you were added' DMs are sent."""
    await slack.meet(LEA, ANA, BEN)
    await slack.ask("team create Growth", LEA)
    people = " ".join(f"<@{u}|{slack.api.users[u]['name']}>" for u in (ANA, BEN, *more))
    assert "to Growth" in await slack.ask(f"team add {people}", LEA)
    await slack.api.wait_for("chat.postMessage", 2 + len(more))


def dms_to(slack: SlackClient, user: str) -> list[Call]:
    """Posts into the app's DM with `user` (a user id as the channel opens it)."""
    return [c for c in slack.api.of("chat.postMessage") if c.args["channel"] == user]


async def dm_to(slack: SlackClient, user: str, saying: str) -> Call:
    """The DM to `user` whose text says `saying`, once it has been posted."""
    found = await slack.api.wait_for(
        "chat.postMessage",
        where=lambda c: c.args["channel"] == user and saying in c.args["text"],
    )
    assert len(found) == 1, [c.args["text"] for c in found]
    return found[0]


def buttons(body: dict[str, Any]) -> dict[str, str]:
    """Label -> value of every button in a message's blocks."""
    return {
        e["text"]["text"]: e["value"]
        for b in body.get("blocks", [])
        if b["type"] == "actions"
        for e in b["elements"]
    }


async def click_in_dm(slack: SlackClient, value: str, user: str) -> ClientResponse:
    """A button pressed in the app's DM with `user`: its channel is that DM, not a channel."""
    payload = fixture("block_actions.json")
    payload["team"]["id"] = slack.team
    payload["user"].update(id=user, team_id=slack.team)
    dm = "D" + user[1:]
    payload["channel"] = {"id": dm, "name": "directmessage"}
    payload["container"]["channel_id"] = dm
    payload["actions"][0].update(action_id="run-0", value=value)
    payload["response_url"] = slack.api.response_url(uuid.uuid4().hex)
    response = await slack.interact(payload)
    assert response.status == 200
    return response


def inputs(view: dict[str, Any]) -> dict[str, Any]:
    """block_id -> the initial value a modal's input shows (None when empty)."""
    out: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] == "input":
            element = block["element"]
            out[block["block_id"]] = element.get("initial_value") or element.get("initial_user")
    return out


def intro(view: dict[str, Any]) -> str:
    """What a modal says above its inputs."""
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")


GOAL = "run discovery calls on my own"


def number(said: str) -> str:
    found = re.search(r"#(\d+)", said)
    assert found, said
    return found[1]


async def active_kpi(
    slack: SlackClient, name: str = "Qualified leads", target: str = "10 leads"
) -> str:
    """Ana proposes a KPI without saying what excites her, so it is not put to the team's vote,
    and Lea activates it."""
    said = await slack.ask(f'propose "{name}" target {target} per week growth "{GOAL}"', ANA)
    assert "Proposed #" in said, said
    kpi = number(said.split("Proposed", 1)[1])
    assert "Active" in await slack.ask(f"activate {kpi}", LEA)
    return kpi


async def answered(slack: SlackClient, before: int, saying: str) -> str:
    """Every response_url answer since `before`, once one of them says `saying`."""

    def new(call: Call) -> bool:
        since = slack.api.of(ANSWER)[before:]
        return saying in texts(call.args) and any(call is c for c in since)

    await slack.api.wait_for(ANSWER, where=new)
    return "\n".join(texts(c.args) for c in slack.api.of(ANSWER)[before:])


def picked(*users: str) -> dict[str, Any]:
    """A multi-user picker's state in a submitted modal, as Slack sends it."""
    return {"type": "multi_users_select", "selected_users": list(users)}


async def stored(database_url: str, team: str, model: Any) -> list[Any]:
    """The rows of `model` the server committed for the workspace, oldest first."""
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            workspace = await find_workspace(session, Platform.SLACK, team)
            assert workspace is not None
            query = select(model).where(model.workspace_id == workspace.id).order_by(model.id)
            return list((await session.scalars(query)).all())
    finally:
        await engine.dispose()
