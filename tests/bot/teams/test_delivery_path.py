"""Messages to others leave through the outbox, on Teams: a failed DM is the worker's to retry,
never the asker's failure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.dispatch import REPLY
from bot.server import TEAMS
from bot.teams.replies import FILE_CONSENT
from rituals.core.messages import File, Message, Outgoing, Paragraph, rich, say
from storage.models import Obstacle, Outbox, OutboxStatus
from tests.bot.teams.conftest import ANA, LEA, PERSONAL, TeamsClient, text_of
from tests.bot.teams.mock_connector import Sent
from tests.bot.teams.support import chat_of, growth, rows
from tests.support import MovingClock

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
STORY = "The CRM export breaks every morning"


@pytest.fixture
def clock() -> MovingClock:
    """Time a test moves on, so the worker's next round finds the retry due."""
    return MovingClock(NOW)


async def test_an_obstacle_whose_dm_to_the_lead_fails_is_saved_once_and_sent_later(
    teams: TeamsClient, teams_database: str, clock: MovingClock
) -> None:
    await growth(teams)
    teams.connector.refuse[PERSONAL + LEA[0]] = [502]  # Lea's chat fails the next send

    said = text_of(await teams.say(f'obstacle "{STORY}"', ANA))
    await teams.deliver()
    assert "Saved as obstacle" in said
    assert "try again" not in said.lower()
    assert teams.connector.refused == [(PERSONAL + LEA[0], 502)]
    assert not [s for s in chat_of(teams, LEA) if STORY in s.text]
    (row,) = [
        r for r in await rows(teams_database, Outbox, teams.tenant) if STORY in str(r.payload)
    ]
    assert row.status is OutboxStatus.PENDING  # waiting for its retry
    assert row.attempts == 1

    clock.move_to(clock.at + timedelta(hours=1))  # past the retry's wait
    await teams.deliver()
    (arrived,) = [s for s in chat_of(teams, LEA) if STORY in s.text]
    assert arrived.reply_to is None  # proactive, from the worker
    (row,) = [
        r for r in await rows(teams_database, Outbox, teams.tenant) if STORY in str(r.payload)
    ]
    assert row.status is OutboxStatus.SENT
    assert len(await rows(teams_database, Obstacle, teams.tenant)) == 1  # saved once


async def test_an_answer_over_the_chats_limit_goes_through_the_outbox_not_held_in_the_request(
    teams: TeamsClient, teams_database: str, clock: MovingClock
) -> None:
    """Teams takes 60 messages in 30 seconds into one chat: the 61st answer is not waited for
    inside the request, it is queued; the worker does not sleep on it either (that would hold
    a send slot), it puts the row off until the window has room, at no cost of an attempt."""
    await teams.meet(ANA)
    chat = PERSONAL + ANA[0]
    pace = teams.http.server.app[TEAMS].pace
    moment = [pace.now() + 1]  # after the welcome went out

    async def time_passes(seconds: float) -> None:
        moment[0] += seconds

    pace.now, pace.sleep = (lambda: moment[0]), time_passes
    while pace.book(chat, 1, within=1.0) is not None:  # seven a second, until the half
        moment[0] += 1 / 7  # minute is full and the next answer would wait for longer

    asked = moment[0]
    answered = await teams.say("kpis", ANA)
    assert not [s for s in answered if s.reply_to is not None]  # nothing held the request
    await teams.deliver()
    assert not [s for s in chat_of(teams, ANA) if s.reply_to is None and "KPI" in s.text]
    assert moment[0] == asked  # the worker slept on nothing
    (row,) = [r for r in await rows(teams_database, Outbox, teams.tenant) if r.ritual == REPLY]
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    put_off = (row.next_attempt_at - clock.now()).total_seconds()
    assert put_off > 1  # longer than a request may wait: until the half minute has room

    moment[0] += put_off  # rounded up to the millisecond, so the chat has room by then
    clock.move_to(row.next_attempt_at)
    await teams.deliver()
    (_answer,) = [s for s in chat_of(teams, ANA) if s.reply_to is None and "KPI" in s.text]
    (row,) = [r for r in await rows(teams_database, Outbox, teams.tenant) if r.ritual == REPLY]
    assert (row.target, row.status) == (ANA[2], OutboxStatus.SENT)  # Ana's chat, by her id


def _shown(sent: Sent) -> str | None:
    """Which of `two_answers`' sends this is, if one."""
    kinds = [a["contentType"] for a in sent.activity.get("attachments") or []]
    if FILE_CONSENT in kinds:
        return "offer"
    return next((word for word in ("FIRST", "SECOND") if word in sent.text), None)


async def two_answers(*args: object, **kwargs: object) -> list[Outgoing]:
    """A reply whose first answer takes two sends (its card and its file's offer)."""
    attached = File("first.json", b"{}", "application/json")
    return [Message((Paragraph(rich("FIRST, with a file")), attached)), say("SECOND, one card")]


async def test_once_an_answer_waits_for_the_outbox_the_rest_of_its_reply_follows_in_order(
    teams: TeamsClient, teams_database: str, clock: MovingClock
) -> None:
    """With room in the chat for one send within the second, the reply's first answer (two
    sends) goes to the outbox; its second (one send) would fit at once, and overtake it."""
    await teams.meet(ANA)
    chat = PERSONAL + ANA[0]
    bot = teams.http.server.app[TEAMS]
    pace = bot.pace
    moment = [pace.now() + 1]  # after the welcome went out

    async def time_passes(seconds: float) -> None:
        moment[0] += seconds

    pace.now, pace.sleep = (lambda: moment[0]), time_passes
    while pace.room_in(chat, 2, within=1.0) == 0:  # seven a second, until the half minute
        pace.book(chat, 1, within=1.0)  # has room for one more send but not for two
        moment[0] += 1 / 7
    assert pace.room_in(chat, 1, within=1.0) == 0
    bot.dispatcher.handle_text = two_answers  # type: ignore[method-assign]

    await teams.say("me export", ANA)
    for _ in range(5):  # the worker puts the rows off until the chat has room; time moves on
        await teams.deliver()
        waiting = [
            r.next_attempt_at
            for r in await rows(teams_database, Outbox, teams.tenant)
            if r.ritual == REPLY and r.status is OutboxStatus.PENDING
        ]
        if not waiting:
            break
        moment[0] += (max(waiting) - clock.now()).total_seconds() + 0.001
        clock.move_to(max(waiting))
    shown = [_shown(s) for s in chat_of(teams, ANA) if _shown(s)]
    assert shown == ["FIRST", "offer", "SECOND"]
