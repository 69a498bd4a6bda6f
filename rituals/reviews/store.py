"""Quarterly reviews as the review command, the prompt and the team's summary read them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.bounded import slices
from storage.models import Kpi, KpiChange, KpiReview, KpiStatus, Member, Membership


async def saved_review(
    session: AsyncSession, kpi_id: int, quarter: str, member_id: int
) -> KpiReview | None:
    """This person's review of this KPI this quarter, to be replaced by a new answer."""
    return await session.scalar(
        select(KpiReview).where(
            KpiReview.kpi_id == kpi_id,
            KpiReview.quarter == quarter,
            KpiReview.member_id == member_id,
        )
    )


async def waiting_changes(session: AsyncSession, kpi_id: int) -> Sequence[KpiChange]:
    """The changes proposed to a KPI that wait for its owner's answer, oldest first."""
    query = (
        select(KpiChange)
        .where(KpiChange.kpi_id == kpi_id, KpiChange.waiting.is_(True))
        .order_by(KpiChange.id)
    )
    return (await session.scalars(query)).all()


async def active_kpis_owned_by(
    session: AsyncSession, owner_ids: Collection[int]
) -> list[tuple[Kpi, str]]:
    """Active KPIs of these people with the owner's name, for the review prompts of a tick
    (a member id names one person in one workspace, so this reads no other workspace's)."""
    if not owner_ids:
        return []
    rows = await session.execute(
        select(Kpi, Member.display_name)
        .join(Member, Member.id == Kpi.owner_id)
        .where(Kpi.owner_id.in_(owner_ids), Kpi.status == KpiStatus.ACTIVE)
        .order_by(Kpi.owner_id, Kpi.id)
    )
    return [(k, name) for k, name in rows.all()]


async def quarter_of_team(
    session: AsyncSession, workspace_id: int, team_id: int, quarter: str, since: datetime
) -> tuple[list[tuple[Kpi, str]], dict[int, list[KpiReview]], dict[int, list[KpiChange]]]:
    """The team's KPIs the quarter's review was about (active now, or reviewed this quarter),
    each with its owner's name; each one's reviews, oldest first; and the changes made since."""
    people = select(Membership.member_id).where(
        Membership.workspace_id == workspace_id, Membership.team_id == team_id
    )
    reviewed = select(KpiReview.kpi_id).where(
        KpiReview.workspace_id == workspace_id, KpiReview.quarter == quarter
    )
    rows = await session.execute(
        select(Kpi, Member.display_name)
        .join(Member, Member.id == Kpi.owner_id)
        .where(
            Kpi.workspace_id == workspace_id,
            Kpi.owner_id.in_(people),
            (Kpi.status == KpiStatus.ACTIVE) | Kpi.id.in_(reviewed),
        )
        .order_by(Kpi.owner_id, Kpi.id)
    )
    kpis = [(k, name) for k, name in rows.all()]
    ids = [k.id for k, _ in kpis]
    reviews: dict[int, list[KpiReview]] = defaultdict(list)
    changes: dict[int, list[KpiChange]] = defaultdict(list)
    if ids:
        for review in (
            await session.scalars(
                select(KpiReview)
                .where(KpiReview.kpi_id.in_(ids), KpiReview.quarter == quarter)
                .order_by(KpiReview.reviewed_at, KpiReview.id)
            )
        ).all():
            reviews[review.kpi_id].append(review)
        for change in (
            await session.scalars(
                select(KpiChange)
                .where(
                    KpiChange.kpi_id.in_(ids),
                    KpiChange.changed_at >= since,
                    KpiChange.waiting.is_(False),
                )
                .order_by(KpiChange.id)
            )
        ).all():
            changes[change.kpi_id].append(change)
    return kpis, dict(reviews), dict(changes)


async def teams_reviewing(
    session: AsyncSession, team_ids: Collection[int], since: datetime
) -> set[int]:
    """Which of these teams have a KPI the quarter's review was about: active now, or retired
    since it began. One query, so a tick skips the rest without loading them."""
    found: set[int] = set()
    for teams in slices(team_ids):
        query = (
            select(Membership.team_id)
            .join(Kpi, Kpi.owner_id == Membership.member_id)
            .where(
                Membership.team_id.in_(teams),
                (Kpi.status == KpiStatus.ACTIVE) | (Kpi.retired_at >= since),
            )
            .distinct()
        )
        found.update((await session.scalars(query)).all())
    return found


async def awaiting_review(
    session: AsyncSession,
    workspace_id: int,
    reviewer_id: int,
    led_team_ids: Collection[int],
    quarter: str,
) -> list[tuple[Kpi, str]]:
    """Active KPIs of the reviewer and of the people on the teams they lead (a lead's few)
    with no answer from the reviewer this quarter yet, theirs first, with each owner's name:
    what a home shows as a review due. One query."""
    answered = exists().where(
        KpiReview.kpi_id == Kpi.id,
        KpiReview.quarter == quarter,
        KpiReview.member_id == reviewer_id,
    )
    their_people = select(Membership.member_id).where(
        Membership.workspace_id == workspace_id, Membership.team_id.in_(led_team_ids)
    )
    rows = await session.execute(
        select(Kpi, Member.display_name)
        .join(Member, Member.id == Kpi.owner_id)
        .where(
            Kpi.workspace_id == workspace_id,
            (Kpi.owner_id == reviewer_id) | Kpi.owner_id.in_(their_people),
            Kpi.status == KpiStatus.ACTIVE,
            ~answered,
        )
        .order_by(Kpi.owner_id != reviewer_id, Kpi.owner_id, Kpi.id)
        .limit(20)
    )
    return [(kpi, name) for kpi, name in rows.all()]
