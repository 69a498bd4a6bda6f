"""Forms: a command's form, a submitted form read back, and a refused form shown again."""

from __future__ import annotations

import pytest

from bot.grammar import NeedsForm, Parsed, Problem
from rituals.core.command import PersonRef
from rituals.core.messages import FieldKind, Form, FormRequest
from rituals.team.teams import AddMembers
from tests.bot.grammar import grammar, parsed
from tests.support import about


def test_a_command_without_values_opens_its_form_asking_what_excites_first() -> None:
    outcome = grammar.parse("propose")
    assert isinstance(outcome, NeedsForm)
    form = outcome.form
    assert form.fields[0].label == "How can we measure success in a way that excites you?"
    assert {f.name for f in form.fields if f.required} == {"name", "target", "cadence"}
    assert next(f for f in form.fields if f.name == "cadence").options == (
        "weekly",
        "monthly",
        "quarterly",
    )
    assert next(f for f in form.fields if f.name == "why").max_length == 500


def test_missing_values_open_the_form_prefilled_with_what_was_given() -> None:
    outcome = grammar.parse("growth 4")
    assert isinstance(outcome, NeedsForm)
    assert about(outcome.form.hidden) == {"kpi": "4"}
    assert [f.name for f in outcome.form.fields] == ["goal"]
    outcome = grammar.parse('propose "Win rate" target 25%')
    assert isinstance(outcome, NeedsForm)
    values = {f.name: f.value for f in outcome.form.fields}
    assert values["name"] == "Win rate"
    assert values["target"] == "25"
    assert values["unit"] == "%"


def test_a_form_submission_gives_the_same_command_as_typed_text() -> None:
    typed = parsed('propose "Win rate" target 25% per month owner @ana')
    submitted = grammar.from_form(
        "propose",
        {
            "name": "Win rate",
            "target": "25",
            "unit": "%",
            "cadence": "monthly",
            "owner": "@ana",
            "why": "",
        },
    )
    assert isinstance(submitted, Parsed)
    assert submitted.command == typed


def test_a_bad_form_comes_back_with_the_problem_and_the_values_kept() -> None:
    outcome = grammar.from_form(
        "propose", {"name": "Win rate", "target": "lots", "cadence": "monthly"}
    )
    assert isinstance(outcome, NeedsForm)
    form: Form = outcome.form
    assert form.intro.startswith("Target must be a number")  # the label the person saw
    assert {f.name: f.value for f in form.fields}["name"] == "Win rate"
    assert {f.name: f.value for f in form.fields}["target"] == "lots"


@pytest.mark.parametrize(
    ("command", "values", "says"),
    [
        ("team add", {"people": "@ana", "team": "G"}, "Team is too short"),
        ("kudos", {"people": "@ana", "kpi": "1", "story": "x" * 1200}, "How you served them"),
        ("pulse answer", {"score": "9", "pulse": "3"}, 'How it feels must be 5 or less (got "9")'),
        ("notes", {"person": "@ana", "notes": "hi"}, "Notes is too short"),
        ("obstacle", {"text": "hi"}, '"What\'s in your way this week?" is too short'),
    ],
)
def test_a_refused_form_names_the_field_by_the_label_the_person_saw(
    command: str, values: dict[str, str], says: str
) -> None:
    outcome = grammar.from_form(command, values)
    assert isinstance(outcome, NeedsForm)
    assert outcome.form.intro.startswith(says)


def test_a_unit_too_long_is_named_by_the_field_it_was_typed_in() -> None:
    # The log form has no Unit field: the unit is what follows the number in Value.
    story = "12 leads from the big fair in Berlin last week"
    outcome = grammar.from_form("log", {"kpi": "3", "value": story})
    assert isinstance(outcome, NeedsForm)
    assert outcome.form.intro.startswith("The unit after the number in Value is too long")
    assert {f.name: f.value for f in outcome.form.fields}["value"] == story
    typed = grammar.parse('log 3 "12 leadsfromthebigfairinberlinlastweek"')
    assert isinstance(typed, Problem)
    assert typed.message.startswith("The unit after the number is too long")
    # Where the form asks for the unit itself, it is its own field.
    asked = {"name": "Win rate", "target": "5", "cadence": "weekly", "unit": "x" * 40}
    refused = grammar.from_form("propose", {**asked, "why": "Deals won are what pays us all"})
    assert isinstance(refused, NeedsForm)
    assert refused.form.intro.startswith("Unit is too long")


