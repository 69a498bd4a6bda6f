"""`schedule` and `schedule set`: each ritual's cadence, and its next prompt in your own time."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import Form
from storage.models import Team
from tests.support import Chat, buttons_of, text_of


async def _settings(sessions: async_sessionmaker[AsyncSession], name: str) -> dict[str, object]:
    async with sessions() as session:
        team = await session.scalar(select(Team).where(Team.name == name))
        assert team is not None
        return team.settings


async def test_schedule_shows_each_cadence_and_your_next_prompt(chat: Chat) -> None:
    replies = await chat.say("ana", "schedule")
    shown = text_of(replies)
    assert "Schedule of Growth" in shown
    # Monday 09:30 UTC: today's 10:00 check-in is ahead; Growth started this week, so this
    # week has a one-on-one.
    assert "Check-in: Mondays at 10:00; next for you: Monday 23 November 2026, 10:00" in shown
    assert (
        "One-on-one: every 2 weeks, Wednesdays at 10:00; "
        "next for you: Wednesday 25 November 2026, 10:00"
    ) in shown
    assert "Fail of the Month" not in shown  # switched off by default
    assert "Times are your own, in UTC." in shown
    assert [b.command for b in buttons_of(replies)] == ['schedule set in "Growth"']


async def test_the_next_prompt_follows_your_zone_days_quiet_hours_and_breaks(chat: Chat) -> None:
    await chat.say("ana", "me set tz Europe/Berlin")  # 10:30 there: today's 10:00 has gone
    assert "next for you: Monday 30 November 2026, 10:00" in await chat.text("ana", "schedule")
    await chat.say("ana", "me set tz UTC days tue-fri")
    assert "next for you: Tuesday 24 November 2026, 10:00" in await chat.text("ana", "schedule")
    await chat.say("ana", "me set days mon-fri quiet 18:00-10:30")
    assert "next for you: Monday 23 November 2026, 10:30" in await chat.text("ana", "schedule")
    await chat.say("ana", "me set quiet 18:00-09:00")
    await chat.say("ana", "snooze 2h")
    assert "next for you: Monday 23 November 2026, 11:30" in await chat.text("ana", "schedule")
    await chat.say("ana", "snooze off")
    await chat.say("ana", "away until 2026-12-01")
    shown = await chat.text("ana", "schedule")
    assert (
        "Check-in: Mondays at 10:00; next for you: Monday 7 December 2026, 10:00 "
        "(skipped before then: away until 2026-12-01)"
    ) in shown
    await chat.say("ana", "me set pause on")
    assert "next for you: not for now (your nudges are paused" in await chat.text("ana", "schedule")


async def test_the_schedule_promises_the_prompts_of_the_rituals_switched_on(chat: Chat) -> None:
    """The vote opens on the 28th, a Saturday, so it reaches a Monday-to-Friday person on
    Monday the 30th; a switched-off ritual is not promised."""
    await chat.say("lea", "settings set rituals checkin,fail_of_month,review,pulse")
    shown = await chat.text("ana", "schedule")
    assert "Check-in: Mondays at 10:00" in shown
    assert (
        "Fail of the Month vote: opens for the last 3 days of each month, at 10:00; next for "
        "you: Monday 30 November 2026, 10:00"
    ) in shown
    assert "Quarterly review: the first Monday of each quarter, at 10:00" in shown
    assert "Tension pulse: every 2 weeks, Mondays at 10:00; results once 3 have answered" in shown
    assert "One-on-one" not in shown


async def test_the_lead_sets_the_schedule_and_only_changes_are_stored(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    said = await chat.text("lea", "schedule set checkin wed 9:30")
    assert "Saved: schedule of Growth" in said
    assert "Check-in: Wednesdays at 09:30; next for you: Wednesday 25 November 2026, 09:30" in said
    assert await _settings(sessions, "Growth") == {"checkin_day": "wed", "checkin_time": "09:30"}
    said = await chat.text("lea", "schedule set one-on-one every 3 weeks thursday at 14:00")
    assert "One-on-one: every 3 weeks, Thursdays at 14:00" in said
    settings = await _settings(sessions, "Growth")
    assert settings["one_on_one_weeks"] == 3
    assert (settings["one_on_one_day"], settings["one_on_one_time"]) == ("thu", "14:00")
    await chat.say("lea", "schedule set one-on-one every week")
    assert (await _settings(sessions, "Growth"))["one_on_one_weeks"] == 1
    assert "One-on-ones: every week, Thursdays at 14:00" in await chat.text("ana", "settings")


async def test_setting_a_switched_off_ritual_saves_and_says_it_is_off(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    said = await chat.text(
        "lea", 'schedule set vote 4 days before the end of the month in "Growth"'
    )
    assert "Fail of the Month vote is switched off in Growth" in said
    assert (await _settings(sessions, "Growth"))["vote_days"] == 4
    assert "Fail of the Month vote: opens for the last 4 days" in await chat.text("ana", "settings")


async def test_members_cannot_set_the_schedule(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    said = await chat.text("ana", "schedule set checkin tue")
    assert "Only the lead of Growth or an admin can change its schedule. Ask @Lea." in said
    assert await _settings(sessions, "Growth") == {}


async def test_bad_cadences_are_refused_with_the_reason_and_nothing_is_stored(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    funday = await chat.text("lea", "schedule set checkin funday")
    assert "'funday' is neither a day nor a time; write it like wed 09:30" in funday
    assert "/kpi schedule set [in <team>] [checkin <day HH:MM>]" in funday
    assert "'25:00' is not a time of day" in await chat.text("lea", "schedule set checkin 25:00")
    assert "name one day, like wed 09:30" in await chat.text("lea", "schedule set checkin mon tue")
    assert "every 9 weeks is not on offer; one-on-ones go every 1 to 8 weeks" in await chat.text(
        "lea", "schedule set one-on-one every 9 weeks"
    )
    assert "11 days is not on offer; the vote opens 1 to 10 days before" in await chat.text(
        "lea", "schedule set vote 11 days before month end"
    )
    assert "like 4 days before month end" in await chat.text("lea", "schedule set vote soon")
    assert '"checkin" needs a value after it' in await chat.text("lea", "schedule set checkin")
    assert await _settings(sessions, "Growth") == {}


async def test_schedule_set_alone_is_a_form_that_stores_only_what_changed(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    form = (await chat.say("lea", "schedule set"))[0]
    assert isinstance(form, Form)
    values = {f.name: f.value for f in form.fields}
    assert values == {
        "team": "Growth",
        "checkin": "mon 10:00",
        "one_on_one": "every 2 weeks wed 10:00",
        "vote": "3 days before month end",
    }
    again = (await chat.submit("lea", form, values | {"checkin": "someday"}))[0]
    assert isinstance(again, Form)
    assert "'someday' is neither a day nor a time" in again.intro
    assert await _settings(sessions, "Growth") == {}
    saved = await chat.submit("lea", form, values | {"checkin": "tue 10:00"})
    assert "Saved: schedule of Growth" in text_of(saved)
    # The unchanged values stay app.yaml's, so a new default there still reaches the team.
    assert await _settings(sessions, "Growth") == {"checkin_day": "tue"}
