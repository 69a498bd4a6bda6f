"""What a wins-first one-on-one script is made of, loaded for many pairs at once.

`load_scripts` issues the same few statements for one pair or for a whole team (and as many
again for each further slice of `storage.bounded.LIMIT` pairs, so no `IN` list grows with the
crew), and reads only what happened since each pair's last one-on-one (KPI values a quarter
back, to compare with), so its cost does not grow with the years of history behind it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from rituals.checkins.store import CommitmentRow, commitments_where
from rituals.kpis.direction import improved
from rituals.numbers.store import latest_per_period
from rituals.skills.sprint_store import SprintWin, sprint_wins
from rituals.stretch.store import FinishedStretch, finished_since
from storage.bounded import slices
from storage.models import (
    Commitment,
    CommitmentStatus,
    DipLadder,
    Direction,
    Experiment,
    Kpi,
    KpiStatus,
    KpiValue,
    Kudos,
    KudosRecipient,
    Member,
    Membership,
    OneOnOne,
    Role,
    TalkingPoint,
    Team,
)

# Aliases made once: one made per call adapts its columns afresh at every comparison, about
# half a millisecond of CPU a query; made once, SQLAlchemy keeps what it adapted.
_LEAD_SEAT, _SEAT = aliased(Membership), aliased(Membership)
_LEAD, _REPORT = aliased(Member), aliased(Member)

# KPI values this far before the last one-on-one are read too: the one each new value is
# compared with. Two quarters cover the slowest cadence.
LOOKBACK = timedelta(days=184)


@dataclass(frozen=True)
class Pair:
    """A lead and one of their reports, on one team."""

    team_id: int
    lead_id: int
    member_id: int


@dataclass(frozen=True)
class Change:
    """A KPI's latest value beside the one before it."""

    kpi_id: int
    kpi: str
    unit: str
    period: str
    value: Decimal
    previous: Decimal
    note: str | None
    whys: tuple[str, ...] = ()  # the "why did this dip?" ladder, once answered
    direction: Direction = Direction.HIGHER

    @property
    def gained(self) -> bool:
        """Up for most KPIs; down for one where lower is better."""
        return improved(self.previous, self.value, self.direction)


@dataclass(frozen=True)
class KudosRow:
    giver: str
    story: str
    kpi: str | None


@dataclass(frozen=True)
class ExperimentRow:
    kpi: str
    hypothesis: str
    result: str | None


@dataclass(frozen=True)
class PointRow:
    id: int
    author_id: int
    author: str
    text: str


def _ours(team_id: int | None, pair: Pair) -> bool:
    """A row belongs in a pair's script when it is of their team, or of no team: what a
    person does on another team is that team's to discuss."""
    return team_id is None or team_id == pair.team_id


@dataclass
class ScriptData:
    pair: Pair
    since: datetime
    last: OneOnOne | None = None
    gains: list[Change] = field(default_factory=list)
    dips: list[Change] = field(default_factory=list)
    kudos: list[KudosRow] = field(default_factory=list)
    kept: list[CommitmentRow] = field(default_factory=list)
    overdue: list[CommitmentRow] = field(default_factory=list)
    experiments: list[ExperimentRow] = field(default_factory=list)
    points: list[PointRow] = field(default_factory=list)
    stretches: list[FinishedStretch] = field(default_factory=list)
    sprints: list[SprintWin] = field(default_factory=list)


async def last_one_on_ones(
    session: AsyncSession, pairs: Collection[Pair]
) -> dict[tuple[int, int], OneOnOne]:
    """Each pair's latest one-on-one, keyed by (lead, member)."""
    found: dict[tuple[int, int], OneOnOne] = {}
    for keys in slices((p.lead_id, p.member_id) for p in pairs):
        latest = (
            select(OneOnOne.lead_id, OneOnOne.member_id, func.max(OneOnOne.held_at).label("at"))
            .where(tuple_(OneOnOne.lead_id, OneOnOne.member_id).in_(keys))
            .group_by(OneOnOne.lead_id, OneOnOne.member_id)
            .subquery()
        )
        query = select(OneOnOne).join(
            latest,
            and_(
                OneOnOne.lead_id == latest.c.lead_id,
                OneOnOne.member_id == latest.c.member_id,
                OneOnOne.held_at == latest.c.at,
            ),
        )
        for m in (await session.scalars(query)).all():
            found[(m.lead_id, m.member_id)] = m
    return found


async def load_scripts(
    session: AsyncSession, pairs: Mapping[Pair, datetime], now: datetime
) -> dict[Pair, ScriptData]:
    """Everything each pair's script says, since their last one-on-one; before their first,
    since the moment given with the pair (one cadence back)."""
    scripts: dict[Pair, ScriptData] = {}
    for part in slices(pairs):
        scripts.update(await _load_slice(session, {p: pairs[p] for p in part}, now))
    return scripts


