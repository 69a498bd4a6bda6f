"""Experiment budgets through the real grammar, dispatcher and store: an experiment asks for
part of its owner's quarterly budget, the lead approves or asks a question (the person hears
either way), spend is tracked, what is left shows in `home`, and an over-budget ask is
refused with what is left and who can raise it."""

from __future__ import annotations

from rituals.core.messages import Form
from tests.rituals.budgets.support import number
from tests.support import Chat, active_kpi, buttons_of, dms_to, text_of

ON = "checkin,one_on_one,kudos,review,experiment_budget"
SCOPE = "call back the ten leads lost last week, nothing else"


async def _experiment(chat: Chat) -> int:
    """Growth with budgets on (app.yaml's 8 hours), and Ana's experiment: its number."""
    assert "Saved" in await chat.text("lea", f"settings set rituals {ON} in Growth")
    kpi = await active_kpi(chat)
    said = await chat.text("ana", f'experiment {kpi} "call back every lost lead within an hour"')
    return number(said, "Experiment")


async def test_an_ask_reaches_the_lead_who_asks_a_question_then_approves(chat: Chat) -> None:
    e = await _experiment(chat)
    assert "8 of 8 hours left in 2026-Q4" in await chat.text("ana", "budget")
    replies = await chat.say("ana", f'budget ask {e} "3 hours" scope "{SCOPE}" back 2026-12-04')
    said = text_of(replies)
    r = number(said, "request")
    assert f"Asked Lea for 3 hours for experiment #{e} (request #{r})" in said
    assert "5 hours left besides" in said
    (ask,) = dms_to(replies, "lea")
    assert "@Ana asks for 3 hours to test, on Qualified leads" in ask.text
    assert f"Scope: {SCOPE}" in ask.text
    assert "Look back on Friday 4 December 2026." in ask.text
    commands = [b.command for b in buttons_of([ask])]
    assert commands == [f"budget approve {r}", f"budget question {r}"]
    # Held while it waits: home says so, and the lead's home offers the same two buttons.
    assert "Your experiment budget\nGrowth: 5 of 8 hours left in 2026-Q4" in await chat.text(
        "ana", "home"
    )
    home = await chat.say("lea", "home")
    assert f"Ana asks for 3 hours for experiment #{e}" in text_of(home)
    assert f"budget approve {r}" in [b.command for b in buttons_of(home)]

    replies = await chat.say("lea", f'budget question {r} "which ten leads, and who calls them?"')
    (question,) = dms_to(replies, "ana")
    assert f"has a question about request #{r} (3 hours): which ten leads" in question.text
    assert [b.command for b in buttons_of([question])] == [f"budget answer {r}"]
    replies = await chat.say("ana", f'budget answer {r} "the ten from the lost list; I call them"')
    (back,) = dms_to(replies, "lea")
    assert "You asked: which ten leads, and who calls them? They answer: the ten" in back.text

    replies = await chat.say("lea", f"budget approve {r}")
    assert f"Approved request #{r}: 3 hours for Ana." in text_of(replies)
    (told,) = dms_to(replies, "ana")
    assert f"Approved: 3 hours for experiment #{e} (request #{r})" in told.text
    assert f"Request #{r} is approved already" in await chat.text("lea", f"budget approve {r}")

    said = await chat.text("ana", f'budget spend {r} "2.5 hours" on "eight calls and the notes"')
    assert f"Recorded: 2.5 hours of 3 hours spent on experiment #{e}" in said
    assert "5 of 8 hours left" in await chat.text("ana", "budget")
    # The result is in: what was not spent returns to the budget.
    await chat.say("ana", f'result {e} "three lost leads came back; we keep the one-hour rule"')
    shown = await chat.text("ana", "budget")
    assert "5.5 of 8 hours left in 2026-Q4" in shown
    assert "(approved; 2.5 hours spent). Result: three lost leads came back" in shown


