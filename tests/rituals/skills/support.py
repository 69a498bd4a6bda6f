"""Steps the skills tests share: the ritual switched on for Growth, and a short skill list."""

from __future__ import annotations

from tests.support import Chat

SKILLS_ON = "settings set rituals checkin,one_on_one,kudos,review,skills"


async def skills_on(chat: Chat, *skills: str) -> None:
    """Lea switches the heat-map on for Growth and adds these skills."""
    said = await chat.text("lea", SKILLS_ON)
    assert "skills heat-map" in said, said
    for skill in skills:
        assert "Added" in await chat.text("lea", f'skill add "{skill}"')
