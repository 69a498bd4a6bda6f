"""The Block Kit renderer: Slack's limits kept, user text escaped, forms as modals and back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.slack.deliver import Courier, Place
from bot.slack.render import (
    FormOrigin,
    escape,
    form_values,
    mrkdwn,
    render_home,
    render_message,
    render_modal,
)
from rituals.core import messages as m
from tests.bot.slack.conftest import fixture


def valid(blocks: list[dict[str, Any]]) -> None:
    """slack_sdk's models re-check every limit they know of on the way back out."""
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.to_dict()


def test_escape_touches_only_slacks_three_control_characters() -> None:
    assert escape("<!channel> & <@U1> &lt; *bold* @here") == (
        "&lt;!channel&gt; &amp; &lt;@U1&gt; &amp;lt; *bold* @here"
    )


def test_mentions_and_channel_links_come_only_from_resolved_ids() -> None:
    message = m.say("Thanks ", m.Mention("U0AB12CD6", "<!here>"), " in ", m.ChannelLink("C1"))
    (part,) = render_message(message).parts
    assert part.blocks[0]["text"]["text"] == "Thanks <@U0AB12CD6> in <#C1>"
    assert "<!here>" not in part.text


def test_a_long_paragraph_is_split_into_sections_under_3000_characters() -> None:
    words = " ".join(f"word{i}" for i in range(2500))  # about 17,000 characters
    (part,) = render_message(m.say(words)).parts
    assert len(part.blocks) >= 6
    assert all(len(b["text"]["text"]) <= 3000 for b in part.blocks)
    assert " ".join(b["text"]["text"] for b in part.blocks) == words
    valid(part.blocks)


def test_more_than_50_blocks_become_several_messages_and_too_many_are_cut_with_a_note() -> None:
    rendered = render_message(m.Message(tuple(m.Heading(f"h{i}") for i in range(120))))
    assert [len(p.blocks) for p in rendered.parts] == [50, 50, 20]
    assert rendered.parts[1].text == "(continued)"
    huge = render_message(m.Message(tuple(m.Heading(f"h{i}") for i in range(500))))
    assert len(huge.parts) == 4
    assert "more blocks were cut" in json.dumps(huge.parts[-1].blocks[-1])
    for part in huge.parts:
        valid(part.blocks)


def test_long_labels_headers_fields_and_many_buttons_fit() -> None:
    message = m.Message(
        (
            m.Heading("H" * 400),
            m.Fields(tuple((f"label {i}", "v" * 2500) for i in range(23))),
            m.Actions(tuple(m.Button("B" * 100, f"kpis {i}") for i in range(30)), prompt="Pick"),
            m.Note("n" * 5000),
        )
    )
    (part,) = render_message(message).parts
    valid(part.blocks)
    kinds = [b["type"] for b in part.blocks]
    assert kinds.count("actions") == 2  # 25 buttons per block at most
    assert kinds.count("section") == 1 + 3  # the prompt, then 10 + 10 + 3 fields
    assert len(part.text) <= 3000


def test_a_file_becomes_an_upload_and_a_note() -> None:
    rendered = render_message(m.Message((m.File("export.json", b"{}", "application/json"),)))
    assert [u.name for u in rendered.uploads] == ["export.json"]
    assert "attached" in json.dumps(rendered.parts[0].blocks)


def test_the_home_tab_holds_at_most_100_blocks() -> None:
    home = render_home(m.Message(tuple(m.Paragraph((f"p{i}",)) for i in range(150))))
    assert home["type"] == "home"
    assert len(home["blocks"]) == 100
    View(**home).to_dict()


FORM = m.Form(
    title="Propose a KPI for the whole team",
    command="propose",
    intro="Target: <!channel> is not a number",
    fields=(
        m.FormField("name", "KPI name", value="Leads & <stuff>"),
        m.FormField("why", "Why", kind=m.FieldKind.LONG_TEXT, required=False, max_length=5000),
        m.FormField("cadence", "Cadence", kind=m.FieldKind.CHOICE, options=("weekly", "monthly")),
        m.FormField("owner", "Owner", kind=m.FieldKind.PERSON, value="<@U0AB12CD6|ben>"),
        m.FormField("helper", "Helper", kind=m.FieldKind.PERSON, value="@ana"),
    ),
    hidden={"kpi": "7"},
)


