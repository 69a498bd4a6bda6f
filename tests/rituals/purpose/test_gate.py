"""The purpose workshop reaches its team through the one gate: only the team's lead (or an
admin) starts it, only its people answer or read it, and a refusal says who can instead."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Purpose, PurposeAnswer, Role
from tests.rituals.switching import join
from tests.support import Chat

PURPOSE = '"we help small shops sell online"'


async def _stored(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    async with sessions() as session:
        purposes = await session.scalar(select(func.count()).select_from(Purpose))
        answers = await session.scalar(select(func.count()).select_from(PurposeAnswer))
        return purposes or 0, answers or 0


async def test_a_lead_on_two_teams_starts_only_the_workshop_of_the_team_they_lead(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Ana leads Platform and is a member of Growth."""
    await join(sessions, "Platform", "ana", Role.LEAD)
    await join(sessions, "Platform", "cid")
    said = await chat.text("ana", f"purpose start {PURPOSE} in Growth")
    assert "Only the lead of Growth or an admin can start its purpose workshop. Ask @Lea." in said
    assert await _stored(sessions) == (0, 0)
    said = await chat.text("ana", f"purpose start {PURPOSE} in Platform")
    assert "Asked 1 person on Platform" in said
    assert await _stored(sessions) == (1, 0)


async def test_only_a_teams_people_answer_or_read_its_purpose(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await join(sessions, "Platform", "cid", Role.LEAD)
    assert "Asked" in await chat.text("cid", f"purpose start {PURPOSE}")
    said = await chat.text("ana", 'purpose answer "I onboard shops in a day" in Platform')
    assert "You are not on Platform. Only its own people can answer its purpose." in said
    said = await chat.text("ana", "purpose Platform")
    assert "You are not on Platform. Only its own people can see its purpose." in said
    assert await _stored(sessions) == (1, 0)
    await join(sessions, "Platform", "ana")
    said = await chat.text("ana", 'purpose answer "I onboard shops in a day" in Platform')
    assert "Saved" in said
    assert await _stored(sessions) == (1, 1)
