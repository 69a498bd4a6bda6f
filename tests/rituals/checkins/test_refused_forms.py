"""A check-in form the ritual refuses comes back as the same form: the person's values kept,
its intro and required fields as they were, and the problem on top."""

from __future__ import annotations

import re

from rituals.core.messages import Form
from tests.support import Chat, about, text_of

STORY = "Legal has held the contract template for two weeks"


def _form(replies: object) -> Form:
    assert isinstance(replies, list), replies
    assert len(replies) == 1, replies
    form = replies[0]
    assert isinstance(form, Form), form
    return form


def _values(form: Form) -> dict[str, str | None]:
    return {f.name: f.value for f in form.fields}


async def test_an_obstacle_whose_kpi_does_not_exist_comes_back_with_the_story_kept(
    chat: Chat,
) -> None:
    asked = _form(await chat.say("ana", "obstacle"))
    again = _form(await chat.submit("ana", asked, {"text": STORY, "kpi": "99"}))
    assert again.command == "obstacle"
    assert again.title == asked.title == "What's in your way this week?"
    assert again.intro.startswith("There is no KPI #99 here.")
    assert _values(again) == {"text": STORY, "kpi": "99", "team": None}  # the KPI to correct
    assert about(again.hidden) == {}
    # Corrected, the same form goes through: nothing was saved by the refused one.
    assert re.search(
        r"Saved as obstacle #\d+\.", text_of(await chat.submit("ana", again, {"kpi": ""}))
    )


async def test_a_commitment_that_puts_it_off_comes_back_as_the_commit_form(chat: Chat) -> None:
    said = await chat.text("ana", f'obstacle "{STORY}"')
    number = re.search(r"obstacle #(\d+)", said)
    assert number, said
    asked = _form(await chat.say("lea", f"commit {number[1]}"))
    assert asked.intro == f"Ana: {STORY}"
    again = _form(await chat.submit("lea", asked, {"action": "I'll think about it", "due": "fri"}))
    assert again.command == "commit"
    assert again.intro.startswith('"I\'ll think about it" puts it off ("think about it")')
    assert again.intro.endswith(f"Ana: {STORY}")  # the form's own intro, under the problem
    assert _values(again)["action"] == "I'll think about it"
    assert _values(again)["due"] == "fri"
    assert {f.name for f in again.fields if f.required} >= {"action", "due"}
    assert about(again.hidden) == {"obstacle": number[1]}
    # Submitted again, the problem does not pile up on the intro.
    action = "Ask legal for a one-page template"
    twice = _form(await chat.submit("lea", again, {"action": action, "due": "2020-01-01"}))
    assert twice.intro.startswith("Due: ")
    assert "puts it off" not in twice.intro
    assert twice.intro.endswith(f"Ana: {STORY}")
    assert _values(twice)["action"] == action