def test_a_form_becomes_a_modal_within_limits_that_carries_its_origin() -> None:
    origin = FormOrigin("propose", {"kpi": "7"}, "C1", "https://hooks.slack.com/commands/x")
    view = render_modal(FORM, origin)
    View(**view).to_dict()
    assert view["title"]["text"] == "Propose a KPI for the w…"  # 24 characters at most
    assert view["blocks"][0]["text"]["text"] == "Target: &lt;!channel&gt; is not a number"
    by_id = {b["block_id"]: b["element"] for b in view["blocks"][1:]}
    assert by_id["name"]["initial_value"] == "Leads & <stuff>"  # plain text: shown as typed
    assert by_id["why"]["multiline"] is True
    assert by_id["why"]["max_length"] == 3000
    assert by_id["cadence"]["type"] == "static_select"
    assert by_id["owner"] == {
        "type": "users_select",
        "action_id": "value",
        "initial_user": "U0AB12CD6",
    }
    assert by_id["helper"]["initial_value"] == "@ana"  # a typed name stays editable text
    assert FormOrigin.decode(view["private_metadata"]) == origin


def test_private_metadata_drops_the_response_url_before_it_overflows() -> None:
    origin = FormOrigin(
        "propose", {"kpi": "x" * 2900}, None, "https://hooks.slack.com/" + "y" * 200
    )
    assert FormOrigin.decode(origin.encode()).response_url is None
    with pytest.raises(ValueError, match="too much hidden data"):
        FormOrigin("propose", {"kpi": "x" * 3100}).encode()


def test_submitted_values_are_read_as_the_grammar_reads_them() -> None:
    view = fixture("view_submission.json")["view"]
    assert form_values(view["state"]) == {}  # the fixture's own action ids are not ours
    state = {
        "values": {
            "name": {"value": {"type": "plain_text_input", "value": "Qualified leads"}},
            "unit": {"value": {"type": "plain_text_input", "value": None}},
            "cadence": {"value": {"type": "static_select", "selected_option": {"value": "weekly"}}},
            "owner": {"value": {"type": "users_select", "selected_user": "U0AB12CD6"}},
        }
    }
    assert form_values(state) == {
        "name": "Qualified leads",
        "cadence": "weekly",
        "owner": "<@U0AB12CD6>",
    }


async def test_an_answer_in_a_channel_the_bot_is_not_in_reaches_the_asker_by_dm(
    slack_api: Any,
) -> None:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.grammar import build_grammar

    slack_api.not_in.add("C0PRIVATE")
    courier = Courier(build_grammar("/kpi"))
    client = AsyncWebClient(token="xoxb-test", base_url=f"{slack_api.url}/api/")
    await courier.deliver([m.say("Saved.")], Place(client, "U0AB12CD4", "C0PRIVATE"))
    # No response_url, and the ephemeral in that channel fails: the asker hears it by DM.
    assert [c.args["channel"] for c in slack_api.of("chat.postEphemeral")] == ["C0PRIVATE"]
    (posted,) = slack_api.of("chat.postMessage")
    assert posted.args["channel"] == "U0AB12CD4"
    assert "Saved." in json.dumps(posted.args["blocks"])


async def test_response_url_uses_are_counted_and_the_rest_goes_another_way(
    slack_api: Any,
) -> None:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.grammar import build_grammar

    courier = Courier(build_grammar("/kpi"))
    client = AsyncWebClient(token="xoxb-test", base_url=f"{slack_api.url}/api/")
    place = Place(client, "U0AB12CD4", "C0AB12CD5", slack_api.response_url(), responses_left=1)
    long = m.Message(tuple(m.Heading(f"h{i}") for i in range(60)))  # two Slack messages
    await courier.deliver([long], place)
    assert len(slack_api.of("response_url")) == 1
    (rest,) = slack_api.of("chat.postEphemeral")  # no part twice, none lost
    assert rest.args["text"] == "(continued)"
    assert place.response_url is None


def test_bold_keeps_its_spaces_outside_the_stars_so_slack_renders_it() -> None:
    assert mrkdwn(("Story ", m.Strong("What happened: "), "the demo")) == (
        "Story *What happened:* the demo"
    )
    assert mrkdwn((m.Strong(" #4 "), "won")) == " *#4* won"
    assert mrkdwn((m.Strong("   "),)) == "   "
