"""What one week of KPI Raw is made of, for any number of teams in a constant number of
statements: one query per kind of content, each for every team at once (in chunks of
`CHUNK` teams, so no `IN` list grows without bound). None of these commit.

Numbers are read only for KPIs the team may see (`TEAM_SEES_NUMBERS`, the one rule) whose
owners have not kept their numbers out (`RawOptOut`); the rule is in SQL, so a number the
team may not read never leaves the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from rituals.kpis.visibility import TEAM_SEES_NUMBERS
from rituals.raw.sprints import finished_sprints
from storage.models import (
    Cadence,
    Commitment,
    CommitmentStatus,
    Direction,
    Experiment,
    FailMonth,
    FailNomination,
    Kpi,
    KpiStatus,
    KpiValue,
    Kudos,
    KudosRecipient,
    Member,
    Membership,
    RawOptOut,
)

# Aliases made once: one made per call adapts its columns afresh at every comparison, about
# half a millisecond of CPU a query; made once, SQLAlchemy keeps what it adapted.
_LOGGED, _OWNER = aliased(KpiValue), aliased(Member)

# Teams per statement: a tick over thousands of teams reads them in slices this big.
CHUNK = 500
# How far back values are read, per cadence: enough periods for a fall against the trend
# (twice its span) and for the picture's line.
HISTORY = {
    Cadence.WEEKLY: timedelta(weeks=13),
    Cadence.MONTHLY: timedelta(days=31 * 13),
    Cadence.QUARTERLY: timedelta(days=92 * 10),
}


@dataclass(frozen=True)
class Window:
    """The week one team's issue covers: from `since` (included) to `until` (excluded)."""

    team_id: int
    since: datetime
    until: datetime

    def holds(self, at: datetime | None) -> bool:
        return at is not None and self.since <= at < self.until


class ShownKpi(NamedTuple):
    """What an issue says of a KPI: read as plain columns, not ORM objects, since a tick
    reads thousands of them."""

    id: int
    name: str
    unit: str
    target: Decimal
    cadence: Cadence
    direction: Direction


class Value(NamedTuple):
    """One logged value, corrections included, as plain columns."""

    id: int
    kpi_id: int
    period_start: date
    value: Decimal
    note: str | None
    logged_at: datetime


@dataclass(frozen=True)
class Shown:
    """A KPI the team may read, with its owner's name and its recent values (every row,
    corrections included; the issue picks the latest said per period)."""

    kpi: ShownKpi
    owner: str
    values: list[Value] = field(default_factory=list)


@dataclass(frozen=True)
class KudosStory:
    kudos: Kudos
    giver: str
    recipients: tuple[str, ...]
    kpi: str | None


@dataclass(frozen=True)
class FailStory:
    nomination: FailNomination
    nominee: str


@dataclass(frozen=True)
class Kept:
    commitment: Commitment
    owner: str


@dataclass(frozen=True)
class Tried:
    experiment: Experiment
    kpi: str
    owner: str


@dataclass
class Week:
    """Everything one team's issue could say."""

    numbers: list[Shown] = field(default_factory=list)
    kudos: list[KudosStory] = field(default_factory=list)
    fails: list[FailStory] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    experiments: list[Tried] = field(default_factory=list)
    sprints: list[str] = field(default_factory=list)


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _kept_in() -> ColumnElement[bool]:
    """The owner has not kept their numbers out of KPI Raw."""
    return ~exists().where(
        RawOptOut.workspace_id == Kpi.workspace_id, RawOptOut.member_id == Kpi.owner_id
    )


def _team_kpis(team_ids: Collection[int]) -> ColumnElement[bool]:
    """Active KPIs the team may read, owned by its people, whose owners let them in."""
    return and_(
        Membership.team_id.in_(team_ids),
        Kpi.workspace_id == Membership.workspace_id,
        Kpi.owner_id == Membership.member_id,
        Kpi.status == KpiStatus.ACTIVE,
        TEAM_SEES_NUMBERS,
        _kept_in(),
    )