async def test_an_ask_beyond_what_is_left_is_refused_with_what_is_left_and_who_can_raise_it(
    chat: Chat,
) -> None:
    e = await _experiment(chat)
    refused = await chat.say("ana", f'budget ask {e} "12 hours" scope "{SCOPE}"')
    said = text_of(refused)
    assert "you asked for 12 hours, and 8 of your 8 hours are left on Growth in 2026-Q4" in said
    assert '@Lea can raise the budget: budget set <amount> in "Growth"' in said
    form = next(r for r in refused if isinstance(r, Form))
    assert {f.name: f.value for f in form.fields}["scope"] == SCOPE  # nothing typed is lost
    assert not dms_to(refused, "lea")
    # The lead raises it; the same ask goes through.
    said = await chat.text("lea", 'budget set "12 hours"')
    assert "Experiment budget on Growth raised: 12 hours a person a quarter" in said
    assert "Asked Lea for 12 hours" in await chat.text(
        "ana", f'budget ask {e} "12 hours" scope "{SCOPE}"'
    )


async def test_a_second_ask_while_one_waits_is_refused_and_the_first_stands(chat: Chat) -> None:
    e = await _experiment(chat)
    said = await chat.text("ana", f'budget ask {e} "3 hours" scope "{SCOPE}" back fri')
    r = number(said, "request")
    refused = await chat.say("ana", f'budget ask {e} "1 hours" scope "small trial of calls"')
    said = text_of(refused)
    assert f"Experiment #{e} already asked for 3 hours (request #{r}), waiting for Lea" in said
    assert f"Scope: {SCOPE}" in said
    assert "wait for their answer, or ask them" in said
    assert not dms_to(refused, "lea")  # the lead is not sent a second, conflicting ask
    assert not [x for x in refused if isinstance(x, Form)]
    assert "5 of 8 hours left" in await chat.text("ana", "budget")
    # A question waiting for Ana: she is pointed at her answer, which is how she changes it.
    await chat.say("lea", f'budget question {r} "which ten leads, and who calls them?"')
    said = await chat.text("ana", f"budget ask {e}")
    assert f"request #{r}), waiting for your answer to Lea's question" in said
    assert f"budget answer {r}" in said
    await chat.say("ana", f'budget answer {r} "the ten from the lost list; I call them"')
    (told,) = dms_to(await chat.say("lea", f"budget approve {r}"), "ana")
    assert f"Approved: 3 hours for experiment #{e} (request #{r}). Scope: {SCOPE}" in told.text


async def test_bad_input_on_every_field_is_answered_in_plain_words(chat: Chat) -> None:
    e = await _experiment(chat)
    ask = f'scope "{SCOPE}"'
    assert "kept in hours; ask in hours, like 2 hours" in await chat.text(
        "ana", f'budget ask {e} "150 EUR" {ask}'
    )
    assert "is not an amount; write a number and a unit, like 8 hours or 200 EUR" in (
        await chat.text("ana", f"budget ask {e} lots {ask}")
    )
    assert "is not a day I can read" in await chat.text("ana", f"budget ask {e} 3h {ask} back soon")
    assert "within 8 weeks" in await chat.text("ana", f"budget ask {e} 3h {ask} back 2027-06-01")
    assert "You have no experiment #99999 here" in await chat.text(
        "ana", f"budget ask 99999 3h {ask}"
    )
    assert "only an experiment's owner" in await chat.text("ben", f"budget ask {e} 3h {ask}")
    assert "There is no budget request #99999 here" in await chat.text(
        "lea", "budget approve 99999"
    )
    r = number(await chat.text("ana", f"budget ask {e} 3h {ask}"), "request")
    said = await chat.text("ana", f"budget approve {r}")
    assert "Only the lead of Growth or an admin can decide on its experiment budgets" in said
    assert "is not approved yet" in await chat.text("ana", f"budget spend {r} 1h")
    await chat.say("lea", f"budget approve {r}")
    assert "is more than the 3 hours approved" in await chat.text("ana", f"budget spend {r} 4h")
    assert f"request #{r} is in hours" in await chat.text("ana", f"budget spend {r} '20 EUR'")
    assert "has no question waiting for you" in await chat.text(
        "ana", f'budget answer {r} "it is ok now"'
    )
    # The lead's setting: a unit that is not one, and a change of unit mid-quarter.
    assert "'parsecs' is not a unit" in await chat.text("lea", 'budget set "5 parsecs"')
    assert "a budget is more than 0" in await chat.text("lea", 'budget set "0 hours"')
    said = await chat.text("lea", 'budget set "200 EUR"')
    assert "Nothing was saved: Growth has 1 request(s) in hours this quarter" in said
    assert "Only the lead of Growth or an admin can change its experiment budget" in (
        await chat.text("ana", 'budget set "20 hours"')
    )
    # Ana is on Sales too: Growth's KPI is not Sales' to pay for.
    await chat.say("lea", "team create Sales")
    await chat.say("lea", "team add @ana to Sales")
    await chat.say("lea", f"settings set rituals {ON} in Sales")
    said = await chat.text("ana", f"budget ask {e} 3h {ask} in Sales")
    assert "a KPI of another team: ask for that team's budget" in said


