"""Teams and roles through the real grammar, dispatcher and store."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import JoinRequest, Member, Membership, Role, Team
from tests.support import Chat, buttons_of, dms_to, text_of, who


async def roles(sessions: async_sessionmaker[AsyncSession], team: str) -> dict[str, Role]:
    async with sessions() as session:
        rows = await session.execute(
            select(Member.platform_user_id, Membership.role)
            .join(Membership, Membership.member_id == Member.id)
            .join(Team, Team.id == Membership.team_id)
            .where(Team.name == team)
        )
        return {user: role for user, role in rows}


async def test_create_in_a_channel_makes_it_home_and_the_creator_lead(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    replies = await chat.say("ben", "team create Platform", channel="C0PLATFORM")
    said = text_of(replies)
    assert "Created Platform; you are its lead. Its posts go to #C0PLATFORM." in said
    assert "Your checklist for Platform" in said
    assert "[x] weekly 'what's in my way' check-in" in said
    assert "[ ] anonymous tension pulse" in said
    assert await roles(sessions, "Platform") == {"ben": Role.LEAD}
    # The home channel now means that team.
    assert "== Platform ==" not in said
    shown = await chat.text("ana", "team", channel="C0PLATFORM")
    assert shown.startswith("Platform")
    assert "Home channel: #C0PLATFORM" in shown
    again = await chat.text("ana", "team create Other", channel="C0PLATFORM")
    assert "This channel is already the home of Platform" in again
    assert 'There is already a team called "platform"' in await chat.text(
        "ana", "team create platform"
    )


async def test_add_remove_and_lead_are_for_the_lead_or_an_admin(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("ben", "team create Platform")
    refused = await chat.text("ana", "team add @yan to Platform")
    assert (
        "Only the lead of Platform or an admin can add people to it. Ask @Ben or @Lea." in refused
    )

    replies = await chat.say("ben", "team add @ana <@lea|Lea> to Platform")
    assert "Added @Ana and @Lea to Platform." in text_of(replies)
    assert "Ben added you to Platform" in dms_to(replies, "ana")[0].text
    assert "already on Platform" in await chat.text("ben", "team add @ana to Platform")
    assert await roles(sessions, "Platform") == {
        "ben": Role.LEAD,
        "ana": Role.MEMBER,
        "lea": Role.MEMBER,
    }

    assert "Only the lead of Platform" in await chat.text("ana", "team remove @lea from Platform")
    replies = await chat.say("ben", "team remove @ana from Platform")
    assert "Removed Ana from Platform." in text_of(replies)
    assert dms_to(replies, "ana")
    assert "Ana is not on Platform" in (
        await chat.text("ben", "team remove @ana from Platform")
    ).replace("@", "")

    assert "can choose its lead" in await chat.text("ana", "team lead @ana in Platform")
    replies = await chat.say("ben", "team lead @lea in Platform")
    assert "@Lea now leads Platform." in text_of(replies)
    assert "Your checklist for Platform" in text_of(dms_to(replies, "lea"))
    assert await roles(sessions, "Platform") == {"ben": Role.MEMBER, "lea": Role.LEAD}
    assert "already leads" in await chat.text("lea", "team lead @lea in Platform")


async def test_an_admin_manages_any_team(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    # Lea was the workspace's first member: she installed the app, so she is an admin.
    await chat.say("ben", "team create Platform")
    assert "I don't know @yan" in await chat.text("lea", "team add @yan to Platform")  # yan: T2
    assert "Added @Ana to Platform." in await chat.text("lea", "team add @ana to Platform")


async def test_join_asks_the_lead_who_approves_or_declines(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    replies = await chat.say("newbie", "team join Growth")
    said = text_of(replies)
    assert "Asked Lea to let you join Growth" in said
    ask = dms_to(replies, "lea")
    assert len(ask) == 1
    approve, decline = (b.command for b in buttons_of(ask))
    assert decline == 'team decline <@newbie> in "Growth"'
    assert approve == 'team approve <@newbie> in "Growth"'
    assert "already asked" in await chat.text("newbie", "team join Growth")

    assert "Only the lead of Growth" in await chat.text("ana", approve)
    replies = await chat.say("lea", approve)
    assert "@Newbie is now on Growth." in text_of(replies)
    assert "Welcome to Growth!" in text_of(dms_to(replies, "newbie"))
    assert (await roles(sessions, "Growth"))["newbie"] is Role.MEMBER
    assert "no open request" in await chat.text("lea", approve)
    assert "You are already on Growth" in await chat.text("newbie", "team join Growth")

    await chat.say("other", "team join Growth")
    replies = await chat.say("lea", 'team decline <@other> in "Growth"')
    assert "Declined Other's request" in text_of(replies)
    assert "did not add you to Growth" in text_of(dms_to(replies, "other"))
    assert "other" not in await roles(sessions, "Growth")
    async with sessions() as session:
        assert (await session.scalars(select(JoinRequest))).all() == []


async def test_join_a_team_with_no_lead_asks_an_admin(chat: Chat) -> None:
    await chat.say("ben", "team create Platform")
    await chat.say("ben", "team leave Platform")  # the only person may leave; no lead is left
    replies = await chat.say("ana", "team join Platform")
    assert dms_to(replies, "lea"), "the admin decides when a team has no lead"


async def test_leave_and_the_last_lead_must_hand_over(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert "You are the only lead of Growth" in await chat.text("lea", "team leave")
    assert "You left Growth. Your KPIs stay yours." in await chat.text("ana", "team leave")
    assert "You are on no team yet" in await chat.text("ana", "team leave")
    assert "You are not on Growth" in await chat.text("ana", "team leave Growth")
    assert "ana" not in await roles(sessions, "Growth")


async def test_several_teams_ask_which_and_never_guess(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("lea", "team create Platform")
    replies = await chat.say("lea", "team add @ben")
    assert "You are on several teams. Which one?" in text_of(replies)
    commands = [b.command for b in buttons_of(replies)]
    assert commands == ['team add @ben in "Growth"', 'team add @ben in "Platform"']
    # Nothing happened yet; pressing a button does it.
    assert "ben" not in await roles(sessions, "Platform")
    assert "Added @Ben to Platform." in await chat.text("lea", commands[1])
    shown = await chat.say("lea", "team")
    assert [b.command for b in buttons_of(shown)] == ['team in "Growth"', 'team in "Platform"']
    assert "== " not in text_of(shown)


async def test_unknown_team_and_no_team(chat: Chat) -> None:
    said = await chat.text("ana", "team Nope")
    assert 'There is no team called "Nope". Teams here: Growth.' in said
    assert "You are on no team yet" in await chat.text("loner", "team")
    assert "There are no teams yet" in await chat.text("first", "team join Growth", workspace="T9")


async def test_teams_do_not_cross_workspaces(chat: Chat) -> None:
    said = await chat.text("zed", "team join Growth", workspace="T2")
    assert 'There is no team called "Growth". Teams here: Other.' in said
    assert "I don't know @ana" in await chat.text("zed", "team add @ana to Other", workspace="T2")


async def test_show_lists_lead_members_channel_rituals_and_waiting_requests(chat: Chat) -> None:
    await chat.say("newbie", "team join Growth")
    shown = await chat.text("lea", "team")
    assert "Lead: @Lea" in shown
    assert "Members: @Ana and @Ben" in shown
    assert "Home channel: none yet" in shown
    assert "weekly 'what's in my way' check-in, Mondays at 10:00" in shown
    assert "wins-first one-on-one scripts, every 2 weeks" in shown
    assert "Waiting to join: Newbie" in shown
    # Members see the team but not who is waiting; outsiders get a button to ask.
    assert "Waiting to join" not in await chat.text("ana", "team")
    await chat.say("outsider", "help")  # past the first-contact welcome
    outsider = await chat.say("outsider", "team Growth")
    assert [b.command for b in buttons_of(outsider)] == ['team join "Growth"']


async def test_the_welcome_comes_on_first_contact_only(chat: Chat) -> None:
    first = await chat.say("fresh", "help")
    said = text_of(first)
    assert "Welcome, Fresh" in said
    assert "I never rank people" in said
    assert [b.command for b in buttons_of(first)][:3] == ["team", "propose", "me set"]
    assert "Welcome" not in await chat.text("fresh", "help")
    # Opening the app (Slack app_home_opened, Teams installationUpdate) greets once as well.
    greeted = await chat.dispatcher.greet(who("another"))
    assert "Welcome, Another" in text_of(greeted)
    assert await chat.dispatcher.greet(who("another")) == []
    assert "Welcome" not in await chat.text("another", "help")


async def test_team_names_with_double_quotes_are_refused(chat: Chat) -> None:
    said = await chat.text("ben", """team create 'Say "hi" team'""")
    assert "cannot contain double quotes" in said


async def test_too_many_people_at_once_is_explained(chat: Chat) -> None:
    mentions = " ".join(f"@p{i}" for i in range(21))
    assert "People has too many items; at most 20" in await chat.text("lea", f"team add {mentions}")


async def test_the_lead_can_pass_back_and_forth(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Handing the lead to someone whose seat is older than the current lead's works too."""
    assert "@Ana now leads Growth." in await chat.text("lea", "team lead @ana")
    assert "@Lea now leads Growth." in await chat.text("ana", "team lead @lea")
    assert await roles(sessions, "Growth") == {
        "lea": Role.LEAD,
        "ana": Role.MEMBER,
        "ben": Role.MEMBER,
    }


async def test_a_lead_may_name_the_team_before_the_people(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await chat.say("ben", "team create Platform")  # Ben is now on two teams: no guessing
    replies = await chat.say("ben", "team add Platform @ana <@lea|Lea>")
    assert "Added @Ana and @Lea to Platform." in text_of(replies)
    assert "Ben added you to Platform" in dms_to(replies, "ana")[0].text
    assert "Removed Ana from Platform." in await chat.text("ben", 'team remove "Platform" @ana')
    assert "@Lea now leads Platform." in await chat.text("ben", "team lead Platform @lea")
    assert await roles(sessions, "Platform") == {"ben": Role.MEMBER, "lea": Role.LEAD}
    # A team that does not exist is named as typed, not mistaken for a person.
    assert "Nowhere" in await chat.text("lea", "team add Nowhere @ana")
