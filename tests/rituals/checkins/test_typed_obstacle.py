"""An obstacle typed after its team (`obstacle in "Growth" ...`) is kept, not dropped into an
empty form: the quotes close the team's name, so the words after them are the story."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Obstacle
from tests.support import Chat


async def test_the_words_after_a_quoted_team_are_the_obstacle(chat: Chat) -> None:
    said = await chat.text("ana", 'obstacle in "Growth" the CRM went down again this morning')
    assert "Saved as obstacle #" in said, said
    async with chat.dispatcher.sessions() as session:
        (obstacle,) = (await session.scalars(select(Obstacle))).all()
    assert obstacle.text == "the CRM went down again this morning"
