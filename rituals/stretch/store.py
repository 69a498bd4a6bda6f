"""Stretch assignments' queries: which KPIs lag, the quarter's rotation, and the stretches
themselves. None of these commit; each stays in the workspace and team it is given."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rituals.kpis.direction import improved
from rituals.numbers.store import active_team_kpis, series_since
from storage.models import Kpi, Member, Stretch, StretchState

# Values further back than this say nothing about whether a KPI lags now.
RECENT = timedelta(days=190)
# States that took a turn in the rotation: asked (waiting for a yes), taken on, or done. An
# ask left unanswered past its day has lapsed: it is no turn, and nothing is open any more.
TURNS = (StretchState.ASKED, StretchState.ACCEPTED, StretchState.DONE)
OPEN = (StretchState.ASKED, StretchState.ACCEPTED)
# Only a stretch the person took on (or finished) is a first.
FIRSTS = (StretchState.ACCEPTED, StretchState.DONE)


def lapsed(row: Stretch, today: date) -> bool:
    """Asked, never answered, and its day has gone by: it cannot be taken on any more."""
    return row.state is StretchState.ASKED and row.due_on < today


def _live(today: date) -> ColumnElement[bool]:
    """Not a lapsed ask: the SQL twin of `lapsed`, negated."""
    return (Stretch.state != StretchState.ASKED) | (Stretch.due_on >= today)


@dataclass(frozen=True)
class Lag:
    """A KPI whose latest value is short of its target, the way it gets better."""

    kpi: Kpi
    value: Decimal
    period: str


def lags(kpi: Kpi, value: Decimal) -> bool:
    """Short of target: below it for most KPIs, above it for one where lower is better."""
    return improved(value, kpi.target, kpi.direction)


async def lagging_kpis(
    session: AsyncSession, workspace_id: int, team_id: int, today: date
) -> dict[int, list[Lag]]:
    """Each of the team's people's active KPIs that lag their target now, by owner: two
    queries however big the team."""
    kpis = await active_team_kpis(session, workspace_id, team_id)
    series = await series_since(session, [k.id for k in kpis], today - RECENT)
    found: dict[int, list[Lag]] = defaultdict(list)
    for kpi in kpis:
        values = series.get(kpi.id)
        if values and lags(kpi, values[-1].value):
            found[kpi.owner_id].append(Lag(kpi, values[-1].value, values[-1].period))
    return dict(found)


@dataclass(frozen=True)
class Turns:
    """Someone's place in a team's rotation for a quarter."""

    taken: int  # stretches asked (and not lapsed), taken on or done this quarter
    declined: bool  # said not this time this quarter: they sit the rotation out
    last: datetime | None  # when they last took one on, any quarter
    # Asked or under way now, any quarter: one at a time, so not suggested again until done.
    open: bool = False
    firsts: int = 0  # stretches taken on or done this quarter: only these are a first


async def rotation(
    session: AsyncSession, team_id: int, quarter: str, today: date
) -> dict[int, Turns]:
    """The fairness rule's one query: per person on the team's stretches, how many turns they
    had this quarter, whether they passed, and when they last took one on."""
    this = Stretch.quarter == quarter
    live = _live(today)
    query = (
        select(
            Stretch.member_id,
            func.sum(case((this & live & Stretch.state.in_(TURNS), 1), else_=0)),
            func.sum(case((this & (Stretch.state == StretchState.DECLINED), 1), else_=0)),
            func.max(case((Stretch.state.in_(FIRSTS), Stretch.created_at), else_=None)),
            func.sum(case((live & Stretch.state.in_(OPEN), 1), else_=0)),
            func.sum(case((this & Stretch.state.in_(FIRSTS), 1), else_=0)),
        )
        .where(Stretch.team_id == team_id)
        .group_by(Stretch.member_id)
    )
    rows = (await session.execute(query)).all()
    return {
        m: Turns(int(taken or 0), bool(declined), last, bool(now), int(firsts or 0))
        for m, taken, declined, last, now, firsts in rows
    }


def waiting(turns: dict[int, Turns], eligible: Collection[int], besides: int) -> list[int]:
    """Who still waits for a first stretch this quarter (not `besides`): everyone eligible
    who has had none and did not pass. Nobody gets a second while this is not empty."""
    none = Turns(0, False, None)
    return [
        m
        for m in eligible
        if m != besides and turns.get(m, none).firsts == 0 and not turns.get(m, none).declined
    ]


def next_in_turn(turns: dict[int, Turns], eligible: Collection[int]) -> list[int]:
    """The rotation's order: fewest turns this quarter, then longest since the last one (never
    first), then who joined the store first. Those who passed this quarter, or have one asked
    or under way, are left out."""
    none = Turns(0, False, None)
    never = datetime.min.replace(tzinfo=UTC)

    def key(m: int) -> tuple[int, datetime, int]:
        t = turns.get(m, none)
        return (t.taken, t.last or never, m)

    free = (m for m in eligible if not turns.get(m, none).declined and not turns.get(m, none).open)
    return sorted(free, key=key)


async def open_stretch_of(session: AsyncSession, member_id: int, today: date) -> Stretch | None:
    """The person's stretch that is asked (not lapsed) or under way, if any: one at a time."""
    query = select(Stretch).where(
        Stretch.member_id == member_id, Stretch.state.in_(OPEN), _live(today)
    )
    return (await session.scalars(query.limit(1))).first()


