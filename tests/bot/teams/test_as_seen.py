"""What a Teams user sees, found wrong by driving the bot with Microsoft's own client (issue 20):
names that stayed "someone", placeholders a client dropped, a note in the channel after every
command. Each through the real CloudAdapter over HTTP, against the mock Bot Connector."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from bot.config import AppConfig
from bot.teams.package import manifest
from bot.teams.replies import CHAT_NOTE
from storage.models import Member, Obstacle
from tests.bot.teams.conftest import ANA, CHANNEL, LEA, PERSONAL, TeamsClient, text_of
from tests.bot.teams.mock_connector import Sent
from tests.bot.teams.support import active_kpi, filled, form_of, growth, mentioning, rows

ZWJ = "\u200d"
NOA = ("29:1nOaLeVi", "Noa Levi", "7a7a7a7a-4e1a-4b1f-9d2c-1a2b3c4d5e6f")


def nameless(teams: TeamsClient, name: str, person: tuple[str, str, str] = ANA) -> dict[str, Any]:
    """An activity from `person` as an install sends it: with no name, and no time zone."""
    activity = teams.activity(name, person)
    del activity["from"]["name"]
    activity.pop("localTimezone", None)
    activity["entities"] = [e for e in activity.get("entities", []) if e["type"] != "clientInfo"]
    return activity


def with_zone(activity: dict[str, Any], zone: str) -> dict[str, Any]:
    activity["entities"] = [e for e in activity.get("entities", []) if e["type"] != "clientInfo"]
    activity["entities"].append({"type": "clientInfo", "locale": "en-GB", "timezone": zone})
    return activity


async def member(database: str, teams: TeamsClient) -> Member:
    (found,) = await rows(database, Member, teams.tenant)
    return found


# --- 1. names and time zones refreshed from activities ---------------------------------------


async def test_a_nameless_install_asks_teams_for_the_name_it_welcomes(
    teams: TeamsClient, teams_database: str
) -> None:
    welcome = await teams.send(nameless(teams, "installation_update_add.json"))
    assert "Welcome, Ana Ruiz" in text_of(welcome)  # from the roster, not "someone"
    assert (await member(teams_database, teams)).display_name == "Ana Ruiz"


async def test_a_person_first_seen_without_a_name_gets_theirs_from_a_later_message(
    teams: TeamsClient, teams_database: str
) -> None:
    # Noa is not in the roster the mock answers from: nothing to ask, so "someone" at first.
    welcome = await teams.send(nameless(teams, "installation_update_add.json", NOA))
    assert "Welcome, someone" in text_of(welcome)
    assert (await member(teams_database, teams)).display_name == "someone"

    # A later message names her, and says where her client is.
    activity = teams.activity("message_personal.json", NOA)
    activity["text"] = "me"
    said = text_of(await teams.send(with_zone(activity, "Europe/Madrid")))
    found = await member(teams_database, teams)
    assert found.display_name == "Noa Levi"
    assert found.time_zone == "Europe/Madrid"
    assert "Europe/Madrid" in said

    # A nameless activity afterwards does not bring "someone" back.
    await teams.send(nameless(teams, "installation_update_add.json", NOA))
    assert (await member(teams_database, teams)).display_name == "Noa Levi"


async def test_a_time_zone_set_by_the_person_outlives_what_the_client_reports(
    teams: TeamsClient, teams_database: str
) -> None:
    said = text_of(await teams.say("me set tz Asia/Tokyo"))
    assert "Asia/Tokyo" in said, said
    activity = teams.activity("message_personal.json")
    activity["text"] = "me"
    await teams.send(with_zone(activity, "Europe/Madrid"))
    assert (await member(teams_database, teams)).time_zone == "Asia/Tokyo"


# --- 2. nothing in angle brackets for a client to drop -----------------------------------------


def shown(sent: list[Sent]) -> str:
    """Every string a person reads in the replies' cards."""
    return json.dumps([card["body"] for s in sent for card in s.cards], ensure_ascii=False)


async def test_help_writes_placeholders_so_that_teams_shows_them(teams: TeamsClient) -> None:
    said = await teams.say("help team create")
    text = shown(said)
    assert "team create ‹name›" in text
    assert not re.search(r"<(?!\u200d)", text), text


async def test_a_usage_error_keeps_its_placeholders_and_user_text_keeps_its_brackets(
    teams: TeamsClient,
) -> None:
    said = shown(await teams.say("team create"))
    assert "‹name›" in said
    typed = shown(await teams.say('propose "<b>Leads</b>" target 10 leads per week'))
    assert f"<{ZWJ}b>Leads<{ZWJ}/b>" in typed
    assert not re.search(r"<(?!\u200d)", typed), typed


# --- 5. no public note after every command in a channel --------------------------------------


async def test_a_channel_is_told_once_where_a_persons_answers_go(teams: TeamsClient) -> None:
    await teams.meet(ANA)
    first = await teams.say("team create Growth", channel=True)
    assert text_of(first) == CHAT_NOTE
    again = [s for s in await teams.say("me", channel=True) if s.conversation.startswith(CHANNEL)]
    assert again == [], text_of(again)  # nothing more in front of the channel
    await teams.deliver()
    chat = text_of(teams.connector.to(PERSONAL + ANA[0]))
    assert "Created Growth" in chat
    assert "Ana Ruiz" in chat  # `me` answered in her chat
    assert all(s.conversation.startswith(CHANNEL) for s in first)


