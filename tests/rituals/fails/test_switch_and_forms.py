"""Fail of the Month where a team switched it off, and a refused nomination form: every
command is refused with who can switch it on and nothing written, stories and votes included;
a nomination the ritual refuses comes back as the same form, the story kept."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import Form
from rituals.fails.ritual import RITUAL
from tests.rituals.switching import every_row, refused_by_switch
from tests.support import Chat

MISSTEP = "promised a launch date without asking the team"
LEARNED = "I ask the team before I promise any date"


async def _own_story(chat: Chat, team: str) -> int:
    """Ana's story about herself on the team's ballot: its number."""
    said = await chat.text("ana", f'fail nominate me "{MISSTEP}" learned "{LEARNED}" in "{team}"')
    found = re.search(r"\(#(\d+)\)", said)
    assert found, said
    return int(found.group(1))


def _at(story: int) -> Callable[[str], str]:
    """The examples pointed at this story."""

    def adapt(example: str) -> str:
        # Taking a story back is never refused (below); saying yes is.
        example = re.sub(r"^fail consent (\d+) no$", r"fail consent \1 yes", example)
        return re.sub(r"^fail (consent|vote) \d+", rf"fail \1 {story}", example)

    return adapt


async def test_switched_off_fail_of_the_month_refuses_every_command(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("lea", "settings set rituals checkin,fail_of_month")
    story = await _own_story(chat, "Growth")
    await chat.say("lea", "settings set rituals checkin")
    # Her say on her own story, and a vote for it, are refused too: the ballot is not running.
    tried = await refused_by_switch(chat, sessions, RITUAL, "ana", "Growth", adapt=_at(story))
    assert tried == sum(len(s.examples) for s in RITUAL.commands)


async def test_a_story_is_taken_back_even_while_fail_of_the_month_is_off(chat: Chat) -> None:
    await chat.say("lea", "settings set rituals checkin,fail_of_month")
    story = await _own_story(chat, "Growth")
    await chat.say("lea", "settings set rituals checkin")
    assert "Taken back" in await chat.text("ana", f"fail consent {story} no")
    assert "switched off" in await chat.text("ana", f"fail consent {story} yes")


async def test_on_two_teams_the_one_named_with_it_off_refuses_every_command(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("lea", "settings set rituals checkin,fail_of_month")
    await chat.say("lea", "team create Sales")
    await chat.say("lea", 'team add <@ana> <@ben> in "Sales"')
    await chat.say("lea", 'settings set rituals checkin,fail_of_month in "Sales"')
    story = await _own_story(chat, "Sales")
    await chat.say("lea", 'settings set rituals checkin in "Sales"')
    await refused_by_switch(
        chat, sessions, RITUAL, "ana", "Sales", name_team=True, adapt=_at(story)
    )
    # Growth, where it is on, still shows its ballot.
    assert "Fail of the Month: Growth" in await chat.text("ana", 'fails in "Growth"')


async def test_a_nomination_of_someone_unknown_comes_back_as_the_same_form(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("lea", "settings set rituals checkin,fail_of_month")
    (form,) = await chat.say("ana", "fail nominate")
    assert isinstance(form, Form)
    before = await every_row(sessions)
    typed = {"person": "<@nobody>", "misstep": MISSTEP, "learned": LEARNED}
    (again,) = await chat.submit("ana", form, typed)
    assert isinstance(again, Form)
    assert again.intro.startswith("I don't know")
    assert "Name who first, or me for yourself" in again.intro
    assert form.intro in again.intro
    assert [(f.name, f.required) for f in again.fields] == [
        (f.name, f.required) for f in form.fields
    ]
    values = {f.name: f.value for f in again.fields}
    assert values["misstep"] == MISSTEP
    assert values["learned"] == LEARNED
    assert values["team"] == "Growth"
    assert await every_row(sessions) == before
