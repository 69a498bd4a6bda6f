"""The heat-map's cost does not grow with the team or its history: the same statements for a
team of 5 with two months of ratings and a team of 50 with two years of them (ratings are only
added, one a month per person and skill, so two years is 24 rows for each pair)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import PIL.Image
import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from rituals.core.messages import Image, Message
from storage.models import Member, Skill, SkillRating, SkillShare, Team
from tests.conftest import NOW
from tests.rituals.skills.support import SKILLS_ON, skills_on
from tests.scheduling import Someone, seed_team
from tests.support import Chat

SKILLS = ("SQL", "Negotiation", "Discovery calls", "Forecasting", "Code review", "Testing")


class Counted:
    """Statements sent on the test's connection while counting is on."""

    def __init__(self) -> None:
        self.on = False
        self.count = 0

    def seen(self, *_: object) -> None:
        if self.on:
            self.count += 1


@pytest.fixture
def counted(connection: AsyncConnection) -> Iterator[Counted]:
    counter = Counted()
    event.listen(connection.sync_engine, "before_cursor_execute", counter.seen)
    yield counter
    event.remove(connection.sync_engine, "before_cursor_execute", counter.seen)


async def _history(
    sessions: async_sessionmaker[AsyncSession], prefix: str, people: int, months: int
) -> None:
    """`people` more on Growth, each rating every skill once a month for `months`, a third of
    them showing their row."""
    async with sessions() as session, session.begin():
        await seed_team(session, [Someone(f"{prefix}{n:02d}") for n in range(people)])
        team = await session.scalar(select(Team).where(Team.name == "Growth"))
        assert team is not None
        skills = (await session.scalars(select(Skill).where(Skill.team_id == team.id))).all()
        ids = (
            await session.scalars(
                select(Member.id).where(Member.platform_user_id.like(f"{prefix}%"))
            )
        ).all()
        rows = [
            {
                "workspace_id": team.workspace_id,
                "team_id": team.id,
                "skill_id": skill.id,
                "member_id": member_id,
                "level": 1 + (month + member_id + skill.id) % 4,
                "rated_at": NOW - timedelta(days=30 * (months - month)),
            }
            for month in range(months)
            for member_id in ids
            for skill in skills
        ]
        await session.execute(insert(SkillRating), rows)
        shares = [
            {
                "workspace_id": team.workspace_id,
                "team_id": team.id,
                "member_id": m,
                "shared_at": NOW,
            }
            for m in ids[::3]
        ]
        await session.execute(insert(SkillShare), shares)


async def _cost(chat: Chat, counted: Counted) -> tuple[int, Image]:
    counted.count, counted.on = 0, True
    replies = await chat.say("ana", "skills")
    counted.on = False
    (reply,) = [r for r in replies if isinstance(r, Message)]
    (image,) = [b for b in reply.blocks if isinstance(b, Image)]
    return counted.count, image


async def test_the_same_statements_for_5_people_and_2_months_as_for_50_and_2_years(
    chat: Chat, sessions: async_sessionmaker[AsyncSession], counted: Counted
) -> None:
    await skills_on(chat, *SKILLS)
    await chat.say("ana", "rate SQL as 4")
    await _history(sessions, "a", 2, 2)
    await chat.say("lea", SKILLS_ON)  # seeding the team wrote its settings afresh
    small, picture = await _cost(chat, counted)
    assert len(picture.sketch.splitlines()) < 20

    await _history(sessions, "b", 47, 24)  # a team of 50, two years of monthly ratings
    await chat.say("lea", SKILLS_ON)
    large, picture = await _cost(chat, counted)
    assert large == small
    assert small <= 20  # the dispatcher's own (who asks, savepoints), the gate's, four for the map
    with PIL.Image.open(io.BytesIO(picture.data)) as png:
        assert png.format == "PNG"
        width, height = png.size
    assert width == 800
    assert height > 1000  # a row per person shown: 50 is a tall picture, never a cramped one
    assert len(picture.data) < 60 * 1024  # still small enough to sit inside a Teams card