async def test_a_team_that_has_budgets_off_is_refused_and_home_shows_none(chat: Chat) -> None:
    said = await chat.text("ana", "budget")
    assert "Growth has switched off experiment budgets" in said
    assert "Experiment budget" not in await chat.text("ana", "home")


async def test_spend_is_the_total_so_far_and_a_lower_total_is_told_as_a_correction(
    chat: Chat,
) -> None:
    e = await _experiment(chat)
    r = number(await chat.text("ana", f'budget ask {e} "3 hours" scope "{SCOPE}"'), "request")
    await chat.say("lea", f"budget approve {r}")
    said = await chat.text("ana", f'budget spend {r} "2.5 hours" on "writing"')
    assert f"Recorded: 2.5 hours of 3 hours spent on experiment #{e} in all." in said
    said = await chat.text("ana", f'budget spend {r} "2.5 hours"')
    assert "is what request" in said
    assert "not what to add" in said
    said = await chat.text("ana", f'budget spend {r} "0 hours"')
    assert f"Corrected request #{r}: was 2.5 hours spent, now 0 hours of 3 hours" in said
    assert "is not an amount" in await chat.text("ana", f'budget spend {r} "-1 hours"')
    said = await chat.text("ana", f'budget spend {r} "1 hour"')
    assert f"Updated request #{r}: was 0 hours spent, now 1 hour of 3 hours" in said
    assert "not what to add" in await chat.text("ana", "help budget spend")


async def test_an_unknown_experiment_or_bad_amount_is_told_before_a_short_scope(
    chat: Chat,
) -> None:
    e = await _experiment(chat)
    said = await chat.text("ana", 'budget ask 99999 "1 hours" scope "x"')
    assert "You have no experiment #99999 here" in said
    said = await chat.text("ana", f'budget ask {e} "-5 hours" scope "neg"')
    assert "is not an amount" in said
    said = await chat.text("ana", f'budget ask {e} "1 hours" scope "neg"')
    assert "Scope is too short; say what exactly it pays for" in said
    r = number(await chat.text("ana", f'budget ask {e} "3 hours" scope "{SCOPE}"'), "request")
    await chat.say("lea", f"budget approve {r}")
    # Approved already: refused before any form opens.
    replies = await chat.say("ana", f"budget ask {e}")
    assert not [x for x in replies if isinstance(x, Form)]
    assert f"budget was approved already (request #{r})" in text_of(replies)


async def test_a_budget_lowered_below_what_is_held_says_it_is_over_and_asks_stand(
    chat: Chat,
) -> None:
    e = await _experiment(chat)
    r = number(await chat.text("ana", f'budget ask {e} "4 hours" scope "{SCOPE}"'), "request")
    await chat.say("lea", f"budget approve {r}")
    assert "set: 2 hours a person a quarter" in await chat.text("lea", 'budget set "2 hours"')
    said = await chat.text("ana", "budget")
    assert "nothing left of 2 hours in 2026-Q4: over by 2 hours" in said
    assert "(approved asks stand)" in said
    assert "over by 2 hours" in await chat.text("ana", "home")
    # The largest budget is written alike when it is kept and when it is refused.
    assert "1000000 hours a person" in await chat.text("lea", 'budget set "1000000 hours"')
    assert "at most 1000000 hours" in await chat.text("lea", 'budget set "0 hours"')


async def test_an_approval_names_the_working_day_the_look_back_nudge_comes(chat: Chat) -> None:
    assert "Saved" in await chat.text("lea", f"settings set rituals {ON} in Growth")
    kpi = await active_kpi(chat)
    said = await chat.text("ana", f'experiment {kpi} "call back every lost lead" review 2026-11-29')
    e = number(said, "Experiment")
    r = number(await chat.text("ana", f'budget ask {e} "3 hours" scope "{SCOPE}"'), "request")
    (told,) = dms_to(await chat.say("lea", f"budget approve {r}"), "ana")
    assert "I'll ask what happened on Monday 30 November 2026." in told.text
