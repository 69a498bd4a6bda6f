"""Everything stored about one person, found from the schema itself, and how to forget it.

Export reads every table with a column pointing at a member, so a new table is exported the
day it is added. Forgetting needs a decision per table (delete the rows, or keep them for the
team with the person scrubbed out), and `FORGET` must name every such table: a test fails
when one is missing.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Table, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, Kpi, KpiStatus, Member


def member_columns() -> dict[Table, list[Column[Any]]]:
    """Every table (but member itself) and its columns that point at a member."""
    found: dict[Table, list[Column[Any]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "member":
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "member" and fk.column.name == "id":
                found.setdefault(table, []).append(fk.parent)
    return found


def _plain(value: object) -> object:
    if isinstance(value, date | time):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, enum.Enum):
        return value.value
    return value


async def export_rows(
    session: AsyncSession, workspace_id: int, member_id: int
) -> dict[str, list[dict[str, object]]]:
    """Table name -> the person's rows, as plain JSON-ready dicts; one query per table."""
    member = await session.get(Member, member_id)
    assert member is not None
    assert member.workspace_id == workspace_id
    out: dict[str, list[dict[str, object]]] = {
        "member": [{c.name: _plain(getattr(member, c.key)) for c in Member.__table__.columns}]
    }
    for table, columns in member_columns().items():
        query = select(table).where(
            table.c.workspace_id == workspace_id, or_(*(c == member_id for c in columns))
        )
        rows = (await session.execute(query)).mappings().all()
        out[table.name] = [_own_part(table.name, dict(row), member_id) for row in rows]
    return out


# Whose words each free-text column holds: table -> {column naming the person: their columns}.
# A KPI Lea proposed for Ana holds Lea's answer to "what excites you" and Ana's growth goal;
# each export carries only the exporter's own words.
WORDS_OF: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "kpi": {
        "owner_id": ("growth_goal", "outcome", "retired_reason"),
        "proposed_by_id": ("excites",),
    },
    # Whether a nominee agreed is theirs: a "no" is never told, not even in an export. The
    # story (what happened, what was learned) is its nominator's words about the nominee: they
    # were shown to the nominee to ask their yes, as a budget's question is to its asker, and
    # are no more the nominee's to export. The story is the nominee's to share or withdraw, and
    # goes when they are forgotten (`forget_nominations`); a self-nomination is both people's.
    "fail_nomination": {"nominee_id": ("consent",), "nominator_id": ("misstep", "learned")},
    # A sprint's goal and each look-back are their writer's; who the bot asked to mentor is
    # only theirs to see, so a no is never read out of the learner's export.
    "mentorship": {
        "learner_id": ("goal", "learner_lookback"),
        "mentor_id": ("mentor_lookback",),
        "suggested_id": ("suggested_id",),
    },
    # What a stretch is, a budget's scope, a commitment's action: the subject all of them were
    # told, kept like a KPI's name. How it went and what each one said about it are the
    # speaker's own: a supporter's export never carries the person's outcome or lesson.
    "stretch": {"member_id": ("outcome", "learned")},
    # Why a commitment was dropped is the words of whoever dropped it (its owner or the lead):
    # the person whose way it was in heard them, and does not export them.
    "commitment": {"closed_by_id": ("reason",)},
    "budget_request": {
        "member_id": ("answer", "spent_note"),
        "decided_by_id": ("question",),
    },
    # A one-on-one's notes and a talking point are their writer's, not the pair's.
    "one_on_one": {"written_by_id": ("notes", "next_steps")},
    "talking_point": {"author_id": ("text",)},
}


# Columns that are nobody's: a pulse's counts and words are everyone's answers together, and
# the lead who started it must not read them out of an export, open or sealed.
# A message the bot queued for them is others' doing (who asked, who proposed) in the bot's
# words: that it was sent is theirs, what it said is in the rows it speaks of.
NEVER_EXPORTED: Mapping[str, tuple[str, ...]] = {
    "pulse": ("counts", "words"),
    "outbox": ("payload",),
    # Hashes of a sign-in link and a browser session: nothing a person could read or reuse.
    "web_sign_in": ("link_hash", "session_hash"),
}