async def weeks(session: AsyncSession, windows: Sequence[Window]) -> dict[int, Week]:
    """Each team's week, by team id: a constant number of statements per `CHUNK` teams."""
    out = {w.team_id: Week() for w in windows}
    by_team = {w.team_id: w for w in windows}
    ids = sorted(by_team)
    for chunk in _chunks(ids):
        mine = [by_team[i] for i in chunk]
        since = min(w.since for w in mine)
        until = max(w.until for w in mine)
        await _numbers(session, chunk, since, until, out)
        await _kudos(session, chunk, since, until, out, by_team)
        await _fails(session, chunk, since, until, out, by_team)
        await _kept(session, chunk, since, until, out, by_team)
        await _experiments(session, chunk, since, until, out, by_team)
        sprints = await finished_sprints(
            session, chunk, since, until, lambda team, at: by_team[team].holds(at)
        )
        for team_id, lines in sprints.items():
            out[team_id].sprints.extend(lines)
    return out


async def _numbers(
    session: AsyncSession, chunk: list[int], since: datetime, until: datetime, out: dict[int, Week]
) -> None:
    """The team's visible KPIs with a value logged in the window (one statement), and their
    recent values (one statement)."""
    logged = _LOGGED
    fresh = (
        exists()
        .where(logged.kpi_id == Kpi.id, logged.logged_at >= since, logged.logged_at < until)
        .correlate(Kpi)
    )
    rows = await session.execute(
        select(
            Membership.team_id,
            Kpi.id,
            Kpi.name,
            Kpi.unit,
            Kpi.target,
            Kpi.cadence,
            Kpi.direction,
            Member.display_name,
        )
        .select_from(Membership)
        .join(Kpi, and_(_team_kpis(chunk), fresh))
        .join(Member, Member.id == Kpi.owner_id)
        .order_by(Kpi.name, Kpi.id)
    )
    shown: dict[tuple[int, int], Shown] = {}
    for team_id, kpi_id, name, unit, target, cadence, direction, owner in rows.all():
        item = Shown(ShownKpi(kpi_id, name, unit, target, cadence, direction), owner)
        shown[(team_id, item.kpi.id)] = item
        out[team_id].numbers.append(item)
    if not shown:
        return
    first: date = since.date()
    recent = or_(
        *(
            and_(Kpi.cadence == cadence, KpiValue.period_start >= first - back)
            for cadence, back in HISTORY.items()
        )
    )
    values = await session.execute(
        select(
            Membership.team_id,
            KpiValue.id,
            KpiValue.kpi_id,
            KpiValue.period_start,
            KpiValue.value,
            KpiValue.note,
            KpiValue.logged_at,
        )
        .select_from(Membership)
        .join(Kpi, and_(_team_kpis(chunk), fresh))
        .join(KpiValue, KpiValue.kpi_id == Kpi.id)
        .where(recent)
        .order_by(KpiValue.period_start, KpiValue.logged_at, KpiValue.id)
    )
    for team_id, value_id, kpi_id, start, value, note, logged_at in values.all():
        found = shown.get((team_id, kpi_id))
        if found is not None:
            found.values.append(Value(value_id, kpi_id, start, value, note, logged_at))


