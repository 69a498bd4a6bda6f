"""Stretch assignments and experiment budgets through the real CloudAdapter: the lead opens a
stretch in her chat with the bot, Ana's private yes is a card button in hers (proactively,
through the outbox and the mock Bot Connector), and a budget ask reaches the lead as a card
with Approve and Ask a question, whose question comes back to Ana with a button to answer."""

from __future__ import annotations

from tests.bot.teams.conftest import ANA, LEA, TeamsClient, text_of
from tests.bot.teams.support import active_kpi, answer, growth, news, runs

ON = "checkin,one_on_one,stretch,experiment_budget"


async def test_a_stretch_and_a_budget_decided_by_card_buttons(teams: TeamsClient) -> None:
    await growth(teams)
    assert "stretch assignments" in text_of(await answer(teams, f"settings set rituals {ON}", LEA))
    kpi = await active_kpi(teams)
    assert "Logged" in text_of(await answer(teams, f"log {kpi} 4", ANA))
    said = text_of(
        await answer(
            teams,
            f'stretch "@Ana Ruiz" {kpi} "lead the next client workshop" by 2026-12-14 '
            'support "@Ben Okafor"',
            LEA,
        )
    )
    assert "Asked Ana Ruiz privately whether they take on stretch #1" in said
    ask = await news(teams, ANA, "would like you to take this on")
    assert runs(ask) == {
        "Yes, I'll take it on": "stretch answer 1 yes",
        "Not this time": "stretch answer 1 no",
    }
    taken = await teams.submit({"kpicoach_run": runs(ask)["Yes, I'll take it on"]}, ANA)
    assert "Stretch #1 is yours" in text_of(taken)
    await news(teams, LEA, "takes on stretch #1")

    await answer(teams, f'experiment {kpi} "call back every lost lead within an hour"', ANA)
    said = text_of(
        await answer(teams, 'budget ask 1 "3 hours" scope "call back the ten lost leads"', ANA)
    )
    assert "Asked Lea Hart for 3 hours for experiment #1 (request #1)" in said
    card = await news(teams, LEA, "asks for 3 hours")
    assert runs(card) == {"Approve": "budget approve 1", "Ask a question": "budget question 1"}
    await answer(teams, 'budget question 1 "which ten leads, and who calls them?"', LEA)
    question = await news(teams, ANA, "has a question about request #1")
    assert runs(question) == {"Answer": "budget answer 1"}
    await answer(teams, 'budget answer 1 "the ten from the lost list; I call them"', ANA)
    back = await news(teams, LEA, "They answer: the ten from the lost list")
    approved = await teams.submit({"kpicoach_run": runs(back)["Approve"]}, LEA)
    assert "Approved request #1: 3 hours for Ana Ruiz." in text_of(approved)
    await news(teams, ANA, "Approved: 3 hours for experiment #1")
    assert "5 of 8 hours left in 2026-Q4" in text_of(await answer(teams, "home", ANA))
