"""Recognition that names the service, through the real dispatcher, grammar and store: the
story posted to the team's recognition channel with real mentions, each recipient's DM, the
one-on-one win it becomes, and every way a kudos is refused without losing what was typed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import FieldKind, Form, Mention, Paragraph
from rituals.core.settings import GENERIC_PRAISE
from rituals.kudos.commands import generic_praise
from storage.models import KpiStatus, Kudos, KudosRecipient, Role, Team
from storage.people import NewMember, ensure_member
from storage.teams import ensure_membership
from tests.conftest import NOW
from tests.rituals.kudos import new_kpi
from tests.support import Chat, channel_posts, dms_to, member, text_of

STORY = "I sat in on her first three discovery calls and wrote up the objections"


async def _channel(sessions: async_sessionmaker[AsyncSession], channel: str | None) -> None:
    async with sessions() as session, session.begin():
        await session.execute(update(Team).where(Team.name == "Growth").values(channel_id=channel))


async def _stored(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    async with sessions() as session:
        kudos = await session.scalar(select(func.count()).select_from(Kudos))
        recipients = await session.scalar(select(func.count()).select_from(KudosRecipient))
        return int(kudos or 0), int(recipients or 0)


async def test_a_kudos_is_posted_with_real_mentions_sent_to_each_and_becomes_a_win(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The story is the giver's service: posted to the team, a DM to each recipient, stored
    with mentions as plain names, and the first of the recipient's next one-on-one wins."""
    await _channel(sessions, "C0GROWTH")
    kpi = await new_kpi(sessions, "ana")
    replies = await chat.say(
        "lea",
        f'kudos <@ana> <@ben> kpi {kpi} how "{STORY}, so <@ana> closed the Lisbon deal with '
        '<@U0NOBODY|mallory>" reward lunch',
    )
    said = text_of(replies)
    assert "Posted to #C0GROWTH and sent to @Ana and @Ben" in said
    (post,) = channel_posts(replies)
    assert post.channel_id == "C0GROWTH"
    assert "Kudos: Qualified leads" in post.text
    assert "@Lea on how they served @Ana and @Ben for Qualified leads:" in post.text
    assert "With a team lunch." in post.text
    # A mention of someone here is a real one; an id the bot does not know stays plain text.
    story = next(b for b in post.blocks if isinstance(b, Paragraph) and STORY in str(b.parts))
    mentions = [p for p in story.parts if isinstance(p, Mention)]
    assert [m.platform_user_id for m in mentions] == ["ana"]
    assert "with @mallory" in post.text
    assert "U0NOBODY" not in post.text
    for user in ("ana", "ben"):
        (dm,) = dms_to(replies, user)
        assert STORY in dm.text
        assert "It opens your next one-on-one as a win." in dm.text
    assert dms_to(replies, "lea") == []

    async with sessions() as session:
        (row,) = (await session.scalars(select(Kudos))).all()
        assert row.story == f"{STORY}, so @Ana closed the Lisbon deal with @mallory"
        assert row.reward == "a team lunch"
        assert row.kpi_id == kpi
    assert await _stored(sessions) == (1, 2)
    wins = (await chat.text("ana", "script")).split("1. Wins first")[1].split("2. Dips")[0]
    assert f"Kudos from Lea (helped Qualified leads): {STORY}" in wins


