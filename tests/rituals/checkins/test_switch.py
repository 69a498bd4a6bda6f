"""A team that switched the weekly check-in off: every check-in command is refused, naming who
can switch it on, and writes nothing; on a second team that keeps it, the same people go on."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.checkins.ritual import RITUAL
from tests.rituals.switching import each_refused, examples, second_team
from tests.support import Chat

SWITCH_OFF = "settings set rituals one_on_one,kudos,review"


async def _number(chat: Chat, user: str, text: str, pattern: str) -> int:
    said = await chat.text(user, text)
    found = re.search(pattern, said)
    assert found, said
    return int(found[1])


async def _rows(chat: Chat, team: str) -> dict[str, int]:
    """An obstacle, a commitment and a misstep on the team, made while check-ins ran there."""
    obstacle = await _number(
        chat, "ana", f'obstacle "legal holds the contract template" in "{team}"', r"obstacle #(\d+)"
    )
    commitment = await _number(
        chat, "lea", f'commit {obstacle} "Send Ana the template" due fri', r"Committed #(\d+)"
    )
    misstep = await _number(
        chat,
        "lea",
        f'misstep "I set the Q4 target without asking the team" in "{team}"',
        r"Shared misstep #(\d+)",
    )
    return {"commit": obstacle, "done": commitment, "drop": commitment, "feedback": misstep}


async def test_every_check_in_command_is_refused_where_it_is_switched_off(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    rows = await _rows(chat, "Growth")
    assert "Rituals on: one-on-one scripts, kudos, the quarterly review" in await chat.text(
        "lea", SWITCH_OFF
    )
    tried = examples(RITUAL, rows)
    assert {syntax.name for syntax, _ in tried} == {s.name for s in RITUAL.commands}
    await each_refused(chat, sessions, RITUAL, "Growth", [example for _, example in tried])


async def test_on_two_teams_the_one_that_switched_it_off_refuses_and_the_other_runs_it(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await second_team(sessions, "Platform")
    rows = await _rows(chat, "Platform")
    said = await chat.text("lea", f'{SWITCH_OFF} in "Platform"')
    assert "Rituals on: one-on-one scripts, kudos, the quarterly review" in said
    tried = [
        example
        for syntax, example in examples(RITUAL, rows, team="Platform")
        if syntax.name in rows or "team" in syntax.model.model_fields
    ]
    assert len(tried) == sum(len(s.examples) for s in RITUAL.commands if s.name != "commitments")
    await each_refused(chat, sessions, RITUAL, "Platform", tried, team_in_form=True)
    # Growth still runs its check-in, for the same two people.
    assert "Saved as obstacle" in await chat.text("ana", 'obstacle "no EU test data" in "Growth"')
    assert "Check-in digest: Growth" in await chat.text("lea", "digest Growth")
    # Commitments made on Platform are not listed while it has check-ins off.
    listed = await chat.text("lea", "commitments")
    assert "Send Ana the template" not in listed
    assert "No commitments for you" in listed
