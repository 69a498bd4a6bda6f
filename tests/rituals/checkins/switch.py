"""Running every example of a ritual against a team that switched it off, for the switch tests
of check-ins and one-on-ones: each example as typed, through the real grammar and dispatcher,
its form submitted when it opens one, and every table counted before and after."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.grammar import Parsed, build_grammar
from rituals.core.messages import Form, Outgoing
from rituals.core.spec import Ritual
from rituals.core.syntax import Syntax
from storage.models import Base, Member, Role, Team
from storage.people import ensure_membership, ensure_team
from tests.conftest import NOW
from tests.support import Chat, text_of

FILLER = "long enough to be a real answer"
GRAMMAR = build_grammar("/kpi")


async def row_counts(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """How many rows each table holds: a refused command leaves every count as it was."""
    async with sessions() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def member(session: AsyncSession, user: str) -> Member:
    found = await session.scalar(select(Member).where(Member.platform_user_id == user))
    assert found is not None
    return found


async def second_team(sessions: async_sessionmaker[AsyncSession], name: str) -> Team:
    """A second team in T1, led by Lea with Ana on it: both are then on two teams."""
    async with sessions() as session, session.begin():
        lea, ana = await member(session, "lea"), await member(session, "ana")
        team = await ensure_team(session, lea.workspace_id, name, "UTC", NOW)
        await ensure_membership(session, team, lea, Role.LEAD, NOW)
        await ensure_membership(session, team, ana, Role.MEMBER, NOW)
        return team


def examples(
    ritual: Ritual, rows: Mapping[str, int], team: str | None = None
) -> list[tuple[Syntax, str]]:
    """Every example of the ritual, its row number (obstacle 12, commitment 5) swapped for a
    real row's, and, given a team, naming that team wherever the command takes one."""
    out = []
    for syntax in ritual.commands:
        assert syntax.examples, f"{syntax.name} has no example to try"
        for typed in syntax.examples:
            example = re.sub(r"^(\S+) \d+", rf"\g<1> {rows.get(syntax.name, 0)}", typed)
            parsed = GRAMMAR.parse(example)
            # The example as the grammar writes it back, its free text quoted, so a team can
            # follow it; one that opens a form is given the team in the form.
            if (
                team is not None
                and "team" in syntax.model.model_fields
                and isinstance(parsed, Parsed)
            ):
                example = re.sub(r" in \S+$", "", parsed.text) + f' in "{team}"'
            out.append((syntax, example))
    return out


async def attempt(chat: Chat, user: str, example: str, team: str | None = None) -> str:
    """What the person hears; when the command opens a form, what they hear once they fill in
    what it requires and submit it."""
    replies: list[Outgoing] = await chat.say(user, example)
    if len(replies) == 1 and isinstance(replies[0], Form):
        form = replies[0]
        given = {f.name: FILLER for f in form.fields if f.required and f.value is None}
        if team is not None and any(f.name == "team" for f in form.fields):
            given["team"] = team
        replies = await chat.submit(user, form, given)
    return text_of(replies)
