"""A one-on-one form the ritual refuses comes back as the same form, values and intro kept."""

from __future__ import annotations

from rituals.core.messages import Form
from tests.support import Chat, about


async def test_notes_for_a_team_that_does_not_exist_come_back_with_the_notes_kept(
    chat: Chat,
) -> None:
    (asked,) = await chat.say("lea", "notes with @ben")
    assert isinstance(asked, Form)
    intro = "After your one-on-one with Ben: the next script opens with these."
    assert asked.intro == intro
    given = {"notes": "talked pricing", "next_steps": "Ben drafts the offer", "team": "Nowhere"}
    (again,) = await chat.submit("lea", asked, given)
    assert isinstance(again, Form)
    assert again.command == "notes"
    assert again.intro.startswith('There is no team called "Nowhere".')
    assert again.intro.endswith(intro)
    values = {f.name: f.value for f in again.fields}
    assert values["notes"] == "talked pricing"
    assert values["next_steps"] == "Ben drafts the offer"
    assert values["team"] == "Nowhere"
    assert {f.name for f in again.fields if f.required} >= {"notes", "next_steps"}
    assert about(again.hidden) == {}
