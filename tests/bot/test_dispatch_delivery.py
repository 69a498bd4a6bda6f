"""The dispatcher's one way to reach other people: the asker's answer comes back, every message
to anyone else is written to the outbox in the command's own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import bot.dispatch
from bot.dispatch import REPLY, Dispatcher, for_asker
from bot.payload import decode, thread_of
from rituals.core.context import FixedClock
from rituals.core.messages import Audience, Mention, Message, dm, say
from storage.models import Obstacle, Outbox, OutboxStatus
from storage.outbox import OutboxRow
from tests.bot.console.support import run_console
from tests.support import Chat, text_of, who

STORY = "The CRM export breaks every morning"


async def stored(sessions: async_sessionmaker[AsyncSession], model: type) -> list[object]:
    async with sessions() as session:
        return list((await session.scalars(select(model))).all())


async def test_the_asker_gets_the_answer_and_the_leads_dm_waits_in_the_outbox(
    chat: Chat, dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession]
) -> None:
    answer = await dispatcher.handle_text(who("ana"), f'obstacle "{STORY}"')
    assert "Saved as obstacle" in text_of(answer)
    assert all(for_asker(r, "ana") for r in answer)  # nothing for Lea comes back to the edge
    (row,) = await stored(sessions, Outbox)
    assert isinstance(row, Outbox)
    assert (row.target, row.ritual, row.status) == ("lea", REPLY, OutboxStatus.PENDING)
    assert row.member_id is not None
    message = decode(row.payload)
    assert message.audience is Audience.DM
    assert STORY in message.text
    assert len(await stored(sessions, Obstacle)) == 1


async def test_a_failure_after_the_handler_leaves_neither_the_obstacle_nor_its_dm(
    chat: Chat,
    dispatcher: Dispatcher,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = bot.dispatch.enqueue

    async def enqueue_then_break(session: AsyncSession, rows: Sequence[OutboxRow]) -> None:
        await real(session, rows)
        raise RuntimeError("the process died before the commit")

    monkeypatch.setattr(bot.dispatch, "enqueue", enqueue_then_break)
    answer = await dispatcher.handle_text(who("ana"), f'obstacle "{STORY}"')
    assert "nothing was saved" in text_of(answer)
    assert await stored(sessions, Obstacle) == []
    assert await stored(sessions, Outbox) == []


def test_only_messages_to_someone_else_leave_through_the_outbox() -> None:
    lea = Mention("lea", "Lea")
    assert for_asker(say("Saved."), "ana")
    assert for_asker(dm(Mention("ana", "Ana"), "Your export"), "ana")
    assert not for_asker(dm(lea, "Ana raised an obstacle"), "ana")
    post = Message(say("Kudos!").blocks, Audience.CHANNEL, channel_id="C1")
    assert not for_asker(post, "ana")


async def test_a_reply_in_a_thread_carries_its_thread_in_the_row(
    chat: Chat, dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession]
) -> None:
    here = Message(say("In the thread.").blocks, Audience.CHANNEL, channel_id="C1", in_thread=True)
    there = Message(say("A new post.").blocks, Audience.CHANNEL, channel_id="C2", in_thread=True)
    # Ana pressed a button on a post in C1: a reply in_thread goes into that post's thread.
    asker = replace(who("ana", channel="C1"), thread="1700000000.000100")
    async with sessions() as session, session.begin():
        ctx = await dispatcher._ctx(session, asker, "")
        mine, queued = await dispatcher._route(ctx, asker, [say("Done."), here, there])
    assert (len(mine), queued) == (1, 2)
    rows = [r for r in await stored(sessions, Outbox) if isinstance(r, Outbox)]
    threads = {r.target: thread_of(r.payload) for r in rows}
    assert threads == {"C1": "1700000000.000100", "C2": None}
    assert all(decode(r.payload).in_thread for r in rows)


async def test_the_console_shows_the_leads_dm_right_after_the_command(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    transcript = await run_console(dispatcher, sessions, clock, [f'obstacle "{STORY}"'])
    answered = transcript.split(f'ana> obstacle "{STORY}"\n', 1)[1]
    saved, to_lea = answered.split("(direct message to Lea)\n", 1)
    assert "Saved as obstacle" in saved
    assert STORY in to_lea
    rows = await stored(sessions, Outbox)
    assert [r.status for r in rows if isinstance(r, Outbox)] == [OutboxStatus.SENT]
