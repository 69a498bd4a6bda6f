"""Stretch assignments and experiment budgets through the real Bolt app: the lead opens a
stretch in a DM and Ana's private yes is a button in hers; her experiment's budget ask
reaches the lead with Approve and Ask a question, and the approve button tells her."""

from __future__ import annotations

import json

from tests.bot.slack.conftest import ANA, BEN, LEA, SlackClient, texts, typed
from tests.bot.slack.mock_slack import ANSWER
from tests.bot.slack.support import (
    active_kpi,
    answered,
    buttons,
    click_in_dm,
    dm_to,
    growth,
    inputs,
    intro,
)

LEA_DM, ANA_DM = "D0AB12CDB", "D0AB12CDA"
ON = "checkin,one_on_one,stretch,experiment_budget"


async def test_a_stretch_is_asked_and_taken_on_by_buttons_in_private(slack: SlackClient) -> None:
    await growth(slack)
    assert "stretch assignments" in await slack.ask(f"settings set rituals {ON}", LEA)
    kpi = await active_kpi(slack)
    assert "Logged" in await slack.ask(f"log {kpi} 4", ANA)
    opening = f'stretch <@{ANA}|ana> {kpi} "lead the next client workshop" by 2026-12-14 '
    opening += f"support <@{BEN}|ben>"
    # In the channel it is refused: whose KPI lags is not the channel's business.
    assert "not in a channel" in await slack.ask(opening, LEA)
    said = await slack.ask(opening, LEA, channel=LEA_DM)
    assert "Asked Ana privately whether they take on stretch #1" in said
    ask = await dm_to(slack, ANA, "would like you to take this on")
    assert f"<@{LEA}> would like you to take this on" in texts(ask.args)
    assert buttons(ask.args) == {
        "Yes, I'll take it on": "stretch answer 1 yes",
        "Not this time": "stretch answer 1 no",
    }
    before = len(slack.api.of(ANSWER))
    await click_in_dm(slack, buttons(ask.args)["Yes, I'll take it on"], ANA)
    assert "Stretch #1 is yours" in await answered(slack, before, "is yours")
    told = await dm_to(slack, LEA, "takes on stretch #1")
    assert "Ana takes on stretch #1: lead the next client workshop" in texts(told.args)
    await dm_to(slack, BEN, "You were named to support them")


async def test_a_budget_ask_is_approved_by_the_leads_button(slack: SlackClient) -> None:
    await growth(slack)
    await slack.ask(f"settings set rituals {ON}", LEA)
    kpi = await active_kpi(slack)
    await slack.ask(f'experiment {kpi} "call back every lost lead within an hour"', ANA)
    said = await slack.ask('budget ask 1 "3 hours" scope "call back the ten lost leads"', ANA)
    assert "Asked Lea for 3 hours for experiment #1 (request #1)" in said
    ask = await dm_to(slack, LEA, "asks for 3 hours")
    assert buttons(ask.args) == {
        "Approve": "budget approve 1",
        "Ask a question": "budget question 1",
    }
    before = len(slack.api.of(ANSWER))
    await click_in_dm(slack, buttons(ask.args)["Approve"], LEA)
    assert "Approved request #1: 3 hours for Ana." in await answered(slack, before, "Approved")
    told = await dm_to(slack, ANA, "Approved: 3 hours")
    assert "Scope: call back the ten lost leads" in texts(told.args)
    assert "5 of 8 hours left in 2026-Q4" in await slack.ask("budget", ANA)


async def test_the_suggestions_button_opens_the_stretch_modal_and_a_bad_day_keeps_it(
    slack: SlackClient,
) -> None:
    await growth(slack)
    await slack.ask(f"settings set rituals {ON}", LEA)
    kpi = await active_kpi(slack)
    await slack.ask(f"log {kpi} 4", ANA)
    before = len(slack.api.of(ANSWER))
    assert "Ana: no stretch this quarter yet." in await slack.ask("stretch suggest", LEA, LEA_DM)
    (shown,) = [c.args for c in slack.api.of(ANSWER)[before:] if buttons(c.args)]
    await click_in_dm(slack, buttons(shown)["Open a stretch for Ana"], LEA)
    (opened,) = await slack.api.wait_for("views.open")
    view = opened.args["view"]
    assert "Lagging its target: #" in intro(view)
    assert inputs(view)["person"] == ANA
    assert json.loads(view["private_metadata"])["hidden"]["kpi"] == kpi  # what it is about
    typed_in = {
        # Slack sends every input's state on submit, the prefilled picker's included.
        "person": {"value": {"type": "users_select", "selected_user": ANA}},
        "what": {"value": typed("lead the next client workshop")},
        "due": {"value": typed("someday")},
        "supporter": {"value": {"type": "users_select", "selected_user": BEN}},
    }
    answer = await (await slack.submit(view, typed_in, LEA)).json()
    assert answer["response_action"] == "update"
    again = answer["view"]
    assert "By when: " in intro(again)
    assert "is not a day I can read" in intro(again)
    assert inputs(again)["what"] == "lead the next client workshop"  # nothing typed is lost
    typed_in["due"] = {"value": typed("2026-12-14")}
    response = await slack.submit(again, typed_in, LEA)
    assert response.status == 200
    ask = await dm_to(slack, ANA, "would like you to take this on")
    assert "with Ben to support you" in texts(ask.args)
