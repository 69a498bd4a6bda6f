"""`settings set` is the lead's: a member hears who can change the settings before anything
about the values typed, and a lead hears what is wrong with a value in plain words."""

from __future__ import annotations

import pytest

from tests.support import Chat


@pytest.mark.parametrize(
    "typed",
    [
        "settings set pulse 99",
        "settings set one-on-one 0",
        "settings set time 25:00",
        'settings set channel "#no spaces allowed"',
        "settings set rituals checkin,standup",
    ],
)
async def test_a_member_typing_a_wrong_value_hears_who_can_change_it(
    chat: Chat, typed: str
) -> None:
    said = await chat.text("ana", typed)
    assert "Only the lead of Growth or an admin can change its settings. Ask @Lea." in said
    assert "Nothing was saved" not in said, said


async def test_the_lead_hears_the_range_and_sees_the_form_again_with_her_values(
    chat: Chat,
) -> None:
    said = await chat.text("lea", "settings set pulse 99 day tue")
    assert "Nothing was saved. Pulse answers needed: give a number from 3 to 50 (got 99)." in said
    assert "is not a time" in await chat.text("lea", "settings set time 25:00")
    assert "Saved" in await chat.text("lea", "settings set pulse 5 time 9:30")
    assert "09:30" in await chat.text("lea", "settings")