# --- 7. the pages the manifest points to -------------------------------------------------------


async def test_the_privacy_and_terms_pages_the_manifest_names_answer(
    teams: TeamsClient, config: AppConfig
) -> None:
    developer = manifest(config, "0b6c5f1e-1a2b-4c3d-8e9f-0123456789ab", "https://x.example")[
        "developer"
    ]
    for url, words in (
        (developer["privacyUrl"], ("me forget", config.people.quiet_hours, "your team's lead")),
        (developer["termsOfUseUrl"], ("never money", config.recognition.rewards[0])),
    ):
        response = await teams.http.get(urlsplit(url).path)
        assert response.status == 200, url
        assert response.content_type == "text/html"
        page = await response.text()
        assert all(word in page for word in words), page


# --- 8. cards: commands quoted in a sentence ----------------------------------------------------


async def test_a_command_quoted_in_a_sentence_shows_bold_not_between_backticks(
    teams: TeamsClient,
) -> None:
    welcome = shown(await teams.say("help"))  # the first contact: the welcome card
    assert "Welcome" in welcome
    assert "**me set pause on**" in welcome
    assert "`" not in welcome


# --- 6. a sent form does its work once -----------------------------------------------------------


async def test_a_sent_form_is_replaced_by_what_it_did_and_a_repeat_is_answered_once(
    teams: TeamsClient, teams_database: str
) -> None:
    await teams.meet(LEA, ANA)
    await teams.say("team create Growth", LEA)
    await teams.send(mentioning(teams, "team add", LEA, ANA))
    _card, fields, data = form_of(await teams.say("obstacle", ANA))
    values = filled(fields, data, text="the pricing page waits on legal review since Monday")
    values["team"] = "Growth"
    first = await teams.submit(values, ANA, card="form-card-1")
    (replaced,) = [s for s in first if s.updated]
    assert replaced.reply_to == "form-card-1"
    assert replaced.conversation == PERSONAL + ANA[0]
    assert "Saved as obstacle #" in replaced.text
    assert not any(c.get("actions") for c in replaced.cards)  # nothing left to press

    again = await teams.submit(values, ANA, card="form-card-1")
    assert "You sent that form already" in text_of(again)
    assert len(await rows(teams_database, Obstacle, teams.tenant)) == 1

    # A form that comes back refused stays live: fixed, the same card goes through.
    form = {**values, "text": "x"}
    refused = await teams.submit(form, ANA, card="form-card-2")
    assert not any(s.updated for s in refused)
    fixed = await teams.submit({**values, "text": "the demo laptop is broken"}, ANA, "form-card-2")
    assert any(s.updated for s in fixed)
    assert len(await rows(teams_database, Obstacle, teams.tenant)) == 2


# --- 4. no raw channel ids -----------------------------------------------------------------------


async def test_a_teams_channel_is_never_shown_by_its_raw_id(teams: TeamsClient) -> None:
    await teams.meet(ANA)
    await teams.say("team create Growth", channel=True)
    await teams.deliver()
    settings = await teams.say("settings", ANA)
    said = text_of(teams.connector.to(PERSONAL + ANA[0])) + shown(settings) + text_of(settings)
    assert "Home channel" in said
    assert "the team channel" in said
    assert "19:" not in said, said


# --- 3. a people field takes full names ----------------------------------------------------------


async def test_a_people_field_takes_two_word_names_however_they_are_written(
    teams: TeamsClient,
) -> None:
    await growth(teams)
    kpi = await active_kpi(teams)
    for written in ("Ben Okafor, Lea Hart", "@Ben Okafor, @Lea Hart", '"Ben Okafor" "Lea Hart"'):
        _card, fields, data = form_of(await teams.say("kudos", ANA))
        story = f"I paired on the pricing page ({written}), so the launch went out on time"
        values = filled(fields, data, people=written, kpi=kpi, story=story)
        said = text_of(await teams.submit(values, ANA))
        assert "Sent to Ben Okafor, Lea Hart." in said, (written, said)


async def test_a_form_asks_its_question_once(teams: TeamsClient) -> None:
    card, fields, _data = form_of(await teams.say("obstacle"))
    seen = [e.get("text") or e.get("label") or "" for e in card["body"]]  # what a person reads
    assert sum("in your way this week" in line for line in seen) == 1, seen
    assert fields["text"]["label"] == "Your answer"  # still labelled, for screen readers


async def test_a_new_leads_checklist_is_facts_on_or_off_not_brackets(teams: TeamsClient) -> None:
    await teams.meet(ANA)
    said = await teams.say("team create Growth", ANA)
    (checklist,) = [c for s in said for c in s.cards if "Your checklist" in json.dumps(c)]
    (facts,) = [e for e in checklist["body"] if e["type"] == "FactSet"]
    values = {f["title"]: f["value"] for f in facts["facts"]}
    assert values["weekly 'what's in my way' check-in"] == "on"
    assert "off" in values.values()
    assert "[x]" not in json.dumps(checklist)
    assert "[ ]" not in json.dumps(checklist)
