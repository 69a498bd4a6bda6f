"""Micro-mentorship's queries: gaps named, who the bot would pair with one, the sprints running
and finished, and what falls due on a day (the check-in halfway, the look-back at the end).

A sprint runs two weeks from its claim. Someone mentors one sprint at a time: a sprint counts
as running until its last day, whether or not its look-back has come in yet.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    Member,
    Membership,
    MentorDecline,
    Mentorship,
    Role,
    Skill,
    SkillRating,
    SprintStatus,
)

# Aliases made once: one made per call adapts its columns afresh at every comparison, about
# half a millisecond of CPU a query; made once, SQLAlchemy keeps what it adapted.
_LEAD_SEAT, _SEAT, _OTHER = aliased(Membership), aliased(Membership), aliased(Mentorship)
_MENTOR, _LEARNER = aliased(Member), aliased(Member)

SPRINT_DAYS = 14
HALFWAY_DAYS = 7


async def mentoring_now(
    session: AsyncSession, workspace_id: int, member_id: int, today: date
) -> SprintRow | None:
    """The sprint the person is mentoring now, if any: one at a time."""
    found = await sprint_rows(
        session,
        Mentorship.workspace_id == workspace_id,
        Mentorship.mentor_id == member_id,
        Mentorship.status == SprintStatus.ACTIVE,
        Mentorship.ends_on >= today,
    )
    return found[0] if found else None


async def lead_pairs(session: AsyncSession, member_id: int) -> set[int]:
    """Who is this person's lead or report on any team: never their mentor or learner, so a
    sprint stays a peer's help and not a review. One statement."""
    lead_seat, seat = _LEAD_SEAT, _SEAT
    query = (
        select(lead_seat.member_id, seat.member_id)
        .join(seat, seat.team_id == lead_seat.team_id)
        .where(
            lead_seat.role == Role.LEAD,
            lead_seat.member_id != seat.member_id,
            or_(lead_seat.member_id == member_id, seat.member_id == member_id),
        )
    )
    return {b if a == member_id else a for a, b in (await session.execute(query)).all()}


async def candidates(session: AsyncSession, gap: Mentorship, today: date) -> list[Member]:
    """Who the bot may ask to mentor a gap, first the one to ask: on the gap's team, rating
    themselves "can teach" on its skill now, not the learner, not one half of a lead-report
    pair with them, not mentoring (or asked to mentor) anyone else right now, and not someone
    who said no to this gap. Those who mentored least go first, so the asking is shared out;
    nobody is compared with anyone in what people see. One statement."""
    newest = (
        select(func.max(SkillRating.id))
        .where(SkillRating.skill_id == gap.skill_id)
        .group_by(SkillRating.member_id)
    )
    teachers = select(SkillRating.member_id).where(
        SkillRating.id.in_(newest), SkillRating.level == 4
    )
    lead_seat, seat = _LEAD_SEAT, _SEAT
    paired = exists().where(
        lead_seat.role == Role.LEAD,
        seat.team_id == lead_seat.team_id,
        or_(
            and_(lead_seat.member_id == Member.id, seat.member_id == gap.learner_id),
            and_(lead_seat.member_id == gap.learner_id, seat.member_id == Member.id),
        ),
    )
    other = _OTHER
    busy = exists().where(
        other.workspace_id == gap.workspace_id,
        or_(
            and_(
                other.mentor_id == Member.id,
                other.status == SprintStatus.ACTIVE,
                other.ends_on >= today,
            ),
            and_(
                other.suggested_id == Member.id,
                other.status == SprintStatus.OPEN,
                other.id != gap.id,
            ),
        ),
    )
    declined = exists().where(
        MentorDecline.mentorship_id == gap.id, MentorDecline.mentor_id == Member.id
    )
    mentored = (
        select(func.count(other.id))
        .where(other.mentor_id == Member.id, other.workspace_id == gap.workspace_id)
        .correlate(Member)
        .scalar_subquery()
    )
    query = (
        select(Member)
        .join(
            Membership, and_(Membership.member_id == Member.id, Membership.team_id == gap.team_id)
        )
        .where(
            Member.workspace_id == gap.workspace_id,
            Member.is_active,
            Member.id != gap.learner_id,
            Member.id.in_(teachers),
            ~paired,
            ~busy,
            ~declined,
        )
        .order_by(mentored, Member.id)
    )
    return list((await session.scalars(query)).all())


