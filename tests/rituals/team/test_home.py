"""`home` (Slack's Home tab): KPIs beside growth goals, what waits for you, what comes next."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from tests.support import Chat, MovingClock, at, buttons_of, chat_at, text_of


async def test_a_kpi_proposed_for_you_waits_with_its_accept_button(chat: Chat) -> None:
    said = await chat.text("lea", 'propose "Demos" target 3 per week owner @ben')
    kpi = said.split("#")[1].split(":")[0]
    replies = await chat.say("ben", "home")
    shown = text_of(replies)
    assert "Waiting for you" in shown
    assert f"#{kpi} Demos was proposed for you." in shown
    assert "Serves: not named yet" in shown
    (accept,) = [b for b in buttons_of(replies) if b.label == "Accept"]
    assert "Accepted" in await chat.text("ben", accept.command)
    assert "Waiting for you" not in await chat.text("ben", "home")


async def test_a_lead_sees_who_asked_to_join_and_the_buttons_work(chat: Chat) -> None:
    await chat.say("newbie", "team join Growth")
    await chat.say("rookie", "team join Growth")
    replies = await chat.say("lea", "home")
    shown = text_of(replies)
    assert "Newbie asked to join Growth." in shown
    assert shown.index("Newbie asked") < shown.index("Rookie asked")  # oldest first
    assert "asked to join" not in await chat.text("ana", "home")  # only the lead sees it
    approve = next(b for b in buttons_of(replies) if b.label == "Approve")
    await chat.say("lea", approve.command)
    after = await chat.text("lea", "home")
    assert "Newbie asked" not in after
    assert "Rookie asked" in after


async def test_next_up_is_each_scheduled_ritual_in_your_own_time(chat: Chat) -> None:
    shown = await chat.text("ana", "home")
    # Monday 09:30 UTC: today's 10:00 check-in is still ahead; Growth started this week, so
    # this week is a one-on-one week, on Wednesday.
    assert "Growth: Check-in: Monday 23 November 2026, 10:00" in shown
    assert "Growth: One-on-one: Wednesday 25 November 2026, 10:00" in shown
    assert "not on a team yet" in await chat.text("newbie", "home")


async def test_next_up_moves_with_your_zone_and_your_breaks(chat: Chat) -> None:
    # Already 22:30 on Monday in Auckland: next week's check-in, at 10:00 there.
    await chat.say("ana", "me set tz Pacific/Auckland")
    assert "Growth: Check-in: Monday 30 November 2026, 10:00" in await chat.text("ana", "home")
    await chat.say("ana", "me set tz UTC")
    await chat.say("ana", "skip week")
    shown = await chat.text("ana", "home")
    assert "Growth: Check-in: Monday 30 November 2026, 10:00 (skipped before then: " in shown
    # Every 2 weeks from this one: the next one-on-one after the skipped week is in week 50.
    assert "Growth: One-on-one: Wednesday 9 December 2026, 10:00" in shown
    await chat.say("ana", "me set pause on")
    assert "Growth: Check-in: not for now (your nudges are paused" in await chat.text("ana", "home")


async def test_a_review_in_a_skipped_week_is_shown_moved_to_the_week_after(
    chat: Chat, sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    clock = MovingClock(at("2027-01-04 08:00"))  # the Monday Growth's 2027-Q1 review opens
    later = chat_at(sessions, config, clock)
    await later.say("ana", "skip week")
    shown = await later.text("ana", "home")
    # As the scheduler sends it: at her first moment after the skipped week, not next quarter.
    assert "Growth: Quarterly review: Monday 11 January 2027, 09:00" in shown
    assert "Growth: Check-in: Monday 11 January 2027, 10:00 (skipped before then: " in shown


async def test_next_up_is_in_the_order_things_will_come(
    chat: Chat, sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    clock = MovingClock(at("2027-01-03 12:00"))  # a Sunday: the quarter's review is tomorrow
    shown = await chat_at(sessions, config, clock).text("ana", "home")
    order = [
        shown.index("Growth: Check-in: Monday 4 January 2027, 10:00"),
        shown.index("Growth: Quarterly review: Monday 4 January 2027, 10:00"),
        shown.index("Growth: One-on-one: Wednesday"),
    ]
    assert order == sorted(order), shown
