"""The one team gate: someone not on a team hears that before anything about its switches,
and a lead-only command names who can do it."""

from __future__ import annotations

from tests.support import Chat


async def test_someone_not_on_the_team_is_told_so_before_its_switches(chat: Chat) -> None:
    await chat.say("lea", "team create Sales")
    await chat.say("lea", 'settings set rituals checkin in "Sales"')
    # Ana is not on Sales, which runs no Fail of the Month: she hears she is not on it.
    said = await chat.text("ana", 'fails in "Sales"')
    assert "You are not on Sales. Only its own people can take part in its Fail of the Month" in (
        said
    )
    assert "switched off" not in said
    # Lea is, and leads it: she hears the switch to type, not that she should ask herself.
    said = await chat.text("lea", 'fails in "Sales"')
    assert "Sales has switched off Fail of the Month. Switch it on with settings set" in said
    assert "@Lea" not in said
    # A member of a team that switched it off is told who can.
    await chat.say("lea", "settings set rituals checkin")
    said = await chat.text("ana", "fails")
    assert "Growth has switched off Fail of the Month. @Lea can switch it on" in said


async def test_a_lead_only_command_names_who_can(chat: Chat) -> None:
    said = await chat.text("ana", "settings set pulse 4")
    assert "Only the lead of Growth or an admin can change its settings. Ask @Lea." in said
    said = await chat.text("ben", "team remove <@ana>")
    assert "Only the lead of Growth or an admin can remove people from it. Ask @Lea." in said