def _own_part(table: str, row: dict[str, Any], member_id: int) -> dict[str, object]:
    for whose, columns in WORDS_OF.get(table, {}).items():
        if row[whose] != member_id:
            row = {**row, **dict.fromkeys(columns, "(not yours to export)")}
    row = {**row, **dict.fromkeys(NEVER_EXPORTED.get(table, ()), "(anonymous: not exported)")}
    return {k: _plain(v) for k, v in row.items()}


Forgetter = Callable[[AsyncSession, Table, list[Column[Any]], Member, datetime], Awaitable[None]]


async def delete_rows(
    session: AsyncSession, table: Table, columns: list[Column[Any]], member: Member, now: datetime
) -> None:
    await session.execute(
        delete(table).where(
            table.c.workspace_id == member.workspace_id, or_(*(c == member.id for c in columns))
        )
    )


async def retire_kpis(
    session: AsyncSession, table: Table, columns: list[Column[Any]], member: Member, now: datetime
) -> None:
    """KPIs stay in the team's history, retired, without the owner's own words.

    KPIs they proposed for others stay with those owners; the proposer becomes the anonymous
    member row.
    """
    mine = (Kpi.workspace_id == member.workspace_id, Kpi.owner_id == member.id)
    await session.execute(
        update(Kpi).where(*mine).values(excites=None, growth_goal=None, outcome=None)
    )
    # What they answered when proposing a KPI for someone else was their own words too.
    await session.execute(
        update(Kpi)
        .where(Kpi.workspace_id == member.workspace_id, Kpi.proposed_by_id == member.id)
        .values(excites=None)
    )
    await session.execute(
        update(Kpi)
        .where(*mine, Kpi.status != KpiStatus.RETIRED)
        .values(
            status=KpiStatus.RETIRED,
            retired_reason="its owner asked to be forgotten",
            retired_at=now,
        )
    )


async def clear_columns(
    session: AsyncSession, table: Table, columns: list[Column[Any]], member: Member, now: datetime
) -> None:
    """The row stays the team's; only the pointer to the person goes (a pulse a lead
    started keeps everyone's sealed answers)."""
    for column in columns:
        await session.execute(
            update(table)
            .where(table.c.workspace_id == member.workspace_id, column == member.id)
            .values({column.name: None})
        )


async def forget_nominations(
    session: AsyncSession, table: Table, columns: list[Column[Any]], member: Member, now: datetime
) -> None:
    """A Fail of the Month story is its nominee's: it goes with them. One they nominated
    someone else for stays that person's, with no nominator."""
    await session.execute(
        delete(table).where(
            table.c.workspace_id == member.workspace_id, table.c.nominee_id == member.id
        )
    )
    await clear_columns(session, table, [table.c.nominator_id], member, now)


def owned_by(owner: str) -> Forgetter:
    """Rows that are the person's when they are in `owner` (a stretch they took on, a budget
    they asked for): those go; in the table's other member columns (who opened it, who
    approved it) the rows stay their owner's, with the pointer cleared."""

    async def forget(
        session: AsyncSession,
        table: Table,
        columns: list[Column[Any]],
        member: Member,
        now: datetime,
    ) -> None:
        await delete_rows(session, table, [table.c[owner]], member, now)
        others = [c for c in columns if c.name != owner]
        await clear_columns(session, table, others, member, now)

    return forget


# Outbox rows are read in pages this long when looking for a person's mentions.
OUTBOX_PAGE = 500


