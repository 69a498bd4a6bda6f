"""Modals, buttons, App Home and events through the real Bolt app."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import select

from storage.engine import make_engine
from storage.models import Member, Workspace
from tests.bot.slack.conftest import ANA, BEN, CHANNEL, LEA, SlackClient, texts, typed
from tests.bot.slack.mock_slack import ANSWER


def chosen(value: str) -> dict[str, Any]:
    return {
        "type": "static_select",
        "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value},
    }


async def test_a_modal_round_trip_open_submit_with_errors_then_right(slack: SlackClient) -> None:
    await slack.meet(ANA)
    await slack.command("propose")
    (opened,) = await slack.api.wait_for("views.open")
    view = opened.args["view"]
    assert json.loads(view["private_metadata"])["command"] == "propose"
    assert {b["block_id"] for b in view["blocks"]} >= {"name", "target", "cadence", "owner"}

    wrong = {"name": {"value": typed("Qualified leads")}, "target": {"value": typed("lots")}}
    wrong["cadence"] = {"value": chosen("weekly")}
    response = await slack.submit(view, wrong)
    assert response.status == 200
    answer = await response.json()
    assert answer["response_action"] == "update"  # the same modal, values kept, problem on top
    again = answer["view"]
    assert "target" in texts(again).lower()
    kept = {
        b["block_id"]: b["element"].get("initial_value") for b in again["blocks"] if "element" in b
    }
    assert kept["name"] == "Qualified leads"

    right = {**wrong, "target": {"value": typed("10")}, "unit": {"value": typed("leads")}}
    right["owner"] = {"value": {"type": "users_select", "selected_user": ANA}}
    before = len(slack.api.of(ANSWER))
    response = await slack.submit(again, right)
    assert response.status == 200
    assert await response.text() == ""  # closes the modal
    calls = await slack.api.wait_for(ANSWER, before + 1)
    assert "Proposed" in texts(calls[-1].args)
    assert "Qualified leads" in await slack.ask("kpis")


async def test_a_button_runs_its_command_for_whoever_clicks_it(slack: SlackClient) -> None:
    await slack.meet(ANA, BEN)
    said = await slack.ask('propose "Demos" target 3 per week')
    kpi = said.split("#")[1].split(":")[0]
    before = len(slack.api.of(ANSWER))
    response = await slack.click(f"accept {kpi}", user=BEN)  # the wrong person
    assert response.status == 200
    calls = await slack.api.wait_for(ANSWER, before + 1)
    assert calls[-1].args["response_type"] == "ephemeral"  # only Ben sees the refusal
    # Ben is on no team with Ana: her KPI is, to him, a number nobody uses.
    assert f"There is no KPI #{kpi} here." in texts(calls[-1].args)
    assert "Ana" not in texts(calls[-1].args)


async def test_a_button_without_values_opens_its_form(slack: SlackClient) -> None:
    await slack.meet(ANA)
    await slack.click("me set")
    (opened,) = await slack.api.wait_for("views.open")
    assert opened.args["trigger_id"] == "13345224609.738474920.8088930838d88f008e1"
    assert json.loads(opened.args["view"]["private_metadata"])["command"] == "me set"


async def test_a_button_from_an_older_message_gets_an_answer_not_silence(
    slack: SlackClient,
) -> None:
    response = await slack.click("nomination:42", action_id="fotm_vote")
    assert response.status == 200
    (call,) = await slack.api.wait_for(ANSWER)
    assert "older message" in texts(call.args)


async def test_opening_the_app_home_welcomes_once_and_publishes_the_home_tab(
    slack: SlackClient,
) -> None:
    await slack.meet(ANA)
    kpi = (await slack.ask('propose "Qualified leads" target 10 per week')).split("#")[1][:8]
    await slack.ask(f'growth {kpi.split(":")[0]} "lead discovery calls by March"')
    await slack.event("event_app_home_opened.json", {"user": ANA})
    (published,) = await slack.api.wait_for("views.publish")
    assert published.args["user_id"] == ANA
    home = published.args["view"]
    assert home["type"] == "home"
    shown = texts(home)
    assert "Qualified leads" in shown
    assert "lead discovery calls by March" in shown  # the KPI beside its growth goal
    assert "Next up" in shown
    # Lea opens it for the first time: a welcome by DM, once.
    await slack.event("event_app_home_opened.json", {"user": LEA})
    await slack.api.wait_for("views.publish", 2)
    await slack.event("event_app_home_opened.json", {"user": LEA})
    await slack.api.wait_for("views.publish", 3)
    welcomes = [c for c in slack.api.of("chat.postMessage") if "Welcome" in c.args["text"]]
    assert [c.args["channel"] for c in welcomes] == [LEA]


async def test_a_home_tab_button_answers_by_dm_and_refreshes_the_home(slack: SlackClient) -> None:
    await slack.meet(ANA)
    await slack.click("kpis", in_home=True)
    (dm,) = await slack.api.wait_for("chat.postMessage")
    assert dm.args["channel"] == ANA
    assert "no KPIs yet" in texts(dm.args)
    await slack.api.wait_for("views.publish")


async def test_a_dm_to_the_bot_is_a_command_and_bot_messages_are_ignored(
    slack: SlackClient,
) -> None:
    await slack.meet(ANA)
    await slack.event("event_message_im.json", {"text": "kpis"})
    (reply,) = await slack.api.wait_for("chat.postMessage")
    assert reply.args["channel"] == ANA  # the app's DM with Ana, where she wrote
    assert "no KPIs yet" in texts(reply.args)
    await slack.event("event_message_im.json", {"text": "kpis", "bot_id": "B0AB12CD8"})
    await slack.event("event_message_im.json", {"subtype": "message_changed"})
    # The fixture's sentence is not a command: it gets help, not silence.
    await slack.event("event_message_im.json")
    calls = await slack.api.wait_for("chat.postMessage", 2)
    assert len(calls) == 2
    assert "/kpi help" in texts(calls[1].args)


async def test_a_mention_in_a_channel_is_answered_to_the_asker_alone(slack: SlackClient) -> None:
    await slack.meet(ANA)
    await slack.event("event_app_mention.json")  # "<@U0BOT0001> help"
    (reply,) = await slack.api.wait_for("chat.postEphemeral")
    assert reply.args["channel"] == CHANNEL
    assert reply.args["user"] == ANA
    assert "/kpi propose" in texts(reply.args)


async def test_an_event_retry_is_handled_once(slack: SlackClient) -> None:
    await slack.meet(ANA)
    envelope = {
        **json.loads(json.dumps(_fixture("event_message_im.json"))),
        "team_id": slack.team,
        "event_id": f"Ev0RETRY{slack.team}",
    }
    envelope["event"]["text"] = "kpis"
    assert (await slack.send_envelope(envelope)).status == 200
    await slack.api.wait_for("chat.postMessage")
    for retry in (1, 2):
        assert (await slack.send_envelope(envelope, retry=retry)).status == 200
    await slack.ask("me")  # anything after it has settled
    assert len(slack.api.of("chat.postMessage")) == 1


async def test_a_deactivated_user_leaves_the_workspace(
    slack: SlackClient, database_url: str
) -> None:
    await slack.meet(LEA, BEN)
    await slack.ask("team create Growth", LEA)
    await slack.ask(f"team add <@{BEN}|ben>", LEA)
    user = {**slack.api.users[BEN], "deleted": True}
    slack.api.users[BEN] = user
    await slack.event("event_app_home_opened.json", {"type": "user_change", "user": user})
    engine = make_engine(database_url)
    query = (
        select(Member.is_active)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(Workspace.external_id == slack.team, Member.platform_user_id == BEN)
    )
    try:
        for _ in range(500):  # the event is handled after its ack
            async with engine.connect() as connection:
                if await connection.scalar(query) is False:
                    break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("Ben is still active")
    finally:
        await engine.dispose()
    assert f"<@{BEN}>" not in await slack.ask("team", LEA)


def _fixture(name: str) -> dict[str, Any]:
    from tests.bot.slack.conftest import fixture

    return fixture(name)


async def test_an_export_is_uploaded_into_the_persons_dm_not_the_channel(
    slack: SlackClient,
) -> None:
    await slack.meet(ANA)
    said = await slack.ask("me export")
    assert "attached below" in said
    (opened,) = await slack.api.wait_for("conversations.open")
    assert opened.args["users"] == ANA
    (done,) = await slack.api.wait_for("files.completeUploadExternal")
    assert done.args["channel_id"] == "D0AB12CD4"
    (upload,) = slack.api.of("upload")
    assert json.loads(upload.args["bytes"])  # the JSON export itself


async def test_a_failure_reaches_the_person_in_one_line_and_the_log_in_full(
    slack: SlackClient, caplog: pytest.LogCaptureFixture
) -> None:
    await slack.meet(ANA)
    slack.api.failing["views.open"] = "internal_error"
    await slack.command("me set")  # opens a form: Slack fails
    calls = await slack.api.wait_for(ANSWER, where=lambda c: "went wrong" in texts(c.args))
    said = texts(calls[-1].args)
    assert "(reference 88f008e0)" in said  # the end of the request's trigger id
    assert "Traceback" not in said
    assert calls[-1].args["response_type"] == "ephemeral"
    (record,) = [r for r in caplog.records if "failed" in r.getMessage()]
    assert "13345224609.738474920.8088930838d88f008e0" in record.getMessage()
    assert record.exc_info is not None
    assert "internal_error" in str(record.exc_info[1])


async def test_a_form_whose_trigger_expired_comes_as_a_button(slack: SlackClient) -> None:
    await slack.meet(ANA)
    slack.api.failing["views.open"] = "expired_trigger_id"
    said = await slack.ask('propose "Qualified leads"')
    assert "The button opens the form" in said
    button = slack.api.of(ANSWER)[-1].args["blocks"][-1]["elements"][0]
    assert button["value"].startswith('propose "Qualified leads"')  # what was typed rides along


async def test_a_guest_from_another_workspace_is_told_and_not_made_a_member(
    slack: SlackClient,
) -> None:
    slack.api.add_user("U0GUEST02", "Guest", team_id="T0ELSEWHERE")
    said = await slack.ask("kpis", "U0GUEST02")
    assert "you are a guest here" in said
    assert "Welcome" not in said
