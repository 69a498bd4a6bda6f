"""Teams' per-conversation limits and what its refusals mean, without a network."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from botbuilder.schema import ErrorResponseException
from msrest.exceptions import ClientRequestError

from bot.teams.pace import ConversationPace
from bot.teams.send import judge


def test_seven_a_second_then_the_eighth_waits_for_the_window() -> None:
    pace = ConversationPace()
    slots = [pace.reserve("a:chat", 0.0) for _ in range(8)]
    assert slots[:7] == [0.0] * 7  # a burst of seven is allowed
    assert slots[7] == 1.0


def test_sixty_in_thirty_seconds_then_the_window_slides() -> None:
    pace = ConversationPace()
    slots = [pace.reserve("a:chat", i * 0.2) for i in range(61)]
    assert slots[59] < 30
    assert slots[60] == slots[0] + 30  # the 61st waits until the first leaves the window
    assert sum(1 for s in slots if s < slots[0] + 30) == 60


def test_an_hour_holds_1800_at_most() -> None:
    pace = ConversationPace()
    slots = [pace.reserve("a:chat", 0.0) for _ in range(1801)]
    assert slots[1800] >= slots[0] + 3600
    assert len([s for s in slots if s < 3600]) == 1800


def test_conversations_are_paced_apart() -> None:
    pace = ConversationPace()
    for _ in range(7):
        pace.reserve("a:one", 0.0)
    assert pace.reserve("a:two", 0.0) == 0.0
    assert pace.reserve("a:one", 0.0) == 1.0


def refused(status: int, headers: dict[str, str] | None = None) -> ErrorResponseException:
    exc = ErrorResponseException.__new__(ErrorResponseException)
    exc.response = SimpleNamespace(status_code=status, headers=headers or {})
    return exc


@pytest.mark.parametrize("status", [429, 412, 502, 504, 500, 503, 401])
def test_busy_answers_are_retried(status: int) -> None:
    refusal = judge(refused(status))
    assert refusal is not None
    assert refusal.retry
    assert not refusal.blocked


def test_retry_after_is_read() -> None:
    refusal = judge(refused(429, {"Retry-After": "7"}))
    assert refusal is not None
    assert refusal.after == 7.0


@pytest.mark.parametrize(("status", "blocked"), [(403, True), (404, False), (400, False)])
def test_refusals_that_will_not_pass_are_not_retried(status: int, blocked: bool) -> None:
    refusal = judge(refused(status))
    assert refusal is not None
    assert not refusal.retry
    assert refusal.blocked is blocked


def test_an_unreachable_connector_is_retried_and_a_bug_is_not_judged() -> None:
    refusal = judge(ClientRequestError("connection refused"))
    assert refusal is not None
    assert refusal.retry
    assert judge(KeyError("a bug")) is None


def test_a_request_books_room_within_a_second_or_none_at_all() -> None:
    moment = [0.0]
    pace = ConversationPace(now=lambda: moment[0])
    assert pace.book("a:chat", 7, within=1.0) == [0.0] * 7
    assert pace.book("a:chat", 2, within=1.0) == [1.0, 1.0]  # the next second's
    assert pace.book("a:chat", 1, within=0.5) is None  # not that long: nothing booked
    assert pace.book("a:two", 7, within=0.0) == [0.0] * 7  # other chats have their own room
    for second in range(1, 9):
        moment[0] = float(second)
        count = {1: 5, 8: 4}.get(second, 7)  # 60 in all
        assert pace.book("a:chat", count, within=0.0) == [float(second)] * count
    moment[0] = 9.0
    assert pace.book("a:chat", 1, within=1.0) is None  # 60 in the half minute
    assert pace.book("a:chat", 1, within=30.0) == [30.0]  # the first ones leave the window


def test_a_request_books_nothing_the_worker_has_not_left_room_for() -> None:
    moment = [0.0]
    pace = ConversationPace(now=lambda: moment[0])
    for _ in range(60):
        pace.reserve("a:chat", 0.0)  # the worker booked the chat's half minute ahead
    assert pace.book("a:chat", 1, within=1.0) is None
    assert pace.reserve("a:chat", 0.0) == 30.0  # and what it booked is as it was


def test_the_worker_is_told_how_long_until_the_chat_has_room_and_nothing_is_booked() -> None:
    moment = [0.0]
    pace = ConversationPace(now=lambda: moment[0])
    assert pace.room_in("a:chat", 3, within=1.0) == 0.0  # an empty chat has room now
    for _ in range(60):
        pace.reserve("a:chat", 0.0)  # the half minute is full
    assert pace.room_in("a:chat", 1, within=1.0) == 29.0  # the window's room, less a second
    assert pace.room_in("a:two", 1, within=1.0) == 0.0  # another chat is not held up
    assert pace.reserve("a:chat", 0.0) == 30.0  # asking booked nothing
    assert pace.book("a:two", 7, within=0.0) == [0.0] * 7  # its whole second still free