async def _kudos(
    session: AsyncSession,
    chunk: list[int],
    since: datetime,
    until: datetime,
    out: dict[int, Week],
    by_team: dict[int, Window],
) -> None:
    """The week's kudos stories (one statement) and who received each (one statement)."""
    mine = and_(Kudos.team_id.in_(chunk), Kudos.created_at >= since, Kudos.created_at < until)
    rows = await session.execute(
        select(Kudos, Member.display_name, Kpi.name)
        .join(Member, Member.id == Kudos.from_id)
        .outerjoin(Kpi, Kpi.id == Kudos.kpi_id)
        .where(mine)
        .order_by(Kudos.created_at, Kudos.id)
    )
    found = [
        (k, giver, kpi)
        for k, giver, kpi in rows.all()
        if k.team_id is not None and by_team[k.team_id].holds(k.created_at)
    ]
    if not found:
        return
    names: dict[int, list[str]] = defaultdict(list)
    recipients = await session.execute(
        select(KudosRecipient.kudos_id, Member.display_name)
        .join(Kudos, Kudos.id == KudosRecipient.kudos_id)
        .join(Member, Member.id == KudosRecipient.member_id)
        .where(mine)
        .order_by(KudosRecipient.id)
    )
    for kudos_id, name in recipients.all():
        names[kudos_id].append(name)
    for kudos, giver, kpi in found:
        assert kudos.team_id is not None
        story = KudosStory(kudos, giver, tuple(names.get(kudos.id, ())), kpi)
        out[kudos.team_id].kudos.append(story)


async def _fails(
    session: AsyncSession,
    chunk: list[int],
    since: datetime,
    until: datetime,
    out: dict[int, Week],
    by_team: dict[int, Window],
) -> None:
    """The Fail of the Month whose vote closed this week: its winning stories."""
    rows = await session.execute(
        select(FailNomination, Member.display_name, FailMonth.closed_at)
        .join(
            FailMonth,
            and_(
                FailMonth.team_id == FailNomination.team_id,
                FailMonth.month == FailNomination.month,
            ),
        )
        .join(Member, Member.id == FailNomination.nominee_id)
        .where(
            FailNomination.team_id.in_(chunk),
            FailNomination.won.is_(True),
            FailMonth.closed_at >= since,
            FailMonth.closed_at < until,
        )
        .order_by(FailNomination.id)
    )
    for nomination, nominee, closed_at in rows.all():
        if by_team[nomination.team_id].holds(closed_at):
            out[nomination.team_id].fails.append(FailStory(nomination, nominee))


async def _kept(
    session: AsyncSession,
    chunk: list[int],
    since: datetime,
    until: datetime,
    out: dict[int, Week],
    by_team: dict[int, Window],
) -> None:
    """Commitments done this week: obstacles cleared, promises kept."""
    rows = await session.execute(
        select(Commitment, Member.display_name)
        .join(Member, Member.id == Commitment.owner_id)
        .where(
            Commitment.team_id.in_(chunk),
            Commitment.status == CommitmentStatus.DONE,
            Commitment.closed_at >= since,
            Commitment.closed_at < until,
        )
        .order_by(Commitment.closed_at, Commitment.id)
    )
    for commitment, owner in rows.all():
        if by_team[commitment.team_id].holds(commitment.closed_at):
            out[commitment.team_id].kept.append(Kept(commitment, owner))


async def _experiments(
    session: AsyncSession,
    chunk: list[int],
    since: datetime,
    until: datetime,
    out: dict[int, Week],
    by_team: dict[int, Window],
) -> None:
    """Experiments on KPIs the team may read: started or finished this week, and those still
    running (a fall's wild idea may be one of them)."""
    owner = _OWNER
    rows = await session.execute(
        select(Membership.team_id, Experiment, Kpi.name, owner.display_name)
        .select_from(Membership)
        .join(Kpi, _team_kpis(chunk))
        .join(Experiment, Experiment.kpi_id == Kpi.id)
        .join(owner, owner.id == Experiment.owner_id)
        .where(
            Experiment.created_at < until,
            or_(Experiment.finished_at.is_(None), Experiment.finished_at >= since),
        )
        .order_by(Experiment.created_at, Experiment.id)
    )
    for team_id, experiment, kpi, name in rows.all():
        window = by_team[team_id]
        if experiment.created_at < window.until:
            out[team_id].experiments.append(Tried(experiment, kpi, name))


async def kept_out(session: AsyncSession, workspace_id: int, member_id: int) -> RawOptOut | None:
    """The person's choice to keep their numbers out of KPI Raw, if they made it."""
    return await session.scalar(
        select(RawOptOut).where(
            RawOptOut.workspace_id == workspace_id, RawOptOut.member_id == member_id
        )
    )
