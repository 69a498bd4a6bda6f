"""Helpers to test a team's ritual switch: every command of a ritual, tried as its examples,
refused where the ritual is off, naming who can switch it on, with nothing written."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.spec import Ritual
from storage.models import Base
from tests.support import Chat

Rows = dict[str, list[tuple[object, ...]]]


async def every_row(sessions: async_sessionmaker[AsyncSession]) -> Rows:
    """Every row of every table, to tell that a command wrote nothing at all."""
    async with sessions() as session:
        found: Rows = {}
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            found[table.name] = sorted((tuple(r) for r in rows), key=repr)
        return found


def typed_in(team: str, example: str, has_team: bool) -> str:
    """The example as said about `team`: its team named, where the command takes one."""
    if "Growth" in example:
        return example.replace("Growth", team)
    return f'{example} in "{team}"' if has_team else example


async def refused_by_switch(
    chat: Chat,
    sessions: async_sessionmaker[AsyncSession],
    ritual: Ritual,
    user: str,
    team: str,
    *,
    name_team: bool = False,
    adapt: Callable[[str], str] = lambda example: example,
) -> int:
    """Say every example of every command of the ritual as `user`, and check each is refused
    because `team` switched the ritual off, naming Lea (its lead) as who can switch it on, and
    that nothing was written. `adapt` points an example at real rows (a story, a pulse);
    `name_team` names the team in every command that takes one. Returns how many were tried."""
    before = await every_row(sessions)
    tried = 0
    for syntax in ritual.commands:
        has_team = any(p.field == "team" for p in syntax.params)
        assert syntax.examples, f"{syntax.name} has no example to try"
        for example in syntax.examples:
            typed = adapt(example)
            if name_team:
                typed = typed_in(team, typed, has_team)
            said = await chat.text(user, typed)
            assert f"{team} has switched off {ritual.label}." in said, (typed, said)
            assert "@Lea" in said, said
            assert "can switch it on: settings set rituals" in said, said
            assert await every_row(sessions) == before, typed
            tried += 1
    return tried
