"""The dispatcher as the engine every ritual goes through: a refusal undoes what the command
wrote but keeps a newcomer and their welcome, an empty form of a ritual switched off everywhere
the person is never opens, a refusal that offers a choice keeps its buttons even for a submitted
form, and a command that only reads sends only its reads."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.dispatch import Dispatcher
from bot.grammar import build_grammar
from rituals.core.context import FixedClock
from rituals.core.messages import Form, Message
from storage.models import Kpi, Member
from tests.support import Chat, buttons_of, statements, text_of, who


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


async def test_a_newcomer_whose_first_command_is_refused_is_kept_and_welcomed_once(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    first = await chat.text("eve", "retire 999 no longer useful")
    assert "Welcome, Eve" in first
    assert "There is no KPI #999 here." in first
    async with sessions() as session:
        assert await session.scalar(select(Member.id).where(Member.platform_user_id == "eve"))
    again = await chat.text("eve", "retire 999 no longer useful")
    assert "Welcome" not in again


async def test_a_command_that_only_reads_sends_one_query_for_the_person_and_writes_nothing(
    chat: Chat, connection: AsyncConnection
) -> None:
    await chat.say("ana", 'propose "Qualified leads" target 10 per week')
    await chat.say("ana", "kpis")  # welcomed and up to date: what follows is any later command
    with statements(connection) as kpis:
        replies = await chat.dispatcher.handle_text(who("ana", "T1"), "kpis")
    assert "Qualified leads" in text_of(replies)
    with statements(connection) as help_:
        await chat.dispatcher.handle_text(who("ana", "T1"), "help")
    # One SAVEPOINT is the session's own transaction here, nested in the test's; the
    # dispatcher adds none, and the person comes with their workspace in one query.
    for sent in kpis, help_:
        assert [s for s in sent if s.startswith("SAVEPOINT")] == [sent[0]]
        assert sent[-1] == "RELEASE SAVEPOINT"
    assert kpis[1:-1] == ["SELECT MEMBER.ID,", "SELECT KPI.ID,"]
    assert help_[1:-1] == ["SELECT MEMBER.ID,"]


async def test_a_newcomer_starts_with_the_working_hours_the_deployment_set(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, config: AppConfig
) -> None:
    """Nudges follow a person's own hours, so a newcomer's must be app.yaml's, not a column's
    default, until they say otherwise with `me set hours`."""
    people = config.people.model_copy(update={"work_hours": "10:30-18:30"})
    late = config.model_copy(update={"people": people})
    chat = Chat(Dispatcher(sessions, build_grammar("/kpi"), clock, late))
    assert "Working hours: 10:30-18:30" in await chat.text("eve", "me")
    await chat.text("eve", "me set hours 08:00-16:00")
    assert "Working hours: 08:00-16:00" in await chat.text("eve", "me")
