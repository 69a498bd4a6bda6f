"""The tension pulse where a team switched it off: starting, answering (typed or by a pulse's
button), showing and closing are all refused with who can switch it on, and nothing is
written, not even an answer to a pulse opened before the switch."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.pulse.ritual import RITUAL
from storage.models import Pulse
from tests.rituals.switching import refused_by_switch
from tests.support import Chat


async def _open_pulse(chat: Chat, sessions: async_sessionmaker[AsyncSession], team: str) -> int:
    """Lea opens a pulse on the team (3 answers enough): its number."""
    await chat.say("lea", f'settings set pulse 3 in "{team}"')
    said = await chat.text("lea", f'pulse start in "{team}"')
    assert "Asked 3 people" in said, said
    async with sessions() as session:
        found = await session.scalar(select(Pulse.id).order_by(Pulse.id.desc()))
        assert found is not None
        return found


def _by_button(pulse: int) -> Callable[[str], str]:
    """Answers as a pulse's buttons send them, naming the pulse."""

    def adapt(example: str) -> str:
        return f"{example} pulse {pulse}" if example.startswith("pulse answer") else example

    return adapt


async def test_switched_off_pulse_refuses_every_command(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("lea", "settings set rituals checkin,pulse")
    pulse = await _open_pulse(chat, sessions, "Growth")
    await chat.say("lea", "settings set rituals checkin")
    typed = await refused_by_switch(chat, sessions, RITUAL, "ana", "Growth")
    assert typed == sum(len(s.examples) for s in RITUAL.commands)
    # The lead hears the same for her lead-only commands; a button of the open pulse too.
    await refused_by_switch(chat, sessions, RITUAL, "lea", "Growth")
    await refused_by_switch(chat, sessions, RITUAL, "ben", "Growth", adapt=_by_button(pulse))


async def test_on_two_teams_the_one_named_with_it_off_refuses_every_command(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("lea", "settings set rituals checkin,pulse")
    await chat.say("lea", "team create Sales")
    await chat.say("lea", 'team add <@ana> <@ben> in "Sales"')
    await chat.say("lea", 'settings set rituals checkin,pulse in "Sales"')
    pulse = await _open_pulse(chat, sessions, "Sales")
    await chat.say("lea", 'settings set rituals checkin in "Sales"')
    await refused_by_switch(chat, sessions, RITUAL, "ana", "Sales", name_team=True)
    await refused_by_switch(
        chat, sessions, RITUAL, "ana", "Sales", name_team=True, adapt=_by_button(pulse)
    )
    # Growth, where it is on, still answers: it has had no pulse yet.
    assert "Growth has had no tension pulse yet" in await chat.text("ana", 'pulse "Growth"')
