"""What a person reads names rituals as people do, counts people right, and titles a form as a
form, never with an id or a help line."""

from __future__ import annotations

from bot.grammar import build_grammar
from rituals.core.messages import Form
from rituals.core.spec import RitualName
from tests.support import Chat, text_of

grammar = build_grammar("/kpi")
IDS = [n.value for n in RitualName if "_" in n.value] + ["checkin"]


async def test_settings_name_the_rituals_by_their_labels(chat: Chat) -> None:
    shown = await chat.text("lea", "settings")
    assert "the weekly check-in, one-on-one scripts, kudos, the quarterly review" in shown
    saved = await chat.text("lea", "settings set rituals checkin,one_on_one,kudos,review,pulse")
    for said in (shown, saved):
        rituals_line = said.split("Rituals on", 1)[1].split("\n", 1)[0]
        for ritual_id in IDS:
            assert ritual_id not in rituals_line, ritual_id
    assert "one_on_one:" not in saved
    assert "one_on_one:" not in await chat.text("lea", "team")


async def test_a_new_leads_checklist_names_rituals_not_ids(chat: Chat) -> None:
    said = await chat.text("zoe", "team create Pioneers")
    assert "[x] weekly 'what's in my way' check-in" in said
    assert "checkin:" not in said
    assert "one_on_one" not in said


def test_a_form_never_takes_its_title_from_a_help_line() -> None:
    for syntax in grammar.syntaxes:
        if "a form" in syntax.summary:
            assert syntax.form_title, f"{syntax.name}'s form would be titled by its help line"


async def test_the_settings_forms_have_titles_of_their_own(chat: Chat) -> None:
    for user, command in (("lea", "settings set"), ("ana", "me set")):
        (form,) = [r for r in await chat.say(user, command) if isinstance(r, Form)]
        assert "with no values" not in form.title
        assert form.title.startswith("Change ")


async def test_asking_one_person_says_person(chat: Chat) -> None:
    # Zed's team has one member besides him.
    said = text_of(
        await chat.say("zed", 'purpose start "We keep the lights on for everyone"', "T2")
    )
    assert "Asked 1 person on Other" in said
    assert "1 people" not in said
