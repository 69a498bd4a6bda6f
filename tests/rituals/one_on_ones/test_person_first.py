"""A lead names the report first: `notes @ana "..." next "..."`, `point @ana "..."` and
`with @ana` anywhere reach that one-on-one, with every word of the notes kept."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import Form
from storage.models import Member, OneOnOne, TalkingPoint
from tests.support import Chat, buttons_of, text_of


async def _names(sessions: async_sessionmaker[AsyncSession]) -> dict[int, str]:
    async with sessions() as session:
        return {m.id: m.platform_user_id for m in await session.scalars(select(Member))}


async def test_notes_naming_the_report_first_are_saved_for_that_report(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    said = await chat.text("lea", 'notes @ana "talked pricing" next "Ana drafts the offer"')
    assert "Saved your one-on-one notes and 1 next step" in said
    assert "Which one-on-one?" not in said
    async with sessions() as session:
        row = (await session.scalars(select(OneOnOne))).one()
    names = await _names(sessions)
    assert (names[row.member_id], names[row.lead_id]) == ("ana", "lea")
    assert (row.notes, row.next_steps) == ("talked pricing", "Ana drafts the offer")


async def test_with_before_the_notes_names_the_person_and_keeps_the_notes(chat: Chat) -> None:
    replies = await chat.say("ana", 'notes with @lea "talked pricing"')
    assert "don't know" not in text_of(replies)
    form = replies[0]
    assert isinstance(form, Form)
    values = {f.name: f.value for f in form.fields}
    assert values["notes"] == "talked pricing"
    assert values["person"] == "<@lea>"
    assert "After your one-on-one with Lea" in form.intro


async def test_a_point_naming_the_report_first_keeps_the_mention_out_of_the_text(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert "with @Ana" in await chat.text("lea", 'point @ana "pricing help"')
    assert "with @Ben" in await chat.text("lea", 'point with @ben "how to open a demo"')
    async with sessions() as session:
        points = (await session.scalars(select(TalkingPoint).order_by(TalkingPoint.id))).all()
    names = await _names(sessions)
    assert [(names[p.member_id], p.text) for p in points] == [
        ("ana", "pricing help"),
        ("ben", "how to open a demo"),
    ]


async def test_which_one_on_one_keeps_the_notes_on_its_buttons(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    asked = await chat.say("lea", 'notes "talked pricing" next "Ben drafts the offer"')
    assert "Which one-on-one?" in text_of(asked)
    ben = next(b for b in buttons_of(asked) if b.label.startswith("Ben"))
    assert "Saved your one-on-one notes" in await chat.text("lea", ben.command)
    async with sessions() as session:
        row = (await session.scalars(select(OneOnOne))).one()
    assert (row.notes, row.next_steps) == ("talked pricing", "Ben drafts the offer")
    assert (await _names(sessions))[row.member_id] == "ben"


async def test_a_point_naming_only_the_report_opens_its_form_for_that_report(chat: Chat) -> None:
    replies = await chat.say("lea", "point @ana")
    form = replies[0]
    assert isinstance(form, Form), text_of(replies)
    values = {f.name: f.value for f in form.fields}
    assert values["person"] == "<@ana>"
    assert values["text"] is None
    assert "one-on-one with Ana" in form.intro