async def mentored_now(session: AsyncSession, skill_id: int) -> bool:
    """Whether a gap on the skill waits for a mentor, or a sprint on it is not looked back on."""
    found = await session.scalar(
        select(Mentorship.id)
        .where(Mentorship.skill_id == skill_id, Mentorship.status != SprintStatus.DONE)
        .limit(1)
    )
    return found is not None


def start(gap: Mentorship, mentor_id: int, today: date) -> None:
    """The claim: the pair's two weeks start today."""
    gap.status = SprintStatus.ACTIVE
    gap.mentor_id, gap.suggested_id = mentor_id, None
    gap.started_on = today
    gap.halfway_on = today + timedelta(days=HALFWAY_DAYS)
    gap.ends_on = today + timedelta(days=SPRINT_DAYS)


@dataclass(frozen=True)
class SprintRow:
    """A gap or sprint with the names it is told with."""

    sprint: Mentorship
    skill: str
    learner: Member
    mentor: Member | None


async def sprint_rows(session: AsyncSession, *where: ColumnElement[bool]) -> list[SprintRow]:
    """Gaps and sprints with their skill's and people's names, in one statement."""
    mentor, learner = _MENTOR, _LEARNER
    query = (
        select(Mentorship, Skill.name, learner, mentor)
        .join(Skill, Skill.id == Mentorship.skill_id)
        .join(learner, learner.id == Mentorship.learner_id)
        .outerjoin(mentor, mentor.id == Mentorship.mentor_id)
        .where(*where)
        .order_by(Mentorship.id)
    )
    return [SprintRow(m, s, lr, mr) for m, s, lr, mr in (await session.execute(query)).all()]


async def sprints_of(
    session: AsyncSession, workspace_id: int, member_id: int, team_ids: Collection[int]
) -> tuple[list[SprintRow], list[SprintRow]]:
    """The person's own gaps and sprints (as learner or mentor), and the open gaps of their
    teams that others named. Never a no: a decline is in a table of its own, read by nothing
    that shows anything."""
    mine = await sprint_rows(
        session,
        Mentorship.workspace_id == workspace_id,
        or_(Mentorship.learner_id == member_id, Mentorship.mentor_id == member_id),
    )
    open_gaps = await sprint_rows(
        session,
        Mentorship.workspace_id == workspace_id,
        Mentorship.team_id.in_(team_ids),
        Mentorship.status == SprintStatus.OPEN,
        Mentorship.learner_id != member_id,
    )
    return mine, open_gaps


async def due_on(session: AsyncSession, days: set[date]) -> list[SprintRow]:
    """Sprints whose halfway or last day is one of these days, every workspace at once."""
    return await sprint_rows(
        session,
        Mentorship.status.in_((SprintStatus.ACTIVE, SprintStatus.DONE)),
        or_(Mentorship.halfway_on.in_(days), Mentorship.ends_on.in_(days)),
    )


@dataclass(frozen=True)
class SprintWin:
    """A mentorship sprint looked back on, as one of its pair reads it in a one-on-one."""

    member_id: int  # whose script it opens
    team_id: int
    finished_at: datetime
    skill: str
    partner: str
    learned: bool  # the member was the learner (else the mentor)
    lookback: str


async def sprint_wins(
    session: AsyncSession, members: Collection[int], earliest: datetime
) -> list[SprintWin]:
    """Sprints looked back on since `earliest`, once for each of these people in them: the
    learner's look-back is a win for the learner and for the mentor alike. One statement."""
    rows = await sprint_rows(
        session,
        Mentorship.status == SprintStatus.DONE,
        Mentorship.finished_at >= earliest,
        or_(Mentorship.learner_id.in_(members), Mentorship.mentor_id.in_(members)),
    )
    wins = []
    for row in rows:
        sprint = row.sprint
        assert sprint.finished_at is not None
        assert sprint.learner_lookback is not None
        pair = {sprint.learner_id} | ({sprint.mentor_id} if sprint.mentor_id else set())
        for member_id in sorted(pair & set(members)):
            learned = member_id == sprint.learner_id
            partner = row.mentor if learned else row.learner
            name = partner.display_name if partner else "a mentor who has left"
            wins.append(
                SprintWin(
                    member_id,
                    sprint.team_id,
                    sprint.finished_at,
                    row.skill,
                    name,
                    learned,
                    sprint.learner_lookback,
                )
            )
    return wins