async def forget_outbox(
    session: AsyncSession, table: Table, columns: list[Column[Any]], member: Member, now: datetime
) -> None:
    """Messages to the person go, and so does every message that names them: a lead's digest
    already sent still holds their name, their id and their words, and one still waiting
    would carry them out after they asked to be forgotten."""
    await delete_rows(session, table, columns, member, now)
    last = 0
    while True:
        page = (
            await session.execute(
                select(table.c.id, table.c.payload)
                .where(table.c.workspace_id == member.workspace_id, table.c.id > last)
                .order_by(table.c.id)
                .limit(OUTBOX_PAGE)
            )
        ).all()
        if not page:
            return
        last = page[-1].id
        naming = [row.id for row in page if _names(row.payload, member.platform_user_id)]
        if naming:
            await session.execute(delete(table).where(table.c.id.in_(naming)))


def _names(payload: object, platform_user_id: str) -> bool:
    """Whether a queued message mentions this person anywhere in it."""
    if isinstance(payload, dict):
        if payload.get("mention") == platform_user_id:
            return True
        return any(_names(v, platform_user_id) for v in payload.values())
    if isinstance(payload, list):
        return any(_names(v, platform_user_id) for v in payload)
    return False


async def forget_mentorships(
    session: AsyncSession, table: Table, columns: list[Column[Any]], member: Member, now: datetime
) -> None:
    """A gap and its sprint are the learner's: they go with them. A mentor who asks to be
    forgotten leaves the learner's sprint with no mentor and without the mentor's words, and
    someone the bot had asked is simply no longer asked."""
    ours = table.c.workspace_id == member.workspace_id
    await session.execute(delete(table).where(ours, table.c.learner_id == member.id))
    await session.execute(
        update(table)
        .where(ours, table.c.mentor_id == member.id)
        .values(mentor_id=None, mentor_lookback=None)
    )
    await clear_columns(session, table, [table.c.suggested_id], member, now)


# How to forget a person in each table that points at a member. Every such table must be here.
FORGET: Mapping[str, Forgetter] = {
    "membership": delete_rows,
    "join_request": delete_rows,
    "kpi": retire_kpis,
    "nudge": delete_rows,
    "outbox": forget_outbox,
    "teams_conversation": delete_rows,
    "kpi_value": delete_rows,
    "kudos": delete_rows,
    "kudos_recipient": delete_rows,
    "experiment": delete_rows,
    "obstacle": delete_rows,
    "commitment": delete_rows,
    "misstep": delete_rows,
    "misstep_feedback": delete_rows,
    "one_on_one": delete_rows,
    "talking_point": delete_rows,
    "dip_ladder": delete_rows,
    "kpi_vote": delete_rows,
    "purpose": delete_rows,
    "purpose_answer": delete_rows,
    "kpi_review": delete_rows,
    "kpi_change": delete_rows,
    "fail_nomination": forget_nominations,
    "fail_vote": delete_rows,
    "pulse": clear_columns,
    "pulse_respondent": delete_rows,
    "stretch": owned_by("member_id"),
    "budget_request": owned_by("member_id"),
    "web_sign_in": delete_rows,
    # The growth lab's skills: a skill proposed stays the team's; ratings, the choice to show
    # them, and sprints (theirs as learner or as mentor) and declines go with the person.
    "skill": clear_columns,
    "skill_rating": delete_rows,
    "skill_share": delete_rows,
    "mentorship": forget_mentorships,
    "mentor_decline": delete_rows,
    # A debate stays the team's (its decision feeds the review) without who started it; the
    # seats (who was asked, their answer and line) and volunteers are the person's own.
    "debate": clear_columns,
    "debate_seat": delete_rows,
    "debate_volunteer": delete_rows,
    "raw_opt_out": delete_rows,
}


async def forget_rows(session: AsyncSession, member: Member, now: datetime) -> None:
    """Run every table's forgetter for this member; the member row itself is the caller's."""
    for table, columns in member_columns().items():
        await FORGET[table.name](session, table, columns, member, now)
