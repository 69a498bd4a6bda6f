"""Fail of the Month: nominations, the vote and the archive. None of these commit.

No function here returns a voter's choice: a vote is written, replaced and counted, and the
rows are deleted when the month closes, so the lead (or anyone reading the bot's answers) can
only ever see how many votes a story has.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, delete, func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.bounded import slices
from storage.engine import upsert
from storage.models import Consent, FailMonth, FailNomination, FailVote, Member

VOTES = cast(Table, FailVote.__table__)


@dataclass(frozen=True)
class Story:
    """A nomination with its nominee, as a ballot, a post or the archive shows it."""

    nomination: FailNomination
    nominee: Member


async def stories(
    session: AsyncSession, keys: Collection[tuple[int, str]], *, winners_only: bool = False
) -> list[Story]:
    """The consented stories of these (team, month) pairs, oldest first; one query for all."""
    if not keys:
        return []
    query = (
        select(FailNomination, Member)
        .join(Member, Member.id == FailNomination.nominee_id)
        .where(
            tuple_(FailNomination.team_id, FailNomination.month).in_(list(keys)),
            FailNomination.consent == Consent.GIVEN,
        )
        .order_by(FailNomination.created_at, FailNomination.id)
    )
    if winners_only:
        query = query.where(FailNomination.won.is_(True))
    return [Story(n, m) for n, m in (await session.execute(query)).all()]


async def winners_of_year(session: AsyncSession, team_id: int, year: int) -> list[Story]:
    """Every closed month's winning stories in a year, month by month; a story whose nominee
    took back their yes is not among them."""
    query = (
        select(FailNomination, Member)
        .join(Member, Member.id == FailNomination.nominee_id)
        .where(
            FailNomination.team_id == team_id,
            FailNomination.won.is_(True),
            FailNomination.consent == Consent.GIVEN,
            FailNomination.month.like(f"{year:04d}-%"),
        )
        .order_by(FailNomination.month, FailNomination.id)
    )
    return [Story(n, m) for n, m in (await session.execute(query)).all()]


async def closed_months(session: AsyncSession, team_id: int, year: int) -> list[str]:
    query = select(FailMonth.month).where(
        FailMonth.team_id == team_id, FailMonth.month.like(f"{year:04d}-%")
    )
    return sorted((await session.scalars(query)).all())


async def is_closed(session: AsyncSession, team_id: int, month: str) -> bool:
    found = await session.scalar(
        select(FailMonth.id).where(FailMonth.team_id == team_id, FailMonth.month == month)
    )
    return found is not None


async def nominations_by(
    session: AsyncSession, team_id: int, month: str, nominator_id: int
) -> list[tuple[FailNomination, Member]]:
    """What one person nominated this month, whatever the consent, with whom each is about:
    theirs to see."""
    return await _nominations(
        session,
        team_id,
        month,
        FailNomination.nominee_id,
        FailNomination.nominator_id == nominator_id,
    )


async def asking_about(
    session: AsyncSession, team_id: int, month: str, nominee_id: int
) -> list[tuple[FailNomination, Member]]:
    """The month's stories about one person still waiting for their say, with who told each:
    theirs to answer, seen by nobody else until they agree."""
    return await _nominations(
        session,
        team_id,
        month,
        FailNomination.nominator_id,
        FailNomination.nominee_id == nominee_id,
        FailNomination.consent == Consent.ASKED,
    )


async def _nominations(
    session: AsyncSession,
    team_id: int,
    month: str,
    other: InstrumentedAttribute[int | None],
    *where: ColumnElement[bool],
) -> list[tuple[FailNomination, Member]]:
    """A team's nominations of a month that match, oldest first, each with the other person."""
    query = (
        select(FailNomination, Member)
        .join(Member, Member.id == other)
        .where(FailNomination.team_id == team_id, FailNomination.month == month, *where)
        .order_by(FailNomination.id)
    )
    return [(n, m) for n, m in (await session.execute(query)).all()]


async def cast_vote(
    session: AsyncSession, nomination: FailNomination, voter_id: int
) -> bool | None:
    """Record the voter's vote for the nomination, replacing any earlier vote of theirs that
    month; what it replaced is never read. True when it replaced one, None when the month
    closed meanwhile.

    The nomination is locked first, as `close_month` locks the month's nominations before it
    counts: a vote racing the close is either counted or refused, never left behind as a row
    that links a voter to a choice after the close.
    """
    await session.execute(
        select(FailNomination.id).where(FailNomination.id == nomination.id).with_for_update()
    )
    if await is_closed(session, nomination.team_id, nomination.month):
        return None
    before = await voters(session, nomination.team_id, nomination.month)
    await session.execute(
        upsert(session, VOTES)
        .values(
            workspace_id=nomination.workspace_id,
            team_id=nomination.team_id,
            month=nomination.month,
            voter_id=voter_id,
            nomination_id=nomination.id,
        )
        .on_conflict_do_update(
            index_elements=["team_id", "month", "voter_id"],
            set_={"nomination_id": nomination.id},
        )
    )
    return await voters(session, nomination.team_id, nomination.month) == before


async def tally(session: AsyncSession, team_id: int, month: str) -> dict[int, int]:
    """Votes per nomination; nominations nobody voted for are absent."""
    query = (
        select(FailVote.nomination_id, func.count())
        .where(FailVote.team_id == team_id, FailVote.month == month)
        .group_by(FailVote.nomination_id)
    )
    return {nomination: count for nomination, count in (await session.execute(query)).all()}


async def voters(session: AsyncSession, team_id: int, month: str) -> int:
    """How many people have voted so far."""
    count = await session.scalar(
        select(func.count()).where(FailVote.team_id == team_id, FailVote.month == month)
    )
    return int(count or 0)


async def close_month(
    session: AsyncSession, workspace_id: int, team_id: int, month: str, now: datetime
) -> list[Story] | None:
    """Count the month's votes into its stories, mark the winners, forget who voted for whom,
    and archive the month. The winners (several on a tie; every story when nobody voted), or
    None when another process closed it first."""
    try:
        async with session.begin_nested():  # a replica closing it at the same moment wins
            session.add(
                FailMonth(workspace_id=workspace_id, team_id=team_id, month=month, closed_at=now)
            )
    except IntegrityError:
        return None
    # Votes in flight hold their nomination: wait for them, so every vote is counted.
    await session.execute(
        select(FailNomination.id)
        .where(FailNomination.team_id == team_id, FailNomination.month == month)
        .with_for_update()
    )
    counts = await tally(session, team_id, month)
    ballot = await stories(session, [(team_id, month)])
    for story in ballot:
        story.nomination.votes = counts.get(story.nomination.id, 0)
    top = max((s.nomination.votes or 0 for s in ballot), default=0)
    winners = [s for s in ballot if (s.nomination.votes or 0) == top]
    for story in ballot:  # every story's verdict, not only the winners': written once, here
        story.nomination.won = (story.nomination.votes or 0) == top
    await session.execute(
        delete(FailVote).where(FailVote.team_id == team_id, FailVote.month == month)
    )
    await session.flush()
    return winners


async def closed_among(
    session: AsyncSession, keys: Collection[tuple[int, str]]
) -> set[tuple[int, str]]:
    """Which of these (team, month) pairs are closed already; one query for every team."""
    closed: set[tuple[int, str]] = set()
    for part in slices(keys):
        query = select(FailMonth.team_id, FailMonth.month).where(
            tuple_(FailMonth.team_id, FailMonth.month).in_(part)
        )
        closed.update((team, month) for team, month in (await session.execute(query)).all())
    return closed