async def stretch_by_id(session: AsyncSession, workspace_id: int, number: int) -> Stretch | None:
    row = await session.get(Stretch, number)
    return row if row is not None and row.workspace_id == workspace_id else None


@dataclass(frozen=True)
class StretchRow:
    stretch: Stretch
    person: Member
    kpi: str


async def stretches_where(
    session: AsyncSession, workspace_id: int, *, team_id: int | None = None, member_id: int | None
) -> list[StretchRow]:
    """A team's or a person's stretches with who and which KPI, newest last."""
    query = (
        select(Stretch, Member, Kpi.name)
        .join(Member, Member.id == Stretch.member_id)
        .join(Kpi, Kpi.id == Stretch.kpi_id)
        .where(Stretch.workspace_id == workspace_id)
        .order_by(Stretch.created_at, Stretch.id)
    )
    if team_id is not None:
        query = query.where(Stretch.team_id == team_id)
    if member_id is not None:
        query = query.where(Stretch.member_id == member_id)
    return [StretchRow(s, m, k) for s, m, k in (await session.execute(query)).all()]


@dataclass(frozen=True)
class FinishedStretch:
    member_id: int
    team_id: int
    kpi: str
    what: str
    outcome: str
    learned: str
    finished_at: datetime


async def finished_since(
    session: AsyncSession, members: Collection[int], earliest: datetime
) -> list[FinishedStretch]:
    """Stretches these people finished since a moment, for their one-on-one scripts."""
    query = (
        select(Stretch, Kpi.name)
        .join(Kpi, Kpi.id == Stretch.kpi_id)
        .where(
            Stretch.member_id.in_(members),
            Stretch.state == StretchState.DONE,
            Stretch.finished_at >= earliest,
        )
        .order_by(Stretch.finished_at, Stretch.id)
    )
    out = []
    for row, kpi in (await session.execute(query)).all():
        assert row.finished_at is not None
        assert row.outcome is not None
        assert row.learned is not None
        out.append(
            FinishedStretch(
                row.member_id, row.team_id, kpi, row.what, row.outcome, row.learned, row.finished_at
            )
        )
    return out


@dataclass(frozen=True)
class DueStretch:
    stretch: Stretch
    kpi: str


async def due_stretches(session: AsyncSession, days: Collection[date]) -> list[DueStretch]:
    """Stretches under way whose day is one of these (every workspace): time to look back."""
    if not days:
        return []
    query = (
        select(Stretch, Kpi.name)
        .join(Kpi, Kpi.id == Stretch.kpi_id)
        .where(Stretch.state == StretchState.ACCEPTED, Stretch.due_on.in_(days))
        .order_by(Stretch.id)
    )
    return [DueStretch(s, k) for s, k in (await session.execute(query)).all()]
