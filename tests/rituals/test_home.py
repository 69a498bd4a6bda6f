"""`home` (Slack's Home tab): KPIs beside growth goals, what waits for you, what comes next."""

from __future__ import annotations

from datetime import datetime

from rituals.home import next_weekly
from tests.support import Chat, buttons_of, text_of


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


async def test_next_up_is_the_teams_check_in_in_your_own_time(chat: Chat) -> None:
    shown = await chat.text("ana", "home")
    # Monday 09:30 UTC: today's 10:00 check-in is still ahead.
    assert "Growth: check-in: Monday 23 November 2026, 10:00 your time" in shown
    assert "Growth: one-on-one: every 2 weeks" in shown
    assert "not on a team yet" in await chat.text("newbie", "home")


def test_next_weekly_is_local_and_strictly_ahead() -> None:
    monday = datetime.fromisoformat("2026-11-23T09:30:00+00:00")
    assert next_weekly(monday, "UTC", "mon", "10:00").isoformat() == "2026-11-23T10:00:00+00:00"
    # Already 22:30 on Monday in Auckland: next week's.
    auckland = next_weekly(monday, "Pacific/Auckland", "mon", "10:00")
    assert auckland.isoformat() == "2026-11-30T10:00:00+13:00"
    # Across the year end.
    new_year = datetime.fromisoformat("2026-12-31T12:00:00+00:00")
    assert next_weekly(new_year, "UTC", "fri", "09:00").date().isoformat() == "2027-01-01"