async def test_kudos_with_nothing_else_opens_the_form_with_the_rewards_to_pick_from(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await new_kpi(sessions, "ben")
    (form,) = await chat.say("ana", "kudos")
    assert isinstance(form, Form)
    fields = {f.name: f for f in form.fields}
    assert list(fields) == ["people", "kpi", "story", "reward", "team"]
    assert fields["people"].kind is FieldKind.PEOPLE
    assert all(fields[name].required for name in ("people", "kpi", "story"))
    assert fields["reward"].kind is FieldKind.CHOICE
    assert fields["reward"].options == (
        "a handwritten note",
        "a team lunch",
        "first pick of the next project",
        "a coffee on me",
    )
    assert not fields["reward"].required
    assert "How did you serve them" in form.intro
    # Naming only who opens the form with them filled in.
    (form,) = await chat.say("ana", "kudos <@ben>")
    assert isinstance(form, Form)
    assert {f.name: f.value for f in form.fields}["people"] == "<@ben>"
    assert "Still needed: the KPI, how." in form.intro


async def test_the_form_is_submitted_and_a_refused_one_comes_back_with_what_was_typed(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _channel(sessions, "C0GROWTH")
    kpi = await new_kpi(sessions, "ben")
    (form,) = await chat.say("ana", "kudos")
    assert isinstance(form, Form)
    typed = {"people": "<@ben>", "kpi": str(kpi), "story": "Great job, thanks!"}
    (again,) = await chat.submit("ana", form, typed)
    assert isinstance(again, Form)
    assert "That is praise, not yet a story." in again.intro
    assert {f.name: f.value for f in again.fields}["story"] == "Great job, thanks!"
    assert await _stored(sessions) == (0, 0)
    replies = await chat.submit("ana", again, {"story": STORY, "reward": "a handwritten note"})
    (post,) = channel_posts(replies)
    assert "With a handwritten note." in post.text
    assert await _stored(sessions) == (1, 1)


@pytest.mark.parametrize(
    "story",
    [
        "great job!",
        "Thanks!",
        "Thanks for all your hard work this week, team!",
        "Great work on the launch, really amazing effort",
        "You rock, keep up the good work as always",
        "wow wow wow wow wow",
        "You are awesome, truly incredible, fantastic, superb!",
    ],
)
def test_generic_praise_is_told_from_a_story(story: str) -> None:
    assert generic_praise(story, GENERIC_PRAISE)


@pytest.mark.parametrize(
    "story",
    [
        STORY,
        "I covered Ben's calls on Friday so he could finish the pricing deck",
        "Thanks: I paired with Ana on the CRM import, and her follow-ups went out same day",
    ],
)
def test_a_story_of_service_is_not_generic(story: str) -> None:
    assert not generic_praise(story, GENERIC_PRAISE)


@pytest.mark.parametrize("status", [None, KpiStatus.PROPOSED, KpiStatus.RETIRED])
async def test_a_team_with_no_active_kpi_hears_what_unlocks_kudos_with_its_words_back(
    chat: Chat, sessions: async_sessionmaker[AsyncSession], status: KpiStatus | None
) -> None:
    """A kudos names the KPI the help served: with none active the form could never be sent,
    so it is not opened; the person hears how one comes to be, and gets their words back."""
    if status is not None:
        await new_kpi(sessions, "ben", status=status)
    (said,) = await chat.say("ana", f"kudos <@ben> {STORY}")
    text = text_of([said])
    assert "Growth has no active KPI yet" in text
    assert "proposes one with propose, then the lead types activate <number>" in text
    assert f"Your words, to send then: {STORY}" in text
    assert not isinstance(said, Form)
    assert await _stored(sessions) == (0, 0)
    (said,) = await chat.say("ana", "kudos")
    assert not isinstance(said, Form)
    assert "Your words" not in text_of([said])


async def test_every_wrong_kudos_is_refused_with_what_to_do_and_nothing_is_stored(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _channel(sessions, "C0GROWTH")
    kpi = await new_kpi(sessions, "ana")
    retired = await new_kpi(sessions, "ana", "Old metric", KpiStatus.RETIRED)
    elsewhere = await new_kpi(sessions, "zed", "Their metric")
    cases = {
        f'kudos <@ben> kpi {kpi} how "great job, thanks!"': "That is praise, not yet a story.",
        f'kudos <@ana> kpi {kpi} how "{STORY}"': "Kudos are for someone else",
        f'kudos @zed kpi {kpi} how "{STORY}"': "I don't know @zed in this workspace",
        f'kudos @nobody kpi {kpi} how "{STORY}"': "I don't know @nobody",
        f'kudos <@ben> kpi 99999 how "{STORY}"': "There is no KPI #99999 here.",
        f'kudos <@ben> kpi {elsewhere} how "{STORY}"': f"There is no KPI #{elsewhere} here.",
        f'kudos <@ben> kpi {retired} how "{STORY}"': "is retired; name an active KPI.",
        f'kudos <@ben> kpi {kpi} how "{STORY}" reward "a pony"': '"a pony" is not one of the',
        f'kudos <@ben> kpi {kpi} how "{STORY}" reward "a"': "is too short",
        f'kudos <@ben> kpi {kpi} how "{STORY}" in Nowhere': 'There is no team called "Nowhere"',
        f'kudos <@ben> kpi {kpi} how "thanks!"': "That is praise, not yet a story.",
        f'kudos <@ben> kpi {kpi} how "{"x" * 1001}"': "is too long (1001 characters)",
        f"kudos {' '.join(f'@p{i}' for i in range(11))} kpi {kpi}": "too many items; at most 10",
    }
    for typed, expected in cases.items():
        said = await chat.text("ana", typed)
        assert expected in said, (typed, said)
    assert await _stored(sessions) == (0, 0)
    # A reward named in part is the one it names.
    said = await chat.text("ana", f'kudos <@ben> kpi {kpi} how "{STORY}" reward "next project"')
    assert "Posted to" in said
    async with sessions() as session:
        assert (await session.scalars(select(Kudos.reward))).all() == [
            "first pick of the next project"
        ]


async def test_kudos_go_to_the_recognition_channel_or_only_to_the_people_without_one(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kpi = await new_kpi(sessions, "ben")
    replies = await chat.say("ana", f'kudos <@ben> kpi {kpi} how "{STORY}"')
    assert channel_posts(replies) == []
    assert "Growth has no channel for recognition yet, so only they see it" in text_of(replies)
    assert len(dms_to(replies, "ben")) == 1

    await _channel(sessions, "C0GROWTH")
    assert "Saved" in await chat.text("lea", "settings set recognition #C0KUDOS")
    (post,) = channel_posts(await chat.say("ana", f'kudos <@ben> kpi {kpi} how "{STORY}"'))
    assert post.channel_id == "C0KUDOS"
    assert "Recognition channel" in await chat.text("lea", "settings")


async def test_a_kudos_goes_to_the_recipients_team_names_its_kpi_and_respects_its_switch(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Posted where the recipients' team reads it, and a win in their one-on-ones there: so
    every recipient is on the team, the KPI is one of its people's (or the giver's), and a
    lead who switched kudos off is listened to."""
    kpi = await new_kpi(sessions, "ana")
    async with sessions() as session, session.begin():
        ana = await member(session, "ana")
        platform = Team(
            workspace_id=ana.workspace_id, name="Platform", time_zone="UTC", created_at=NOW
        )
        session.add(platform)
        cid = await ensure_member(
            session, ana.workspace_id, NewMember("cid", "Cid", "UTC", "mon,tue,wed,thu,fri"), NOW
        )
        await ensure_membership(session, platform, cid, Role.MEMBER, NOW)
    theirs = await new_kpi(sessions, "cid", "Secret quota")
    said = await chat.text("ana", f'kudos <@ben> kpi {kpi} how "{STORY}" in Platform')
    assert "Ben is not on Platform. Name the team you share with them." in said
    said = await chat.text("ana", f'kudos <@ben> kpi {theirs} how "{STORY}"')
    # Ana is on no team with Cid: his KPI is one she may not know of, let alone its name.
    assert f"The KPI: There is no KPI #{theirs} here." in said
    assert "Secret quota" not in said
    async with sessions() as session, session.begin():
        platform_again = await session.get(Team, platform.id)
        assert platform_again is not None
        await ensure_membership(
            session, platform_again, await member(session, "ana"), Role.MEMBER, NOW
        )
    said = await chat.text("ana", f'kudos <@ben> kpi {theirs} how "{STORY}" in Growth')
    assert f"#{theirs} Secret quota is not a KPI of Growth's people" in said
    assert await _stored(sessions) == (0, 0)
    await chat.say("lea", "settings set rituals checkin,one_on_one")
    said = await chat.text("ana", f'kudos <@ben> kpi {kpi} how "{STORY}" in Growth')
    assert "Growth has switched off kudos. @Lea can switch it on" in said
