"""The skills ritual's queries: a team's list, each person's latest rating of themselves, who
shows their row, and the heat-map's data in a fixed handful of statements however long the
history of ratings behind it.

Ratings are only ever added; the latest row per person and skill is the rating. A team with
two years of monthly updates holds tens of thousands of rows, and the heat-map still reads them
in one statement, taking the newest id per person and skill inside the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, Membership, Skill, SkillRating, SkillShare, Team

# The four levels a person rates themselves at, from 1.
LEVELS = ("learning", "practising", "solid", "can teach")
TEACH = len(LEVELS)


def level_word(level: int) -> str:
    return LEVELS[level - 1]


def name_key(name: str) -> str:
    """How a skill's name is compared: "sql" and "SQL " are one skill."""
    return " ".join(name.casefold().split())


async def team_skills(session: AsyncSession, team_id: int) -> list[Skill]:
    """The team's skills in the order they were added: the heat-map's columns."""
    query = select(Skill).where(Skill.team_id == team_id).order_by(Skill.id)
    return list((await session.scalars(query)).all())


def find_skill(skills: Sequence[Skill], typed: str) -> Skill | None:
    """The skill a person named, by its name (any case) or its number on the list."""
    key = name_key(typed.removeprefix("#"))
    if key.isdigit() and 1 <= int(key) <= len(skills):
        return skills[int(key) - 1]
    return next((s for s in skills if s.name_key == key), None)


async def add_skill(
    session: AsyncSession, team: Team, name: str, proposer_id: int, now: datetime
) -> Skill:
    skill = Skill(
        workspace_id=team.workspace_id,
        team_id=team.id,
        name=name,
        name_key=name_key(name),
        proposed_by_id=proposer_id,
        created_at=now,
    )
    session.add(skill)
    await session.flush()
    return skill


async def rate(
    session: AsyncSession, skill: Skill, member_id: int, level: int, now: datetime
) -> None:
    """A new rating of oneself; the ones before stay as the road travelled."""
    session.add(
        SkillRating(
            workspace_id=skill.workspace_id,
            team_id=skill.team_id,
            skill_id=skill.id,
            member_id=member_id,
            level=level,
            rated_at=now,
        )
    )
    await session.flush()


async def latest_levels(
    session: AsyncSession, team_id: int, member_id: int | None = None
) -> dict[tuple[int, int], int]:
    """(member, skill) -> the latest level, for the team's current people (or one of them)."""
    newest = select(func.max(SkillRating.id)).where(SkillRating.team_id == team_id)
    if member_id is not None:
        newest = newest.where(SkillRating.member_id == member_id)
    newest = newest.group_by(SkillRating.member_id, SkillRating.skill_id)
    query = (
        select(SkillRating.member_id, SkillRating.skill_id, SkillRating.level)
        .join(
            Membership,
            (Membership.team_id == SkillRating.team_id)
            & (Membership.member_id == SkillRating.member_id),
        )
        .where(SkillRating.id.in_(newest))
    )
    return {(m, s): level for m, s, level in (await session.execute(query)).all()}


async def sharing(session: AsyncSession, team_id: int) -> set[int]:
    """Who on the team shows their whole row."""
    query = select(SkillShare.member_id).where(SkillShare.team_id == team_id)
    return set((await session.scalars(query)).all())


async def set_sharing(
    session: AsyncSession, team: Team, member_id: int, on: bool, now: datetime
) -> bool:
    """Show or hide the person's row; whether anything changed."""
    shown = member_id in await sharing(session, team.id)
    if on == shown:
        return False
    if on:
        session.add(
            SkillShare(
                workspace_id=team.workspace_id, team_id=team.id, member_id=member_id, shared_at=now
            )
        )
    else:
        await session.execute(
            delete(SkillShare).where(
                SkillShare.team_id == team.id, SkillShare.member_id == member_id
            )
        )
    await session.flush()
    return True


@dataclass(frozen=True)
class MapData:
    """What the heat-map shows, already cut to what the team may see."""

    skills: list[str]
    # Everyone with a row: name, and their level per skill column (None: not rated or not shown).
    rows: list[tuple[str, list[int | None]]]
    # Per skill column, who can teach it.
    teachers: list[list[str]]
    shown: int  # how many people show their whole row
    people: int  # how many are on the team
    # The viewer's own levels per column, for their eyes only, and whether they show them.
    own: list[int | None]
    own_shown: bool


async def heat_map(session: AsyncSession, team: Team, viewer_id: int) -> MapData:
    """The team's heat-map in four statements: skills, people, latest ratings, who shares.

    Each person's whole row only when they chose to show it; for the rest, only the skills
    they can teach, which is what the team needs to find a mentor. Rows go by name, never by
    how many skills anyone is good at: the map is for growth, not for judgement.
    """
    skills = await team_skills(session, team.id)
    people = (
        await session.execute(
            select(Member.id, Member.display_name)
            .join(Membership, Membership.member_id == Member.id)
            .where(Membership.team_id == team.id, Member.is_active)
            .order_by(func.lower(Member.display_name), Member.id)
        )
    ).all()
    levels = await latest_levels(session, team.id)
    shown = await sharing(session, team.id)
    rows: list[tuple[str, list[int | None]]] = []
    teachers: list[list[str]] = [[] for _ in skills]
    for member_id, name in people:
        mine = [levels.get((member_id, s.id)) for s in skills]
        for column, level in enumerate(mine):
            if level == TEACH:
                teachers[column].append(name)
        if member_id in shown:
            rows.append((name, mine))
        elif TEACH in mine:
            rows.append((name, [TEACH if level == TEACH else None for level in mine]))
    return MapData(
        [s.name for s in skills],
        rows,
        teachers,
        len(shown & {m for m, _ in people}),
        len(people),
        [levels.get((viewer_id, s.id)) for s in skills],
        viewer_id in shown,
    )