def test_a_form_refused_by_the_grammar_comes_back_as_it_was_shown_with_the_problem_on_top() -> None:
    syntax = grammar.find("propose")
    assert syntax is not None
    intro = "What would make this number worth chasing for you?"
    shown = grammar.form_for(syntax, {}, intro=intro, required=("why",))
    typed = {"name": "Win rate", "target": "lots", "cadence": "monthly", "why": "it pays us all"}
    outcome = grammar.from_form("propose", {**shown.hidden, **typed})
    assert isinstance(outcome, NeedsForm)
    again = outcome.form
    problem = 'Target must be a number, like 10 or 2.5 (got "lots").'
    assert again.intro == f"{problem}\n\n{intro}"
    assert {f.name for f in again.fields if f.required} == {"name", "target", "cadence", "why"}
    assert {f.name: f.value for f in again.fields if f.value} == typed
    assert again.hidden == shown.hidden  # refused twice, it still comes back as it was shown
    twice = grammar.from_form("propose", {**again.hidden, **typed})
    assert isinstance(twice, NeedsForm)
    assert twice.form.intro == again.intro


def test_a_form_refused_by_its_ritual_comes_back_as_the_ritual_asked_for_it() -> None:
    kept = {"name": "Win rate", "target": "5", "unit": "deals", "cadence": "weekly"}
    request = FormRequest(
        "propose",
        kept,
        intro="Which reward?",
        required=("why",),
        options={"unit": ("leads", "deals")},
    )
    submitted = {"_intro": "Not this one", "name": "Win rate", "target": "5"}
    form = grammar.form_again("propose", submitted, "There is no team called Growth.", request)
    assert form.intro == "There is no team called Growth.\n\nWhich reward?"
    fields = {f.name: f for f in form.fields}
    assert fields["why"].required
    assert fields["unit"].kind is FieldKind.CHOICE
    assert fields["unit"].options == ("leads", "deals")
    assert {n: f.value for n, f in fields.items() if f.value} == kept


def test_a_refused_form_shows_again_the_fields_it_showed_and_the_known_one_refused() -> None:
    # The KPI typed in the form is shown again, not taken for one a button knew.
    opened = grammar.parse("growth")
    assert isinstance(opened, NeedsForm)
    submitted = {**opened.form.hidden, "kpi": "leads", "goal": "Run discovery calls alone"}
    again = grammar.form_again("growth", submitted, 'No KPI is called "leads".')
    assert {f.name: f.value for f in again.fields} == {
        "kpi": "leads",
        "goal": "Run discovery calls alone",
    }
    # The same with the form the ritual asks for again.
    request = FormRequest("growth", {"kpi": "leads"})
    asked = grammar.form_again("growth", submitted, "Not now.", request)
    assert [f.name for f in asked.fields] == ["kpi", "goal"]
    # A KPI the typed command or a button knew stays hidden, unless it is what was refused.
    known = grammar.parse("growth 4")
    assert isinstance(known, NeedsForm)
    submitted = {**known.form.hidden, "goal": "Run discovery calls alone"}
    other = grammar.form_again("growth", submitted, "Not now.")
    assert about(other.hidden) == {"kpi": "4"}
    assert [f.name for f in other.fields] == ["goal"]
    refused = grammar.form_again("growth", submitted, "There is no KPI #4 here.", refused="kpi")
    assert about(refused.hidden) == {}
    assert {f.name: f.value for f in refused.fields} == {
        "kpi": "4",
        "goal": "Run discovery calls alone",
    }


def test_showing_again_a_form_of_an_unknown_command_is_a_bug_not_a_reply() -> None:
    with pytest.raises(LookupError):
        grammar.form_again("selfdestruct", {}, "no")


def test_a_form_for_an_unknown_command_is_a_problem() -> None:
    assert isinstance(grammar.from_form("selfdestruct", {}), Problem)


def test_a_field_for_several_people_is_a_people_field_that_reads_back_as_mentions() -> None:
    syntax = grammar.find("team add")
    assert syntax is not None
    form = grammar.form_for(syntax, {"people": "<@U0ANA> <@U0BEN|Ben>"}, intro="")
    people = {f.name: f for f in form.fields}["people"]
    assert people.kind is FieldKind.PEOPLE
    assert people.value == "<@U0ANA> <@U0BEN|Ben>"
    assert people.max_length == 20  # the model's limit on how many people
    submitted = grammar.from_form("team add", {"people": "<@U0ANA> <@U0BEN>", "team": "Growth"})
    assert isinstance(submitted, Parsed)
    assert submitted.command == AddMembers(
        people=(PersonRef(platform_user_id="U0ANA"), PersonRef(platform_user_id="U0BEN")),
        team="Growth",
    )
    assert submitted.text == "team add <@U0ANA> <@U0BEN> in Growth"
