"""Helpers for the tests of a team's ritual switch: putting people on a second team, every
example of a ritual tried as typed against a team that switched it off, and the store read
before and after to tell that a refused command wrote nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.grammar import Parsed, build_grammar
from rituals.core.messages import Form, Outgoing
from rituals.core.spec import Ritual
from rituals.core.syntax import Syntax
from storage.models import Base, Member, Role, Team
from storage.people import NewMember, ensure_member
from storage.teams import ensure_membership, ensure_team
from tests.conftest import NOW
from tests.support import Chat, text_of

FILLER = "long enough to be a real answer"
GRAMMAR = build_grammar("/kpi")

Rows = dict[str, list[tuple[object, ...]]]

# --- the store, before and after ------------------------------------------------------------


async def row_counts(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """How many rows each table holds: a refused command leaves every count as it was."""
    async with sessions() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def every_row(sessions: async_sessionmaker[AsyncSession]) -> Rows:
    """Every row of every table, to tell that a command wrote nothing at all, not even an
    update: stricter than `row_counts`."""
    async with sessions() as session:
        found: Rows = {}
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            found[table.name] = sorted((tuple(r) for r in rows), key=repr)
        return found


# --- teams ----------------------------------------------------------------------------------


async def join(
    sessions: async_sessionmaker[AsyncSession], team: str, user: str, role: Role = Role.MEMBER
) -> Team:
    """Put someone of workspace T1 on a team there, making the team (and them) if need be."""
    async with sessions() as session, session.begin():
        workspace_id = await session.scalar(
            select(Member.workspace_id).where(Member.platform_user_id == "lea")
        )
        assert workspace_id is not None
        found = await ensure_team(session, workspace_id, team, "UTC", NOW)
        person = NewMember(user, user.capitalize(), "UTC", "mon,tue,wed,thu,fri")
        member = await ensure_member(session, workspace_id, person, NOW)
        member.welcomed_at = NOW
        await ensure_membership(session, found, member, role, NOW)
        return found


async def second_team(sessions: async_sessionmaker[AsyncSession], name: str) -> Team:
    """A second team in T1, led by Lea with Ana on it: both are then on two teams."""
    await join(sessions, name, "lea", Role.LEAD)
    return await join(sessions, name, "ana")


# --- every example, as typed ----------------------------------------------------------------


def examples(
    ritual: Ritual, rows: Mapping[str, int], team: str | None = None
) -> list[tuple[Syntax, str]]:
    """Every example of the ritual, its row number (obstacle 12, commitment 5) swapped for a
    real row's, and, given a team, naming that team wherever the command takes one (the
    example as the grammar writes it back, so its free text is quoted)."""
    out = []
    for syntax in ritual.commands:
        assert syntax.examples, f"{syntax.name} has no example to try"
        for typed in syntax.examples:
            example = re.sub(r"^(\S+) \d+", rf"\g<1> {rows.get(syntax.name, 0)}", typed)
            parsed = GRAMMAR.parse(example)
            # One that opens a form is given the team in the form.
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


def refused_in(said: str, ritual: Ritual, team: str, user: str) -> bool:
    """Whether `said` refuses a command because `team` switched the ritual off, with the
    command that does it for that team: to Lea, the lead, the switch to type herself; to
    anyone else, Lea named as who can switch it on."""
    told = "Switch it on with" if user == "lea" else "@Lea can switch it on"
    return f"{team} has switched off {ritual.label}. {told}" in said and f'in "{team}"' in said


async def each_refused(
    chat: Chat,
    sessions: async_sessionmaker[AsyncSession],
    ritual: Ritual,
    team: str,
    typed: Iterable[str],
    *,
    team_in_form: bool = False,
) -> None:
    """Each command as typed, by Lea (the lead) and by Ana (a member), is refused because `team`
    switched the ritual off, and leaves every table's row count as it was; `team_in_form`
    names the team in a form the command opens."""
    for example in typed:
        for user in ("lea", "ana"):
            before = await row_counts(sessions)
            said = await attempt(chat, user, example, team=team if team_in_form else None)
            assert refused_in(said, ritual, team, user), (user, example, said)
            assert await row_counts(sessions) == before, (user, example)


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
            told = "Switch it on with" if user == "lea" else "@Lea can switch it on:"
            assert f"{told} settings set rituals" in said, said
            assert await every_row(sessions) == before, typed
            tried += 1
    return tried
