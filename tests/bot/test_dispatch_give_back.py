"""A long command the grammar refuses comes back with the refusal: nothing typed is lost."""

from __future__ import annotations

from tests.support import Chat, text_of


async def test_a_too_long_obstacle_is_refused_and_given_back_whole(chat: Chat) -> None:
    story = "The EU pilot waits on test data; " * 46  # about 1,500 characters
    story = story.strip()
    assert len(story) > 1000
    replies = await chat.say("ana", f'obstacle "{story}"')
    said = text_of(replies)
    assert "1000" in said or "1,000" in said, said  # the limit is named
    assert story in said  # and every word comes back


async def test_a_short_mistake_is_answered_without_an_echo(chat: Chat) -> None:
    said = await chat.text("ana", "proposee Win rate")
    assert "Here is what you wrote" not in said
