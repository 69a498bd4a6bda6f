"""Channels shown by the names Teams gives them, never by their `19:...` ids (issue 20,
point 4): Teams names a channel in `channelData.channel.name` on each activity from it (and a
team's first channel not at all: it is "General"). Through the real CloudAdapter over HTTP,
against the mock Bot Connector."""

from __future__ import annotations

import json
from typing import Any

from tests.bot.teams.conftest import ANA, BEN, CHANNEL, LEA, TeamsClient, text_of
from tests.bot.teams.mock_connector import Sent
from tests.bot.teams.support import active_kpi, answer, filled, form_of, mentioning
from tests.bot.teams.test_recognition import STORY

Person = tuple[str, str, str]
TEAM_ID = "19:t9e8a7m6@thread.tacv2"


def named(activity: dict[str, Any], name: str | None) -> dict[str, Any]:
    """The activity as Teams sends it from a channel called `name` (None: the team's first
    channel, which comes unnamed, its id the team's)."""
    data = activity["channelData"]
    if name is None:
        data["channel"] = {"id": TEAM_ID}
        activity["conversation"]["id"] = f"{TEAM_ID};messageid=1700000000009"
    else:
        data["channel"] = {"id": CHANNEL, "name": name}
    return activity


async def in_channel(teams: TeamsClient, text: str, person: Person, name: str | None) -> list[Sent]:
    activity = teams.activity("message_channel_mention.json", person)
    activity["text"] = f"<at>kpi-coach</at> {text}"
    activity["entities"] = activity["entities"][:1]
    return await teams.send(named(activity, name))


def cards_of(sent: list[Sent]) -> str:
    return json.dumps([c for s in sent for c in s.cards], ensure_ascii=False)


def facts(sent: list[Sent]) -> dict[str, str]:
    """Every fact the cards show, title to value, as a person reads it (markdown unescaped)."""
    return {
        f["title"]: f["value"].replace("\\", "")
        for s in sent
        for c in s.cards
        for e in c["body"]
        if e["type"] == "FactSet"
        for f in e["facts"]
    }


async def test_the_home_channel_is_shown_and_prefilled_by_its_name_and_set_by_it(
    teams: TeamsClient,
) -> None:
    await teams.meet(LEA, ANA, BEN)
    await in_channel(teams, "team create Growth", LEA, "Sales")
    await teams.send(named(mentioning(teams, "team add", LEA, ANA, BEN), "Sales"))
    await teams.deliver()

    shown = await answer(teams, "settings", LEA)
    assert facts(shown)["Home channel"] == "#Sales"
    assert "19:" not in cards_of(shown)

    # The form shows the name, and sent back as it is, it keeps the same channel.
    _card, fields, data = form_of(await answer(teams, "settings set", LEA))
    assert fields["channel"]["value"] == "Sales"
    assert "here" in json.dumps(_card)  # the hint says how to name the channel you are in
    saved = await teams.submit(filled(fields, data, pulse_weeks="4"), LEA)
    assert facts(saved)["Home channel"] == "#Sales"
    assert "19:" not in cards_of(saved)

    # A channel the bot has heard from is named from a chat by its name, never its id.
    said = await answer(teams, "settings set recognition #sales", LEA)
    assert facts(said)["Recognition channel"] == "#Sales"
    refused = text_of(await answer(teams, "settings set recognition #Support", LEA))
    assert "I cannot post in #Support" in refused


async def test_a_teams_first_channel_is_general_and_a_rename_is_followed(
    teams: TeamsClient,
) -> None:
    await teams.meet(LEA)
    await in_channel(teams, "team create Growth", LEA, None)
    assert facts(await answer(teams, "settings", LEA))["Home channel"] == "#General"

    await in_channel(teams, "team create Support", LEA, "Help desk")
    await in_channel(teams, "settings in Support", LEA, "Helpdesk")
    assert facts(await answer(teams, "settings in Support", LEA))["Home channel"] == "#Helpdesk"
    # A name Teams did not send this time keeps the one it last did.
    await in_channel(teams, "settings in Support", LEA, "")
    assert facts(await answer(teams, "settings in Support", LEA))["Home channel"] == "#Helpdesk"


async def test_kudos_with_no_recognition_channel_say_to_set_it_with_here(
    teams: TeamsClient,
) -> None:
    await teams.meet(LEA, ANA, BEN)
    assert "Created Growth" in text_of(await teams.say("team create Growth", LEA))
    await teams.send(mentioning(teams, "team add", LEA, ANA, BEN))
    await teams.deliver()
    kpi = await active_kpi(teams)
    kudos = teams.activity("message_personal.json", LEA)
    kudos["text"] = f'kudos <at>{ANA[1]}</at> kpi {kpi} how "{STORY}"'
    kudos["entities"] = [
        {
            "type": "mention",
            "text": f"<at>{ANA[1]}</at>",
            "mentioned": {"id": ANA[0], "name": ANA[1]},
        }
    ]
    said = text_of(await teams.send(kudos))
    assert "has no channel for recognition yet" in said
    assert "settings set recognition here" in said
    assert "#channel" not in said
