"""The dispatcher as the engine every ritual goes through: a refusal undoes only the command,
an empty form of a ritual switched off everywhere the person is never opens, and a refusal that
offers a choice keeps its buttons even for a submitted form."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import Form, Message
from storage.models import Kpi
from tests.support import Chat, buttons_of, text_of


async def test_an_empty_form_of_a_ritual_switched_off_on_all_my_teams_is_refused_at_once(
    chat: Chat,
) -> None:
    await chat.say("lea", "settings set rituals one_on_one,kudos")
    replies = await chat.say("ana", "obstacle")
    assert not any(isinstance(r, Form) for r in replies), replies
    said = text_of(replies)
    assert "Growth has switched off the weekly check-in." in said
    assert "@Lea can switch it on: settings set rituals one_on_one,kudos,checkin" in said
    # Switched on again, the same word opens the form.
    await chat.say("lea", "settings set rituals checkin,one_on_one,kudos")
    (form,) = await chat.say("ana", "obstacle")
    assert isinstance(form, Form)


async def test_a_refused_form_that_offers_a_choice_answers_with_the_choice(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    for n in range(5):
        await chat.say("ana", f'propose "Metric {n}" target {n + 1} per week')
    (form,) = await chat.say("ana", "propose")
    assert isinstance(form, Form)
    async with sessions() as session:
        before = await session.scalar(select(func.count()).select_from(Kpi))
    replies = await chat.submit(
        "ana", form, {"name": "Metric six", "target": "6", "cadence": "weekly"}
    )
    (answer,) = replies
    assert isinstance(answer, Message), answer
    assert "the cap is 5" in text_of(replies)
    assert all(b.command.startswith("retire ") for b in buttons_of(replies))
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Kpi)) == before


async def test_a_newcomer_whose_first_words_are_no_command_is_welcomed_once_and_can_be_added(
    chat: Chat,
) -> None:
    first = await chat.text("cy", "hello")
    assert "Welcome, Cy" in first
    assert 'I don\'t know the command "hello"' in first
    again = await chat.text("cy", "hello")
    assert "Welcome" not in again
    assert 'I don\'t know the command "hello"' in again
    added = await chat.text("lea", "team add @cy")
    assert "I don't know @cy" not in added
    assert "Cy" in added


async def test_a_newcomer_whose_first_words_open_a_form_is_welcomed_before_it(chat: Chat) -> None:
    replies = await chat.say("dee", "propose")
    assert isinstance(replies[0], Message)
    assert "Welcome, Dee" in replies[0].text
    assert isinstance(replies[-1], Form)
