"""The welcome: three short lines before a first answer, and first steps that fit the person."""

from __future__ import annotations

from bot.console.render import render_message
from rituals.core.messages import Message
from tests.support import Chat, buttons_of, text_of, who


async def test_the_welcome_is_short_and_its_first_steps_are_buttons(chat: Chat) -> None:
    first = await chat.say("fresh", "kpis")
    welcome = next(r for r in first if isinstance(r, Message) and "Welcome, Fresh" in r.text)
    shown, buttons = render_message(welcome)
    # A heading, three lines, the prompt and four steps: one line each.
    assert len(shown.strip().splitlines()) <= 9
    assert [b.command for b in buttons] == ["team", "propose", "me set", "dashboard"]


async def test_a_newcomer_whose_first_words_create_a_team_is_welcomed_as_its_lead(
    chat: Chat,
) -> None:
    first = await chat.say("fresh", "team create Pioneers")
    commands = [b.command for b in buttons_of(first)]
    assert 'team show "Pioneers"' in commands
    assert "team" not in commands
    assert "Create or join a team" not in " ".join(b.label for b in buttons_of(first))


async def test_someone_added_to_a_team_before_their_first_words_is_not_told_to_join_one(
    chat: Chat,
) -> None:
    # A mention the platform resolved: the person exists before they ever wrote.
    added = await chat.dispatcher.handle_text(who("lea"), "team add <@newbie>", [who("newbie")])
    assert "Newbie" in text_of(added)
    first = await chat.say("newbie", "kpis")
    labels = [b.label for b in buttons_of(first)]
    assert "Create or join a team" not in labels
    assert "See your home" in labels
