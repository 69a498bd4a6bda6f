"""A form field for several people in Teams: typed as "@name, @name", read by the grammar.

`team add` is the command with such a field today (`people: tuple[PersonRef, ...]`). It offers no
form of its own, so its card is built from the grammar the way any form is, and submitted
through the real CloudAdapter as Teams sends an Action.Submit: the button's data with each
input's text beside it.
"""

from __future__ import annotations

from bot.grammar import Parsed, build_grammar
from bot.teams.forms import CHOICES, render_form
from bot.teams.submissions import FORM_KEY, HIDDEN_KEY, Submission, submission
from rituals.core.command import PersonRef
from rituals.team.teams import AddMembers
from tests.bot.teams.conftest import LEA, PERSONAL, TeamsClient, text_of
from tests.bot.teams.support import form_of, mentioned, valid
from tests.support import team_add_form

GRAMMAR = build_grammar("/kpi")
# People whose Teams name is one word, so that it can be typed among others.
ZOE = ("29:1zOeZoE", "Zoe", "5e5e5e5e-4e1a-4b1f-9d2c-1a2b3c4d5e6f")
MAX = ("29:1mAxMaX", "Max", "3a3a3a3a-4e1a-4b1f-9d2c-1a2b3c4d5e6f")


def test_a_people_field_is_a_text_input_for_several_names_with_no_character_cap() -> None:
    card = valid(render_form(team_add_form(GRAMMAR)))
    inputs = {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}
    assert inputs["people"] == {
        "type": "Input.Text",
        "placeholder": "@name, @name",
        "id": "people",
        "label": "People",
        "isRequired": True,
        "errorMessage": "People is needed",
    }
    assert inputs["team"]["maxLength"] == 80  # other fields keep theirs
    # A prefilled value longer than the field's max_length (20 people) is shown whole.
    known = "<@6be2a34f-4e1a|Ana Ruiz> <@0b0b0b0b-4e1a|Ben Okafor>"
    card = valid(render_form(team_add_form(GRAMMAR, people=known)))
    (people,) = [e for e in card["body"] if e.get("id") == "people"]
    assert people["value"] == known


def test_a_submitted_people_field_goes_to_the_grammar_as_typed() -> None:
    (submit,) = render_form(team_add_form(GRAMMAR))["actions"]
    sent = submission({**submit["data"], "people": "@Zoe, max", "team": "Growth"})
    # The form says which fields it showed, to show them again if it is refused.
    typed = {"_shown": "people,team", "people": "@Zoe, max", "team": "Growth"}
    assert sent == Submission("team add", typed, is_form=True)
    outcome = GRAMMAR.from_form(sent.command, sent.values)
    assert isinstance(outcome, Parsed)
    assert outcome.command == AddMembers(
        people=(PersonRef(name="Zoe"), PersonRef(name="max")), team="Growth"
    )


async def test_a_lead_adds_two_people_typed_in_the_card(teams: TeamsClient) -> None:
    for person in (ZOE, MAX):
        teams.connector.add_member(*person)
    await teams.meet(LEA, ZOE, MAX)
    assert "Created Growth" in text_of(await teams.say("team create Growth", LEA))
    data = render_form(team_add_form(GRAMMAR))["actions"][0]["data"]
    assert data == {FORM_KEY: "team add", HIDDEN_KEY: {"_shown": "people,team"}}

    # Too many people: the same card comes back, the problem on top and every name kept.
    crowd = ", ".join(f"@p{i}" for i in range(21))
    refused = await teams.submit({**data, "people": crowd}, LEA)
    # Named by the card's label, not the typed command's placeholder.
    assert "People has too many items; at most 20." in text_of(refused)
    _card, fields, again = form_of(refused)
    assert fields["people"]["value"] == crowd
    assert again == data

    said = [
        s
        for s in await teams.submit({**data, "people": "@Zoe, max"}, LEA)
        if s.reply_to and not s.updated
    ]
    (reply,) = said
    assert reply.conversation == PERSONAL + LEA[0]
    assert "Added <at>Zoe</at> and <at>Max</at> to Growth" in reply.text
    assert mentioned(reply) == [ZOE[2], MAX[2]]
    # Zoe's and Max's "added you" DMs go out before the server stops: a worker stopped halfway
    # through a send would leave the shared SQLite database locked for the next test.
    await teams.deliver()


def _known(count: int) -> list[tuple[str, str]]:
    return [(f"aad-{i}", f"Person {i}") for i in range(count)]


def test_a_people_field_lists_up_to_a_hundred_known_people_and_past_that_is_typed() -> None:
    listed = valid(render_form(team_add_form(GRAMMAR), _known(CHOICES)))
    (people,) = [e for e in listed["body"] if e.get("id") == "people"]
    assert (people["type"], people["style"], people["isMultiSelect"]) == (
        "Input.ChoiceSet",
        "compact",
        True,
    )
    assert len(people["choices"]) == CHOICES
    assert people["choices"][0] == {"title": "Person 0", "value": "<@aad-0|Person 0>"}
    assert listed["version"] == "1.3"  # input labels; nothing newer

    typed = valid(render_form(team_add_form(GRAMMAR), _known(CHOICES + 1)))
    (people,) = [e for e in typed["body"] if e.get("id") == "people"]
    assert (people["type"], people["placeholder"]) == ("Input.Text", "@name, @name")


def test_a_people_list_keeps_what_came_back_and_a_typed_name_keeps_the_text_input() -> None:
    known = [("aad-1", "Megan Bowen"), ("aad-2", "Alex, the <b>Wilber</b>")]
    picked = "<@aad-1|Megan Bowen> <@aad-2|Alex the bWilber/b>"
    card = valid(render_form(team_add_form(GRAMMAR, people=picked), known))
    (people,) = [e for e in card["body"] if e.get("id") == "people"]
    # Names never end the mention or split the list the client joins with commas.
    assert [c["value"] for c in people["choices"]] == [
        "<@aad-1|Megan Bowen>",
        "<@aad-2|Alex the bWilber/b>",
    ]
    assert people["value"] == "<@aad-1|Megan Bowen>,<@aad-2|Alex the bWilber/b>"
    # Read back as the grammar reads two picks.
    outcome = GRAMMAR.from_form("team add", {"people": people["value"], "team": "Growth"})
    assert isinstance(outcome, Parsed)
    assert outcome.command == AddMembers(
        people=(
            PersonRef(platform_user_id="aad-1"),
            PersonRef(platform_user_id="aad-2"),
        ),
        team="Growth",
    )

    # A name typed earlier, or someone the list does not hold: the text comes back as typed.
    for earlier in ("@Megan Bowen, <@aad-1|Megan Bowen>", "<@aad-9|Noa Levi>"):
        card = valid(render_form(team_add_form(GRAMMAR, people=earlier), known))
        (people,) = [e for e in card["body"] if e.get("id") == "people"]
        assert (people["type"], people["value"]) == ("Input.Text", earlier)
