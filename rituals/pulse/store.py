"""Tension pulses: opening them, answering once, and closing them. None of these commit.

An answer is added to its pulse's counts and word list, and the answerer to the list of who
answered, in the same transaction but in no shared row: nothing stored links the two.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.bounded import slices
from storage.models import Pulse, PulseRespondent

SCORES = 5
# The order words are added in would say who came when; each goes in at a random place.
_shuffle = random.SystemRandom()


def new_pulse(
    workspace_id: int,
    team_id: int,
    question: str,
    threshold: int,
    opened_at: datetime,
    closes_at: datetime,
    *,
    kpi_id: int | None = None,
    started_by_id: int | None = None,
    period: str | None = None,
) -> Pulse:
    return Pulse(
        workspace_id=workspace_id,
        team_id=team_id,
        kpi_id=kpi_id,
        question=question,
        started_by_id=started_by_id,
        period=period,
        threshold=threshold,
        counts=[0] * SCORES,
        words=[],
        opened_at=opened_at,
        closes_at=closes_at,
    )


class PulseClosed(Exception):
    """The pulse closed before this answer could be counted."""


async def open_pulse(session: AsyncSession, team_id: int, *, lock: bool = False) -> Pulse | None:
    """The team's pulse taking answers, if one is; with `lock`, its row locked (PostgreSQL)
    and read afresh, so answers being counted this moment are in its counts."""
    query = (
        select(Pulse)
        .where(Pulse.team_id == team_id, Pulse.closed_at.is_(None))
        .order_by(Pulse.id.desc())
        .limit(1)
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def latest_pulse(session: AsyncSession, team_id: int) -> Pulse | None:
    return await session.scalar(
        select(Pulse).where(Pulse.team_id == team_id).order_by(Pulse.id.desc()).limit(1)
    )


async def has_answered(session: AsyncSession, pulse_id: int, member_id: int) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    PulseRespondent.pulse_id == pulse_id, PulseRespondent.member_id == member_id
                )
            )
        )
    )


async def record_answer(
    session: AsyncSession,
    pulse: Pulse,
    member_id: int,
    score: int,
    word: str | None,
    *,
    now: datetime | None = None,
) -> bool:
    """Count one answer; False when the person had answered already (nothing is changed).

    The pulse row is locked first (PostgreSQL; SQLite writes one at a time anyway), so two
    answers at the same moment cannot lose each other's count; and read afresh, so an answer
    that was on its way while the pulse closed (by `pulse close`, or the tick at `now` past
    its closing time) raises PulseClosed rather than changing results already decided."""
    if not 1 <= score <= SCORES:
        raise ValueError(f"a pulse's score is 1 to {SCORES}; got {score}")
    locked = await session.scalar(
        select(Pulse)
        .where(Pulse.id == pulse.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert locked is not None
    if locked.closed_at is not None or (now is not None and locked.closes_at <= now):
        raise PulseClosed(f"pulse {locked.id} closed")
    try:
        async with session.begin_nested():
            session.add(
                PulseRespondent(
                    workspace_id=locked.workspace_id, pulse_id=locked.id, member_id=member_id
                )
            )
    except IntegrityError:
        return False
    counts = list(locked.counts)
    counts[score - 1] += 1
    locked.counts = counts  # a new list, so the JSON column notices
    if word:
        words = list(locked.words)
        words.insert(_shuffle.randint(0, len(words)), word)
        locked.words = words
    await session.flush()
    return True


async def closing_pulses(
    session: AsyncSession, team_ids: Collection[int], now: datetime
) -> list[Pulse]:
    """Pulses of these teams whose time is up and that have not closed; their rows locked
    (PostgreSQL) and read afresh, so an answer being counted this moment is in the results,
    and a second replica's tick waits, then finds them closed."""
    found: list[Pulse] = []
    for teams in slices(team_ids):
        query = (
            select(Pulse)
            .where(Pulse.closed_at.is_(None), Pulse.closes_at <= now, Pulse.team_id.in_(teams))
            .order_by(Pulse.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        found.extend((await session.scalars(query)).all())
    return sorted(found, key=lambda pulse: pulse.id)


async def open_pulses_of(
    session: AsyncSession,
    team_ids: Collection[int],
    periods: Collection[str] = (),
    started_since: datetime | None = None,
) -> list[Pulse]:
    """These teams' open pulses, their scheduled pulses of these periods even if closed,
    and the pulses their leads started since `started_since`; one query for every team of a
    tick."""
    wanted = or_(Pulse.closed_at.is_(None), Pulse.period.in_(list(periods)))
    if started_since is not None:
        wanted = or_(wanted, and_(Pulse.period.is_(None), Pulse.opened_at >= started_since))
    found: list[Pulse] = []
    for teams in slices(team_ids):
        query = select(Pulse).where(Pulse.team_id.in_(teams), wanted)
        found.extend((await session.scalars(query)).all())
    return sorted(found, key=lambda pulse: pulse.id)
