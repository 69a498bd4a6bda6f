"""Team and personal settings: forms, validation with reasons, and who may change what."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import Form
from rituals.core.spec import switchable
from rituals.team.settings import ChangeTeamSettings
from storage.models import Team
from tests.support import Chat, read_member, text_of


async def _team(sessions: async_sessionmaker[AsyncSession], name: str) -> Team:
    async with sessions() as session:
        team = await session.scalar(select(Team).where(Team.name == name))
        assert team is not None
        return team


async def test_team_settings_show_the_app_yaml_defaults(chat: Chat) -> None:
    said = await chat.text("ana", "settings")
    assert "the weekly check-in, one-on-one scripts, kudos, the quarterly review" in said
    assert "every 2 weeks" in said
    assert "none yet" in said


async def test_the_lead_changes_team_settings_and_only_overrides_are_stored(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    said = await chat.text(
        "lea", "settings set rituals checkin,pulse day tue time 9:30 channel <#C0GROW|growth>"
    )
    assert "Saved: settings of Growth" in said
    assert "Tuesdays at 09:30" in said
    team = await _team(sessions, "Growth")
    assert team.settings == {
        "enabled": ["checkin", "pulse"],
        "checkin_day": "tue",
        "checkin_time": "09:30",
    }
    assert team.channel_id == "C0GROW"
    assert "Home channel: #C0GROW" in await chat.text("ana", "team")


async def test_members_cannot_change_team_settings(chat: Chat) -> None:
    said = await chat.text("ana", "settings set one-on-one 3")
    assert "Only the lead of Growth or an admin can change its settings. Ask @Lea." in said


async def test_an_unknown_ritual_is_refused_with_the_list(chat: Chat) -> None:
    said = await chat.text("lea", "settings set rituals checkin,standup")
    assert "there is no ritual called 'standup'; the rituals are checkin, one_on_one" in said


async def test_bad_values_are_refused_with_the_reason(chat: Chat) -> None:
    assert "must be a number" in await chat.text("lea", "settings set one-on-one often")
    assert "is not a time" in await chat.text("lea", "settings set time 25:00")
    assert "must be one of: mon, tue" in await chat.text("lea", "settings set day funday")
    assert "a number from 3 to 50 (got 2)" in await chat.text("lea", "settings set pulse 2")
    assert "is not a channel" in await chat.text("lea", 'settings set channel "#no spaces allowed"')


async def test_settings_set_alone_opens_the_form_prefilled_and_a_bad_submission_keeps_values(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    form = (await chat.say("lea", "settings set"))[0]
    assert isinstance(form, Form)
    values = {f.name: f.value for f in form.fields}
    assert values["team"] == "Growth"
    assert values["rituals"] == "checkin, one_on_one, kudos, review"
    assert values["one_on_one_weeks"] == "2"
    submitted = {k: v for k, v in values.items() if v} | {
        "rituals": "checkin, standup",
        "one_on_one_weeks": "3",
    }
    again = (await chat.submit("lea", form, submitted))[0]
    assert isinstance(again, Form)
    assert "there is no ritual called 'standup'" in again.intro
    assert {f.name: f.value for f in again.fields}["one_on_one_weeks"] == "3"
    assert (await _team(sessions, "Growth")).settings == {}
    ok = await chat.submit("lea", form, submitted | {"rituals": "checkin"})
    assert "Saved" in text_of(ok)
    assert (await _team(sessions, "Growth")).settings["one_on_one_weeks"] == 3


async def test_a_channel_can_be_home_to_one_team_only(chat: Chat) -> None:
    await chat.say("ben", "team create Platform", channel="C0PLAT")
    said = await chat.text("lea", "settings set channel #c0plat pulse 5 in Growth")
    assert "Nothing was saved: #c0plat is already the home of Platform" in said


async def test_personal_settings_and_their_refusals(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    said = await chat.text("ana", "me")
    assert "Quiet hours: 18:00-09:00 (the default)" in said
    whole_day = await chat.text("ana", "me set quiet 09:00-09:00")
    assert "Nothing was changed: quiet hours 09:00-09:00 would cover the whole day" in whole_day
    assert "pause them instead" in whole_day
    covering = await chat.text("ana", "me set quiet 08:00-18:00")
    assert "cover all your working hours 09:00-17:00" in covering
    assert "there is no time zone called 'Mars/Base'" in await chat.text(
        "ana", "me set tz Mars/Base"
    )
    assert "'funday' is not a day" in await chat.text("ana", "me set days mon,funday")
    assert "is not a window" in await chat.text("ana", "me set hours 9")

    said = await chat.text(
        "ana", "me set tz Europe/Berlin days mon-thu hours 8:00-16:00 quiet 17:00-07:30 language de"
    )
    assert "Saved: your settings" in said
    assert "23. November 2026" in said  # the test clock's Monday, in German
    member = await read_member(sessions, "ana")
    assert (member.time_zone, member.working_days) == ("Europe/Berlin", "mon,tue,wed,thu")
    assert (member.work_start, member.work_end, member.quiet_start, member.quiet_end) == (
        "08:00",
        "16:00",
        "17:00",
        "07:30",
    )
    assert "Nudges: paused" in await chat.text("ana", "me set pause on")
    assert (await read_member(sessions, "ana")).nudges_paused
    # Working hours that the saved quiet hours would swallow are refused too.
    assert "cover all your working hours" in await chat.text("ana", "me set hours 18:00-23:00")


async def test_me_set_alone_is_a_form_with_current_values(chat: Chat) -> None:
    form = (await chat.say("ana", "me set"))[0]
    assert isinstance(form, Form)
    values = {f.name: f.value for f in form.fields}
    assert values == {
        "time_zone": "UTC",
        "working_days": "mon,tue,wed,thu,fri",
        "work_hours": "09:00-17:00",
        "quiet_hours": "18:00-09:00",
        "pause": "off",
        "date_language": "en",
    }
    assert next(f for f in form.fields if f.name == "pause").options == ("on", "off")


async def test_time_zones_are_matched_whatever_their_case(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert "Saved" in await chat.text("ana", "me set tz europe/berlin")
    assert (await read_member(sessions, "ana")).time_zone == "Europe/Berlin"
    assert "Saved" in await chat.text("ana", "me set tz utc")
    assert (await read_member(sessions, "ana")).time_zone == "UTC"


def test_the_settings_form_names_every_ritual_a_team_can_switch() -> None:
    """Help and the form say which rituals there are: none left out as rituals are added."""
    said = ChangeTeamSettings.model_fields["rituals"].description or ""
    named = [n.strip() for n in said.split(":", 1)[1].split(",")]
    assert named == [r.name for r in switchable()]
