"""Steps the Teams tests share: Growth made over Teams, what reached a person's chat, the cards
and forms in it read back, a KPI proposed and activated, and Adaptive Card schema checks."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
from sqlalchemy import select

from bot.teams.cards import MAX_CARD_BYTES
from storage.engine import make_engine, make_sessionmaker
from storage.models import Platform
from storage.people import find_workspace
from tests.bot.teams.conftest import ANA, BEN, LEA, PERSONAL, TeamsClient, text_of
from tests.bot.teams.mock_connector import Sent
from tests.support import FIXTURES

Person = tuple[str, str, str]


def mentioning(teams: TeamsClient, text: str, person: Person, *people: Person) -> dict[str, Any]:
    """`person` writes `text @people...` to the bot in the team's channel."""
    activity = teams.activity("message_channel_mention.json", person)
    bot = activity["entities"][0]
    activity["text"] = " ".join(["<at>kpi-coach</at>", text, *(f"<at>{p[1]}</at>" for p in people)])
    activity["entities"] = [bot] + [
        {"type": "mention", "text": f"<at>{p[1]}</at>", "mentioned": {"id": p[0], "name": p[1]}}
        for p in people
    ]
    return activity


async def growth(teams: TeamsClient, *more: Person) -> None:
    """Lea leads Growth; Ana, Ben (and `more`) are on it; everyone has a chat with the bot."""
    for person in more:
        teams.connector.add_member(*person)
    await teams.meet(LEA, ANA, BEN, *more)
    assert "Created Growth" in text_of(await teams.say("team create Growth", LEA))
    await teams.send(mentioning(teams, "team add", LEA, ANA, BEN, *more))
    await teams.deliver()
    assert "to Growth" in text_of(chat_of(teams, LEA))


def chat_of(teams: TeamsClient, person: Person) -> list[Sent]:
    return teams.connector.to(PERSONAL + person[0])


async def news(teams: TeamsClient, person: Person, saying: str) -> Sent:
    """The one message the outbox brought into `person`'s chat that says `saying`."""
    await teams.deliver()
    found = [s for s in chat_of(teams, person) if saying in s.text]
    assert len(found) == 1, [s.text for s in chat_of(teams, person)]
    (sent,) = found
    assert sent.reply_to is None  # proactive: a new message, not an answer to a turn
    return sent


def runs(sent: Sent) -> dict[str, str]:
    """Button title -> the command it runs, for every button in the message's cards."""
    out: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit" and "kpicoach_run" in node.get("data", {}):
                out[node["title"]] = node["data"]["kpicoach_run"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(sent.cards)
    return out


def mentioned(sent: Sent) -> list[str]:
    """The AAD ids the message's cards really mention."""
    return [
        e["mentioned"]["id"] for card in sent.cards for e in card["msteams"].get("entities", [])
    ]


def form_of(sent: list[Sent]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The one form card among the replies: its card, its inputs by id, its submit data."""
    cards = [c for s in sent for c in s.cards if c.get("actions")]
    (card,) = [c for c in cards if c["actions"][0]["data"].get("kpicoach_form")]
    fields = {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}
    return card, fields, card["actions"][0]["data"]


def filled(fields: dict[str, Any], data: dict[str, Any], **typed: str) -> dict[str, Any]:
    """What Teams sends on Action.Submit: every input's value (as shown, or as typed over it)
    beside the submit button's own data."""
    return {**data, **{k: f.get("value", "") for k, f in fields.items()}, **typed}


async def answer(teams: TeamsClient, text: str, person: Person) -> list[Sent]:
    """What the bot answered `person` in their chat; DMs the worker sends meanwhile are not."""
    return [s for s in await teams.say(text, person) if s.reply_to is not None and not s.updated]


def words_of(card: dict[str, Any]) -> str:
    return "\n".join(e["text"] for e in card["body"] if e["type"] == "TextBlock")


DATA_URI = "data:image/png;base64,"


async def active_kpi(teams: TeamsClient) -> str:
    """Ana proposes a KPI (not put to a vote: Growth has no home channel); Lea activates it."""
    said = text_of(
        await answer(
            teams,
            'propose "Qualified leads" target 10 leads per week growth "run discovery calls alone"',
            ANA,
        )
    )
    found = re.search(r"Proposed #(\d+)", said)
    assert found, said
    assert "Active" in text_of(await answer(teams, f"activate {found[1]}", LEA))
    return found[1]


def images(sent: list[Sent]) -> list[dict[str, Any]]:
    """Every Adaptive Card Image element among the replies' cards."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Image":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for reply in sent:
        walk(reply.cards)
    return found


async def rows(database_url: str, model: Any, tenant: str) -> list[Any]:
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            workspace = await find_workspace(session, Platform.TEAMS, tenant)
            if workspace is None:
                return []
            found = await session.scalars(
                select(model).where(model.workspace_id == workspace.id).order_by(model.id)
            )
            return list(found.all())
    finally:
        await engine.dispose()


# Teams reads `msteams` on a card (width, mention entities), a host extension the published
# schema does not list; it is described here as strictly as the rest.
MSTEAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "width": {"enum": ["Full"]},
        "entities": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["type", "text", "mentioned"],
                "properties": {
                    "type": {"enum": ["mention"]},
                    "text": {"type": "string", "pattern": "^<at>[^<>]+</at>$"},
                    "mentioned": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["id", "name"],
                        "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
                    },
                },
            },
        },
    },
}


def _validator() -> jsonschema.Draft6Validator:
    schema = json.loads((FIXTURES / "schemas" / "adaptive-card.1.5.schema.json").read_text())
    schema["definitions"]["AdaptiveCard"]["properties"]["msteams"] = MSTEAMS
    jsonschema.Draft6Validator.check_schema(schema)
    return jsonschema.Draft6Validator(schema)


VALIDATOR = _validator()


def valid(card: dict[str, Any]) -> dict[str, Any]:
    """The card is schema-valid, under the byte budget, and every mention has its entity."""
    error = jsonschema.exceptions.best_match(VALIDATOR.iter_errors(card))
    assert error is None, f"{error.message} at {list(error.absolute_path)}"
    assert card["type"] == "AdaptiveCard"
    assert card["msteams"]["width"] == "Full"
    assert len(json.dumps(card).encode()) < MAX_CARD_BYTES
    entities = {e["text"] for e in card["msteams"].get("entities", [])}
    for tag in re.findall(r"<at>.*?</at>", json.dumps(card["body"])):
        assert tag in entities
    return card


# A card's height on a phone 340 px wide, estimated from its JSON: Teams' default font sets
# about 42 characters to a line of 20 px (30 to a large heading's 28 px); a fact wraps its title
# at 14 characters and its value at 26; a row of buttons is 44 px, a chart 170, an input 64.
LINE_PX = {"small": 16, "default": 20, "medium": 24, "large": 28}


def phone_height(card: dict[str, Any]) -> int:
    """Roughly how tall `card` stands on a phone, in pixels, spacing included."""
    height = 0
    for e in card["body"]:
        if e["type"] == "TextBlock":
            size = e.get("size", "default")
            per_line = 30 if size == "large" else 42
            lines = sum(max(1, -(-len(line) // per_line)) for line in e["text"].split("\n"))
            height += lines * LINE_PX.get(size, 20) + 8
        elif e["type"] == "FactSet":
            height += 8 + sum(
                20 * max(-(-len(f["title"]) // 14), -(-len(f["value"]) // 26)) for f in e["facts"]
            )
        else:
            height += {"ActionSet": 44, "Image": 170}.get(e["type"], 64)
    return height
