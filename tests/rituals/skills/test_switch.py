"""The skills heat-map where a team has not switched it on (every new team, like the tension
pulse): every command is refused with who can switch it on, and nothing is written, not even
a look-back on a sprint that ran before the switch went off."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.skills.ritual import RITUAL
from tests.rituals.skills.support import SKILLS_ON, skills_on
from tests.rituals.switching import refused_by_switch
from tests.support import Chat


def _numbered(sprint: int) -> Callable[[str], str]:
    """Examples pointed at a real sprint: its number in place of the example's."""

    def adapt(example: str) -> str:
        for command in ("mentor decline 4", "mentor 4", "lookback 4"):
            if example.startswith(command):
                return example.replace(" 4", f" {sprint}", 1)
        return example

    return adapt


async def test_off_by_default_every_command_is_refused(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    typed = await refused_by_switch(chat, sessions, RITUAL, "ana", "Growth")
    assert typed == sum(len(s.examples) for s in RITUAL.commands)
    await refused_by_switch(chat, sessions, RITUAL, "lea", "Growth")


async def test_switched_off_after_a_sprint_its_buttons_are_refused_too(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await skills_on(chat, "SQL")
    await chat.say("ben", "rate SQL as 4")
    said = await chat.text("ana", 'learn SQL goal "write the weekly query on my own"')
    sprint = int(said.split("Gap #", 1)[1].split(" ", 1)[0])
    assert "You mentor Ana" in await chat.text("ben", f"mentor {sprint}")
    await chat.say("lea", SKILLS_ON.removesuffix(",skills"))
    await refused_by_switch(chat, sessions, RITUAL, "ana", "Growth", adapt=_numbered(sprint))
    await refused_by_switch(chat, sessions, RITUAL, "ben", "Growth", adapt=_numbered(sprint))
