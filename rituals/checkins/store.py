"""Queries for the weekly check-in: obstacles, the commitments that answer them, missteps.

Each loader takes many teams or people at once, so the scheduler builds every due digest and
check-in with the same few statements it needs for one. None of them commit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, delete, exists, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from rituals.core.schedule import week_monday
from storage.bounded import among, slices
from storage.models import (
    Commitment,
    CommitmentStatus,
    Kpi,
    Member,
    Misstep,
    MisstepFeedback,
    Obstacle,
)

# Aliases made once: one made per call adapts its columns afresh at every comparison, about
# half a millisecond of CPU a query; made once, SQLAlchemy keeps what it adapted.
_FOR, _OWNER, _MAKER = aliased(Member), aliased(Member), aliased(Member)

# An obstacle nobody answered stays in the digest this many weeks, then it has been seen enough.
UNANSWERED_WEEKS = 4


@dataclass(frozen=True)
class Who:
    member_id: int
    platform_user_id: str
    display_name: str
    # What the digest needs to tell "did not answer" from "could not": when they joined the
    # team, and whether they are on leave or skipping.
    joined_at: datetime | None = None
    away_until: date | None = None
    skip_week: str | None = None

    def excused(self, week: str) -> str | None:
        """Why this person was not asked this week, if they were not: None when they were."""
        monday = week_monday(week)
        if self.joined_at is not None and self.joined_at.date() > monday:
            return "joined"
        if self.skip_week == week or (self.away_until is not None and self.away_until > monday):
            return "away"
        return None


@dataclass(frozen=True)
class CommitmentRow:
    id: int
    team_id: int
    obstacle_id: int | None
    for_: Who
    owner: Who
    made_by: Who
    action: str
    due: date
    status: CommitmentStatus
    reason: str | None
    closed_at: datetime | None


@dataclass(frozen=True)
class ObstacleRow:
    id: int
    team_id: int
    author: Who
    week: str
    text: str | None  # None: nothing in the way
    kpi: str | None


def _who(member: Member) -> Who:
    return Who(member.id, member.platform_user_id, member.display_name)


async def commitments_where(session: AsyncSession, *conditions: object) -> list[CommitmentRow]:
    """Commitments matching the conditions, with their three people, in one query."""
    for_, owner, maker = _FOR, _OWNER, _MAKER
    query = (
        select(Commitment, for_, owner, maker)
        .join(for_, for_.id == Commitment.for_id)
        .join(owner, owner.id == Commitment.owner_id)
        .join(maker, maker.id == Commitment.made_by_id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(Commitment.due, Commitment.id)
    )
    return [
        CommitmentRow(
            c.id,
            c.team_id,
            c.obstacle_id,
            _who(f),
            _who(o),
            _who(m),
            c.action,
            c.due,
            c.status,
            c.reason,
            c.closed_at,
        )
        for c, f, o, m in (await session.execute(query)).all()
    ]


async def obstacles_of_weeks(
    session: AsyncSession, weeks: Collection[tuple[int, str]], earliest: str
) -> list[ObstacleRow]:
    """Each (team, week)'s answers, and the team's obstacles since `earliest` that no
    commitment answers yet: what a digest must show."""
    if not weeks:
        return []
    team_ids = {team for team, _ in weeks}
    answered = exists().where(Commitment.obstacle_id == Obstacle.id)
    query = (
        select(Obstacle, Member, Kpi.name)
        .join(Member, Member.id == Obstacle.member_id)
        .outerjoin(Kpi, Kpi.id == Obstacle.kpi_id)
        .where(
            or_(
                tuple_(Obstacle.team_id, Obstacle.week).in_(list(weeks)),
                and_(
                    Obstacle.team_id.in_(team_ids),
                    Obstacle.week >= earliest,
                    Obstacle.text.is_not(None),
                    ~answered,
                ),
            )
        )
        .order_by(Obstacle.week, Obstacle.id)
    )
    return [
        ObstacleRow(o.id, o.team_id, _who(m), o.week, o.text, kpi)
        for o, m, kpi in (await session.execute(query)).all()
    ]


async def digest_commitments(
    session: AsyncSession, team_ids: Collection[int], obstacle_ids: Collection[int], today: date
) -> list[CommitmentRow]:
    """Commitments answering these obstacles, and every overdue one of these teams."""
    if not team_ids:
        return []
    return await commitments_where(
        session,
        Commitment.team_id.in_(team_ids),
        or_(
            Commitment.obstacle_id.in_(obstacle_ids),
            and_(Commitment.status == CommitmentStatus.OPEN, Commitment.due < today),
        ),
    )


async def commitments_of_people(
    session: AsyncSession, member_ids: Collection[int], made_since: datetime, today: date
) -> list[CommitmentRow]:
    """Commitments that concern these people (made for them, or theirs to do): those made
    since `made_since`, and those still open past their due day."""
    found: dict[int, CommitmentRow] = {}
    for people in slices(member_ids):
        rows = await commitments_where(
            session,
            or_(
                among(session, Commitment.for_id, people),
                among(session, Commitment.owner_id, people),
            ),
            or_(
                Commitment.created_at >= made_since,
                and_(Commitment.status == CommitmentStatus.OPEN, Commitment.due < today),
            ),
        )
        # One made by a person of one slice for a person of another comes back twice.
        found.update((row.id, row) for row in rows)
    return sorted(found.values(), key=lambda row: (row.due, row.id))


async def answer_of_week(
    session: AsyncSession, workspace_id: int, team_id: int, member_id: int, week: str
) -> Sequence[Obstacle]:
    query = select(Obstacle).where(
        Obstacle.workspace_id == workspace_id,
        Obstacle.team_id == team_id,
        Obstacle.member_id == member_id,
        Obstacle.week == week,
    )
    return (await session.scalars(query.order_by(Obstacle.id))).all()


async def clear_nothing(
    session: AsyncSession, workspace_id: int, team_id: int, member_id: int, week: str
) -> None:
    """Someone who said nothing was in their way now has something: take the "nothing" back."""
    await session.execute(
        delete(Obstacle).where(
            Obstacle.workspace_id == workspace_id,
            Obstacle.team_id == team_id,
            Obstacle.member_id == member_id,
            Obstacle.week == week,
            Obstacle.text.is_(None),
        )
    )


async def obstacle_by_id(
    session: AsyncSession, workspace_id: int, obstacle_id: int
) -> Obstacle | None:
    return await session.scalar(
        select(Obstacle).where(Obstacle.workspace_id == workspace_id, Obstacle.id == obstacle_id)
    )


async def commitment_by_id(
    session: AsyncSession, workspace_id: int, commitment_id: int
) -> Commitment | None:
    return await session.scalar(
        select(Commitment).where(
            Commitment.workspace_id == workspace_id, Commitment.id == commitment_id
        )
    )


async def due_commitments(session: AsyncSession, days: Collection[date]) -> list[CommitmentRow]:
    """Open commitments due on any of these days (every workspace): the due-day reminders."""
    if not days:
        return []
    return await commitments_where(
        session, Commitment.status == CommitmentStatus.OPEN, Commitment.due.in_(days)
    )


async def missteps_with_feedback(
    session: AsyncSession, workspace_id: int, team_id: int, lead_id: int
) -> list[tuple[Misstep, list[tuple[str | None, str]]]]:
    """A lead's missteps with one team, newest first, each with its feedback as (the author's
    name when they signed it, the words)."""
    rows = await session.execute(
        select(Misstep, MisstepFeedback, Member.display_name)
        .outerjoin(MisstepFeedback, MisstepFeedback.misstep_id == Misstep.id)
        .outerjoin(Member, Member.id == MisstepFeedback.author_id)
        .where(
            Misstep.workspace_id == workspace_id,
            Misstep.team_id == team_id,
            Misstep.lead_id == lead_id,
        )
        .order_by(Misstep.id.desc(), MisstepFeedback.id)
    )
    found: dict[int, tuple[Misstep, list[tuple[str | None, str]]]] = {}
    for misstep, answer, author in rows.all():
        _, answers = found.setdefault(misstep.id, (misstep, []))
        if answer is not None:
            answers.append((author, answer.text))
    return list(found.values())


async def obstacles_awaiting_commitment(
    session: AsyncSession, workspace_id: int, team_ids: Collection[int]
) -> list[tuple[Obstacle, Member]]:
    """Obstacles raised on these teams (a lead's few) that no commitment answers yet, oldest
    first, with who raised them: what a lead's home shows as waiting on them."""
    answered = exists().where(Commitment.obstacle_id == Obstacle.id)
    rows = await session.execute(
        select(Obstacle, Member)
        .join(Member, Member.id == Obstacle.member_id)
        .where(
            Obstacle.workspace_id == workspace_id,
            Obstacle.team_id.in_(team_ids),
            Obstacle.text.is_not(None),
            ~answered,
        )
        .order_by(Obstacle.id)
        .limit(20)
    )
    return [(obstacle, member) for obstacle, member in rows.all()]