async def _load_slice(
    session: AsyncSession, pairs: Mapping[Pair, datetime], now: datetime
) -> dict[Pair, ScriptData]:
    """`load_scripts` for a bounded number of pairs. Each slice gives the rows it reads only
    to its own pairs, so a member with pairs in two slices is read twice but never counted
    twice."""
    last = await last_one_on_ones(session, list(pairs))
    scripts: dict[Pair, ScriptData] = {}
    for pair, default_since in pairs.items():
        met = last.get((pair.lead_id, pair.member_id))
        scripts[pair] = ScriptData(pair, met.held_at if met else default_since, met)
    by_member: dict[int, list[ScriptData]] = defaultdict(list)
    for script in scripts.values():
        by_member[script.pair.member_id].append(script)
    members = set(by_member)
    earliest = min(s.since for s in scripts.values())
    await _changes(session, members, earliest, by_member)
    await _kudos(session, members, earliest, by_member)
    await _commitments(session, members, earliest, now.date(), by_member)
    await _experiments(session, members, earliest, by_member)
    await _points(session, scripts)
    for done in await finished_since(session, members, earliest):
        for script in by_member[done.member_id]:
            if done.finished_at >= script.since and done.team_id == script.pair.team_id:
                script.stretches.append(done)
    await _sprints(session, members, earliest, by_member)
    return scripts


async def _changes(
    session: AsyncSession,
    members: Collection[int],
    earliest: datetime,
    by_member: dict[int, list[ScriptData]],
) -> None:
    query = (
        select(Kpi, KpiValue)
        .join(KpiValue, KpiValue.kpi_id == Kpi.id)
        .where(
            Kpi.owner_id.in_(members),
            Kpi.status == KpiStatus.ACTIVE,
            KpiValue.period_start >= (earliest - LOOKBACK).date(),
        )
        .order_by(Kpi.id, KpiValue.period_start)
    )
    values: dict[int, list[KpiValue]] = defaultdict(list)
    kpis: dict[int, Kpi] = {}
    for kpi, value in (await session.execute(query)).all():
        kpis[kpi.id] = kpi
        values[kpi.id].append(value)
    changes: list[tuple[Kpi, Change, datetime]] = []
    for kpi_id, rows in values.items():
        found = _change(kpis[kpi_id], rows)
        if found is not None:
            changes.append((kpis[kpi_id], *found))
    ladders = await _ladders(session, [(c.kpi_id, c.period) for _, c, _ in changes])
    for kpi, change, logged_at in changes:
        for script in by_member[kpi.owner_id]:
            if not _ours(kpi.team_id, script.pair):
                continue
            if logged_at < script.since or change.value == change.previous:
                continue
            if change.gained:
                script.gains.append(change)
            else:
                whys = ladders.get((change.kpi_id, change.period), ())
                script.dips.append(replace(change, whys=whys))


def _change(kpi: Kpi, rows: Sequence[KpiValue]) -> tuple[Change, datetime] | None:
    """The KPI's latest value beside the one before, and when the latest was logged; None for
    a first value, which has nothing to rise or fall from."""
    series = latest_per_period(rows)
    if len(series) < 2:
        return None
    now, before = series[-1], series[-2]
    change = Change(
        kpi.id,
        kpi.name,
        kpi.unit,
        now.period,
        now.value,
        before.value,
        now.note,
        direction=kpi.direction,
    )
    return change, now.logged_at


async def kpi_change(session: AsyncSession, kpi: Kpi) -> Change | None:
    """One KPI's latest change, from its last few rows however long its history."""
    query = (
        select(KpiValue)
        .where(KpiValue.kpi_id == kpi.id)
        .order_by(KpiValue.period_start.desc(), KpiValue.logged_at.desc())
        .limit(50)
    )
    rows = (await session.scalars(query)).all()
    periods = list(dict.fromkeys(r.period for r in rows))[:2]
    found = _change(kpi, [r for r in rows if r.period in periods])
    return found[0] if found else None


async def cover_points(session: AsyncSession, meeting: OneOnOne) -> None:
    """Talking points raised before a meeting were its agenda: they leave the next script."""
    await session.execute(
        update(TalkingPoint)
        .where(
            TalkingPoint.workspace_id == meeting.workspace_id,
            TalkingPoint.lead_id == meeting.lead_id,
            TalkingPoint.member_id == meeting.member_id,
            TalkingPoint.one_on_one_id.is_(None),
        )
        .values(one_on_one_id=meeting.id)
    )


async def _ladders(
    session: AsyncSession, keys: Collection[tuple[int, str]]
) -> dict[tuple[int, str], tuple[str, ...]]:
    found: dict[tuple[int, str], tuple[str, ...]] = {}
    for part in slices(keys):
        query = (
            select(DipLadder)
            .where(
                DipLadder.kpi_id.in_({k for k, _ in part}),  # lets SQLite use the index
                tuple_(DipLadder.kpi_id, DipLadder.period).in_(part),
            )
            .order_by(DipLadder.created_at, DipLadder.id)
        )
        for d in (await session.scalars(query)).all():
            found[(d.kpi_id, d.period)] = tuple(d.whys)
    return found


