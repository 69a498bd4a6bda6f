"""Numbers with context and the KPI life cycle through the real Bolt app.

Logging a value (typed, or through the log modal with a bad value sent back in the ack), the
340% question whose button logs it anyway, the trend chart uploaded as a PNG file through
Slack's upload endpoints, user notes that cannot ping anyone, and the team's vote from the
channel post's button, whose comment is answered in that post's thread. A modal refused by the
grammar comes back as the same modal, with the problem on top.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from tests.bot.slack.conftest import (
    ANA,
    BEN,
    CHANNEL,
    LEA,
    SlackClient,
    fixture,
    text_objects,
    texts,
    typed,
)
from tests.bot.slack.mock_slack import ANSWER, Call
from tests.bot.slack.support import (
    GOAL,
    active_kpi,
    answered,
    buttons,
    dm_to,
    growth,
    inputs,
    intro,
    number,
)
from tests.support import PNG_SIGNATURE, assert_valid_png

# What the mock Slack answers every chat.postMessage with: the ts of the post it made.
POSTED_TS = "1700000000.000900"


def uploads_since(slack: SlackClient, before: int) -> list[Call]:
    return [c for c in slack.api.calls[before:] if c.method == "upload"]


async def test_a_logged_value_and_its_trend_chart_uploaded_as_a_png(slack: SlackClient) -> None:
    await growth(slack)
    kpi = await active_kpi(slack)
    said = await slack.ask(f'log {kpi} 12 "two demos moved up"', ANA)
    assert f"Logged 12 leads for #{kpi} Qualified leads, the week of 23 November 2026." in said
    assert slack.api.of("upload") == []  # no chart until asked for

    before = len(slack.api.calls)
    shown = await slack.ask(f"trend {kpi}", ANA)
    # The message says what the chart shows and that it comes as a file.
    assert f"#{kpi} Qualified leads (Ana)" in shown
    assert "from 2026-W48 to 2026-W48; latest 12 leads, target 10 leads." in shown
    assert "(attached below)" in shown
    assert "1. 2026-W48: two demos moved up" in shown
    assert "Only you and your lead see these numbers." in shown

    # The PNG goes through files_upload_v2 into Ana's DM with the app, never the channel.
    (opened,) = await slack.api.wait_for("conversations.open")
    assert opened.args["users"] == ANA
    (done,) = await slack.api.wait_for("files.completeUploadExternal")
    assert done.args["channel_id"] == "D" + ANA[1:]
    (asked,) = [c for c in slack.api.calls[before:] if c.method == "files.getUploadURLExternal"]
    assert asked.args["filename"] == f"kpi-{kpi}-trend.png"
    (upload,) = uploads_since(slack, before)
    data = upload.args["bytes"]
    assert data[:8] == PNG_SIGNATURE
    assert int(asked.args["length"]) == len(data)
    width, height = assert_valid_png(data)  # a whole chart: 5-150 KB, about 800x400
    assert (width, height) == (800, 400)
    (titled,) = json.loads(done.args["files"])
    assert titled["title"] == f"#{kpi} Qualified leads (Ana)"


async def test_a_note_cannot_ping_the_channel_in_the_owners_dm_or_the_trend(
    slack: SlackClient,
) -> None:
    await growth(slack)
    kpi = await active_kpi(slack)
    evil = "<!channel> <@U999EVIL> & <!here> were out"
    # Lea logs Ana's number: Ana hears of it in her DM, the note shown as Lea typed it.
    assert "Logged 9 leads" in await slack.ask(f'log {kpi} 9 "{evil}"', LEA)
    to_ana = await dm_to(slack, ANA, "logged 9 leads")
    shown = texts(to_ana.args)
    assert f"<@{LEA}> logged 9 leads for Qualified leads" in shown  # the one real mention
    assert "Context: &lt;!channel&gt; &lt;@U999EVIL&gt; &amp; &lt;!here&gt; were out" in shown
    # The trend lists the note by its number on the chart, escaped the same way.
    before = len(slack.api.of(ANSWER))
    await slack.ask(f"trend {kpi}", ANA)
    (trend,) = [
        c.args for c in slack.api.of(ANSWER)[before:] if "(attached below)" in texts(c.args)
    ]
    assert "1. 2026-W48: &lt;!channel&gt; &lt;@U999EVIL&gt; &amp; &lt;!here&gt; were out" in (
        texts(trend)
    )
    for sent, mentions in ((to_ana.args, [LEA]), (trend, [])):
        mrkdwn = [node for node in text_objects(sent) if node.get("type") == "mrkdwn"]
        assert all(node.get("verbatim") is True for node in mrkdwn)  # Slack links nothing
        raw = json.dumps(sent)
        for ping in ("<!channel>", "<!here>", "<@U999EVIL>"):
            assert ping not in raw  # neither in the blocks nor in the notification's fallback
        assert re.findall(r"<@(\w+)>", raw) == mentions


async def test_the_log_modal_keeps_a_bad_value_on_the_form_then_stores_a_good_one(
    slack: SlackClient,
) -> None:
    await growth(slack)
    kpi = await active_kpi(slack)
    response = await slack.command(f"log {kpi}", ANA)
    assert response.status == 200
    (opened,) = await slack.api.wait_for("views.open")
    view = opened.args["view"]
    origin = json.loads(view["private_metadata"])
    assert origin["command"] == "log"
    assert origin["hidden"]["kpi"] == kpi  # what it is about rides along, not a field
    assert {b["block_id"]: b["optional"] for b in view["blocks"] if b["type"] == "input"} == {
        "value": False,
        "note": True,
        "period": True,
    }
    assert f"#{kpi} Qualified leads, target 10 leads per week." in intro(view)

    # Not a number: the same modal in the ack, the problem on top, what was typed kept.
    bad = {"value": {"value": typed("twelve")}, "note": {"value": typed("quiet week")}}
    response = await slack.submit(view, bad, ANA)
    assert response.status == 200
    answer = await response.json()
    assert answer["response_action"] == "update"
    again = answer["view"]
    assert json.loads(again["private_metadata"])["hidden"]["kpi"] == kpi
    assert intro(again).startswith('Value must be a number, like 10 or 2.5 (got "twelve")')
    assert inputs(again) == {"value": "twelve", "note": "quiet week", "period": None}

    # A good value: the modal closes and Ana hears where it went.
    before = len(slack.api.of(ANSWER))
    good = {**bad, "value": {"value": typed("11")}}
    response = await slack.submit(again, good, ANA)
    assert response.status == 200
    assert await response.text() == ""
    said = await answered(slack, before, "Logged 11 leads")
    assert f"Logged 11 leads for #{kpi} Qualified leads" in said
    assert "1. 2026-W48: quiet week" in await slack.ask(f"trend {kpi}", ANA)


async def test_a_share_over_the_whole_is_questioned_and_its_button_logs_it(
    slack: SlackClient,
) -> None:
    await growth(slack)
    kpi = await active_kpi(slack, "Win rate", "25%")
    before = len(slack.api.of(ANSWER))
    said = await slack.ask(f"log {kpi} 340%", ANA)
    assert "340% is outside 0 to 100%" in said
    assert "Nothing is logged yet." in said
    (question,) = [c.args for c in slack.api.of(ANSWER)[before:] if buttons(c.args)]
    assert buttons(question) == {
        "Yes, log 340%": f"log {kpi} 340% period 2026-W48 --confirmed",
        "Change it": f"log {kpi}",
    }
    assert "has no values yet" in await slack.ask(f"trend {kpi}", ANA)

    before = len(slack.api.of(ANSWER))
    response = await slack.click(buttons(question)["Yes, log 340%"], ANA)
    assert response.status == 200
    said = await answered(slack, before, "Logged 340%")
    assert f"Logged 340% for #{kpi} Win rate, the week of 23 November 2026." in said
    assert "*Latest*\n340% (2026-W48)" in await slack.ask(f"trend {kpi}", ANA)


async def test_a_vote_from_the_channel_posts_button_comments_in_its_thread(
    slack: SlackClient,
) -> None:
    await growth(slack)
    excites = "every lead is a conversation I learn from"
    said = await slack.ask(
        f'propose "Qualified leads" target 10 per week growth "{GOAL}" why "{excites}"', ANA
    )
    kpi = number(said.split("Proposed", 1)[1])
    (post,) = await slack.api.wait_for(
        "chat.postMessage", where=lambda c: c.args["channel"] == CHANNEL
    )
    assert post.args.get("thread_ts") is None  # the proposal starts its own thread
    assert excites in texts(post.args)
    assert buttons(post.args) == {"Back it": f"vote {kpi} back", "Question it": f"vote {kpi}"}

    # Ben presses "Question it" on that post: a modal for his question. Slack's payload names
    # the post the button was on, and the modal carries it to the submission.
    comment = "is 10 realistic in December?"
    payload: dict[str, Any] = fixture("block_actions.json")
    payload["team"]["id"] = slack.team
    payload["user"].update(id=BEN, team_id=slack.team)
    payload["channel"] = {"id": CHANNEL, "name": "team-growth"}
    payload["container"] = {"type": "message", "message_ts": POSTED_TS, "channel_id": CHANNEL}
    payload["message"]["ts"] = POSTED_TS
    payload["actions"][0].update(action_id="run-1", value=buttons(post.args)["Question it"])
    payload["response_url"] = slack.api.response_url(uuid.uuid4().hex)
    response = await slack.interact(payload)
    assert response.status == 200
    (opened,) = await slack.api.wait_for("views.open")
    before = len(slack.api.of(ANSWER))
    question = {"type": "static_select", "selected_option": {"value": "question"}}
    response = await slack.submit(
        opened.args["view"],
        {"stance": {"value": question}, "comment": {"value": typed(comment)}},
        BEN,
    )
    assert response.status == 200
    said = await answered(slack, before, "The team so far")
    assert f"You question #{kpi} Qualified leads. The team so far: 0 back it, 1 question it." in (
        said
    )
    (threaded,) = await slack.api.wait_for(
        "chat.postMessage", where=lambda c: comment in (c.args.get("text") or "")
    )
    assert threaded.args["channel"] == CHANNEL
    assert threaded.args["thread_ts"] == POSTED_TS  # in the proposal's thread, not the channel
    assert f"<@{BEN}> questions it: {comment}" in texts(threaded.args)

    # Not activated while the team questions it more than it backs it.
    refused = await slack.ask(f"activate {kpi}", LEA)
    assert "has not backed" in refused
    assert f"Ben: {comment}" in refused
    assert "The team so far: 1 back it, 1 question it" in await slack.ask(f"vote {kpi} back", LEA)
    assert "has not backed" in await slack.ask(f"activate {kpi}", LEA)
    assert "The team so far: 2 back it" in await slack.ask(f"vote {kpi} back", ANA)
    assert "Active" in await slack.ask(f"activate {kpi}", LEA)


async def test_a_value_typed_with_its_unit_in_the_log_modal_is_read_as_typed_text_is(
    slack: SlackClient,
) -> None:
    await growth(slack)
    kpi = await active_kpi(slack, "Win rate", "25%")
    assert "Logged 31%" in await slack.ask(f"log {kpi} 31% period last", ANA)  # typed: fine
    await slack.command(f"log {kpi}", ANA)
    (opened,) = await slack.api.wait_for("views.open")
    before = len(slack.api.of(ANSWER))
    response = await slack.submit(opened.args["view"], {"value": {"value": typed("34%")}}, ANA)
    assert response.status == 200
    assert await response.text() == ""  # the modal closes: 34% is this KPI's unit
    said = await answered(slack, before, "Logged 34%")
    assert f"Logged 34% for #{kpi} Win rate, the week of 23 November 2026." in said


async def test_the_log_modal_shown_again_is_the_same_modal_with_the_problem_on_top(
    slack: SlackClient,
) -> None:
    await growth(slack)
    kpi = await active_kpi(slack)
    await slack.command(f"log {kpi}", ANA)
    (opened,) = await slack.api.wait_for("views.open")
    view = opened.args["view"]
    response = await slack.submit(view, {"value": {"value": typed("twelve")}}, ANA)
    again = (await response.json())["view"]
    said = intro(again)
    assert said.index("must be a number") < said.index(f"#{kpi} Qualified leads, target 10 leads")
    optional = {b["block_id"]: b["optional"] for b in again["blocks"] if b["type"] == "input"}
    assert optional == {"value": False, "note": True, "period": True}
