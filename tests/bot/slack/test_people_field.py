"""A form field for several people: Slack's multi-user picker out, the grammar's mentions back.

`team add` is the command with such a field today (`people: tuple[PersonRef, ...]`). It offers no
form of its own, so its modal is built from the grammar the way any form is, and submitted
through the real Bolt app in the shape Slack gives a `multi_users_select` in a view_submission:
`{"type": "multi_users_select", "selected_users": ["U…", …]}` (bolt-js `MultiUsersSelectAction`,
slack_sdk `ViewStateValue.selected_users`).
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.grammar import Parsed, build_grammar
from bot.slack.render import FormOrigin, form_values, render_modal
from rituals.core.command import PersonRef
from rituals.team.teams import AddMembers
from tests.bot.slack.conftest import ANA, BEN, CHANNEL, LEA, SlackClient, fixture, texts, typed
from tests.bot.slack.mock_slack import ANSWER
from tests.bot.slack.support import picked
from tests.support import team_add_form

GRAMMAR = build_grammar("/kpi")


def elements(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    View(**view).to_dict()  # slack_sdk re-checks the view and every block on the way out
    for block in view["blocks"]:
        parsed = Block.parse(block)
        assert parsed is not None
        assert parsed.to_dict() == block
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


def test_a_people_field_is_a_multi_user_picker_that_starts_from_its_mentions() -> None:
    origin = FormOrigin("team add", channel_id=CHANNEL)
    view = render_modal(team_add_form(GRAMMAR, people=f"<@{ANA}|ana>, <@{BEN}> <@{ANA}>"), origin)
    assert elements(view)["people"] == {
        "type": "multi_users_select",
        "action_id": "value",
        "initial_users": [ANA, BEN],
        "max_selected_items": 20,  # AddMembers takes at most 20 people
    }
    empty = elements(render_modal(team_add_form(GRAMMAR), origin))["people"]
    assert empty == {"type": "multi_users_select", "action_id": "value", "max_selected_items": 20}


def test_a_people_field_naming_someone_by_typed_name_stays_editable_text() -> None:
    view = render_modal(team_add_form(GRAMMAR, people=f"@ana <@{BEN}>"), FormOrigin("team add"))
    people = elements(view)["people"]
    assert people["type"] == "plain_text_input"
    assert people["initial_value"] == f"@ana <@{BEN}>"  # nothing Slack cannot show is dropped
    # Its max_length (20) counts people, so it does not cap the characters typed.
    assert people["max_length"] == 3000


def test_a_submitted_picker_reads_as_the_grammars_mentions_and_parses_to_two_people() -> None:
    payload = fixture("view_submission.json")
    payload["view"]["state"] = {
        "values": {
            "people": {"value": picked(ANA, BEN)},
            "team": {"value": typed("Growth")},
            "nobody": {"value": picked()},
        }
    }
    values = form_values(payload["view"]["state"])
    assert values == {"people": f"<@{ANA}> <@{BEN}>", "team": "Growth"}  # none picked: no value
    outcome = GRAMMAR.from_form("team add", values)
    assert isinstance(outcome, Parsed)
    assert outcome.command == AddMembers(
        people=(PersonRef(platform_user_id=ANA), PersonRef(platform_user_id=BEN)), team="Growth"
    )


async def test_a_lead_adds_two_people_picked_in_the_modal(slack: SlackClient) -> None:
    await slack.meet(LEA, ANA)
    assert "Growth" in await slack.ask("team create Growth", LEA)
    origin = FormOrigin("team add", channel_id=CHANNEL, response_url=slack.api.response_url())
    view = render_modal(team_add_form(GRAMMAR), origin)
    before = len(slack.api.of(ANSWER))
    # Ben has never spoken to the bot: his id from the picker is looked up like a mention.
    response = await slack.submit(view, {"people": {"value": picked(ANA, BEN)}}, user=LEA)
    assert response.status == 200
    assert await response.text() == ""  # the modal closes
    calls = await slack.api.wait_for(ANSWER, before + 1)
    said = texts(calls[-1].args)
    assert f"Added <@{ANA}> and <@{BEN}> to Growth" in said
    team = await slack.ask("team", LEA)
    assert f"<@{ANA}>" in team
    assert f"<@{BEN}>" in team