async def _kudos(
    session: AsyncSession,
    members: Collection[int],
    earliest: datetime,
    by_member: dict[int, list[ScriptData]],
) -> None:
    query = (
        select(KudosRecipient.member_id, Kudos, Member.display_name, Kpi.name)
        .join(Kudos, Kudos.id == KudosRecipient.kudos_id)
        .join(Member, Member.id == Kudos.from_id)
        .outerjoin(Kpi, Kpi.id == Kudos.kpi_id)
        .where(KudosRecipient.member_id.in_(members), Kudos.created_at >= earliest)
        .order_by(Kudos.created_at, Kudos.id)
    )
    for member_id, kudos, giver, kpi in (await session.execute(query)).all():
        for script in by_member[member_id]:
            if kudos.created_at >= script.since and _ours(kudos.team_id, script.pair):
                script.kudos.append(KudosRow(giver, kudos.story, kpi))


async def _commitments(
    session: AsyncSession,
    members: Collection[int],
    earliest: datetime,
    today: date,
    by_member: dict[int, list[ScriptData]],
) -> None:
    """Commitments kept since the last one-on-one, and those overdue now, for each member:
    made for them, or theirs to do."""
    rows = await commitments_where(
        session,
        or_(Commitment.for_id.in_(members), Commitment.owner_id.in_(members)),
        or_(
            and_(Commitment.status == CommitmentStatus.DONE, Commitment.closed_at >= earliest),
            and_(Commitment.status == CommitmentStatus.OPEN, Commitment.due < today),
        ),
    )
    for row in rows:
        concerned = {row.for_.member_id, row.owner.member_id} & set(members)
        for member_id in concerned:
            for script in by_member[member_id]:
                if not _ours(row.team_id, script.pair):
                    continue
                if row.status is CommitmentStatus.OPEN:
                    script.overdue.append(row)
                elif row.closed_at is not None and row.closed_at >= script.since:
                    script.kept.append(row)


async def _experiments(
    session: AsyncSession,
    members: Collection[int],
    earliest: datetime,
    by_member: dict[int, list[ScriptData]],
) -> None:
    query = (
        select(Experiment, Kpi.name, Kpi.team_id)
        .join(Kpi, Kpi.id == Experiment.kpi_id)
        .where(Experiment.owner_id.in_(members), Experiment.finished_at >= earliest)
        .order_by(Experiment.finished_at, Experiment.id)
    )
    for experiment, kpi, team_id in (await session.execute(query)).all():
        assert experiment.finished_at is not None
        for script in by_member[experiment.owner_id]:
            if experiment.finished_at >= script.since and _ours(team_id, script.pair):
                script.experiments.append(
                    ExperimentRow(kpi, experiment.hypothesis, experiment.result)
                )


async def _points(session: AsyncSession, scripts: dict[Pair, ScriptData]) -> None:
    keys = [(p.lead_id, p.member_id) for p in scripts]
    query = (
        select(TalkingPoint, Member.display_name)
        .join(Member, Member.id == TalkingPoint.author_id)
        .where(
            tuple_(TalkingPoint.lead_id, TalkingPoint.member_id).in_(keys),
            TalkingPoint.one_on_one_id.is_(None),
        )
        .order_by(TalkingPoint.id)
    )
    by_pair = {(p.lead_id, p.member_id): s for p, s in scripts.items()}
    for point, author in (await session.execute(query)).all():
        script = by_pair[(point.lead_id, point.member_id)]
        if point.team_id != script.pair.team_id:
            continue
        script.points.append(PointRow(point.id, point.author_id, author, point.text))


async def _sprints(
    session: AsyncSession,
    members: Collection[int],
    earliest: datetime,
    by_member: dict[int, list[ScriptData]],
) -> None:
    for win in await sprint_wins(session, members, earliest):
        for script in by_member[win.member_id]:
            if win.finished_at >= script.since and _ours(win.team_id, script.pair):
                script.sprints.append(win)


@dataclass(frozen=True)
class PairRow:
    """A pair as a person sees it: the team, the lead and the report."""

    pair: Pair
    team: str
    team_settings: dict[str, object]
    lead: Member
    member: Member


async def pairs_of(session: AsyncSession, workspace_id: int, member_id: int) -> list[PairRow]:
    """Every pair the member is half of: with the lead of each team they are on, and with each
    report on the teams they lead. One query."""
    lead_seat, seat, lead, report = _LEAD_SEAT, _SEAT, _LEAD, _REPORT
    query = (
        select(Team, lead, report)
        .join(lead_seat, and_(lead_seat.team_id == Team.id, lead_seat.role == Role.LEAD))
        .join(seat, and_(seat.team_id == Team.id, seat.member_id != lead_seat.member_id))
        .join(lead, lead.id == lead_seat.member_id)
        .join(report, report.id == seat.member_id)
        .where(
            Team.workspace_id == workspace_id,
            or_(lead_seat.member_id == member_id, seat.member_id == member_id),
            report.is_active,
        )
        .order_by(Team.name, report.display_name)
    )
    return [
        PairRow(Pair(t.id, boss.id, r.id), t.name, dict(t.settings), boss, r)
        for t, boss, r in (await session.execute(query)).all()
    ]
