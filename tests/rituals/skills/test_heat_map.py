"""The skills heat-map, by the real dispatcher, grammar and store.

What must hold: anyone on the team keeps its short list (the lead takes a skill off); each
person rates only themselves, any time; the map is a picture with a text sketch, showing by
default only who can teach what, and a person's whole row only once they choose to show it; a
person's own ratings reach only them; every bad input is answered in plain words.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rituals.core.messages import Form, Image, Message
from storage.models import SkillRating
from tests.rituals.skills.support import skills_on
from tests.support import Chat, assert_valid_png, buttons_of, text_of


def _image(replies: list[object]) -> Image:
    (reply,) = replies
    assert isinstance(reply, Message)
    (image,) = [b for b in reply.blocks if isinstance(b, Image)]
    return image


async def test_the_list_is_kept_by_anyone_on_the_team_and_pruned_by_its_lead(chat: Chat) -> None:
    await skills_on(chat, "SQL")
    assert "Added Discovery calls to Growth's skills (2)" in await chat.text(
        "ana", 'skill add "Discovery calls"'
    )
    assert "Growth has sql on its list already." in await chat.text("ben", "skill add sql")
    assert "needs words, not only a number" in await chat.text("ben", "skill add 42")
    said = await chat.text("ana", "skill remove SQL")
    assert "Only the lead of Growth" in said
    assert "Took SQL off Growth's skills" in await chat.text("lea", "skill remove sql")
    assert "no skill called “Cooking”" in await chat.text("lea", "skill remove Cooking")
    assert "You are not on Growth" in await chat.text("cy", 'skill add SQL in "Growth"')
    # Another workspace's Growth is not even there to name.
    assert 'no team called "Growth"' in await chat.text("zed", 'skill add SQL in "Growth"', "T2")


async def test_the_list_has_a_ceiling_and_a_catalogue_to_start_from(chat: Chat) -> None:
    await skills_on(chat)
    replies = await chat.say("ana", "skill examples")
    assert "skill examples sales" in [b.command for b in buttons_of(replies)]
    replies = await chat.say("ana", "skill examples eng")
    assert "Example skills for engineering" in text_of(replies)
    assert 'skill add "Code review"' in [b.command for b in buttons_of(replies)]
    said = await chat.text("ana", "skill examples astronaut")
    assert "There are no example skills for “astronaut”. Roles: sales, marketing" in said
    for n in range(15):
        await chat.text("ana", f'skill add "Skill number {n}"')
    said = await chat.text("ana", "skill add Juggling")
    assert "Growth has 15 skills already" in said
    assert "Its lead can take one off first: skill remove Skill number 0" in said


async def test_a_person_rates_only_themselves_and_may_change_it_any_time(
    chat: Chat, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await skills_on(chat, "SQL", "Discovery calls")
    assert "Rated yourself 2 (practising) on SQL" in await chat.text("ana", "rate SQL 2")
    assert "Rated yourself 3 (solid) on SQL" in await chat.text("ana", "rate sql as solid")
    said = await chat.text("ana", "rate Discovery calls as can teach")
    assert "Rated yourself 4 (can teach) on Discovery calls" in said
    assert "The team sees you can teach it" in said
    refused = await chat.text("lea", "rate @ana SQL as 1")
    assert "nobody, a lead included, rates someone else" in refused
    scale = "rate yourself with a number from 1 to 4: 1 learning, 2 practising, 3 solid"
    assert scale in await chat.text("ana", "rate SQL as 7")
    assert scale in await chat.text("ana", "rate SQL as expert")
    assert "must be one of: on, off" in await chat.text("ana", "skills share maybe")
    assert "no skill called “Cooking”" in await chat.text("ana", "rate Cooking as 2")
    (form,) = await chat.say("ana", "rate")
    assert isinstance(form, Form)
    assert "Growth's skills: SQL, Discovery calls" in form.intro
    async with sessions() as session:
        rows = (await session.scalars(select(SkillRating).order_by(SkillRating.id))).all()
    # Every rating kept, each the person's own: the latest is the one that counts.
    assert [r.level for r in rows] == [2, 3, 4]
    assert {r.member_id for r in rows} == {rows[0].member_id}


async def test_the_map_shows_who_can_teach_and_only_the_rows_people_chose_to_show(
    chat: Chat,
) -> None:
    await skills_on(chat, "SQL", "Negotiation")
    await chat.say("ana", "rate SQL as 1")
    await chat.say("ana", "rate Negotiation as 4")
    await chat.say("ben", "rate SQL as 2")
    await chat.say("lea", "rate SQL as 3")

    replies = await chat.say("ben", "skills")
    image = _image(replies)
    width, height = assert_valid_png(image.data)
    assert width == 800
    assert 300 <= height <= 600
    said = text_of(replies)
    assert "- Negotiation: Ana" in said
    assert "- SQL: nobody can teach it yet" in said
    # Ana shows only where she can teach; Ben's and Lea's rows are theirs until they share.
    assert image.sketch.splitlines()[1].split() == ["Ana", "·", "4"]
    assert "Ben " not in image.sketch
    assert "Lea " not in image.sketch
    assert "Your ratings (only you see them here): SQL 2 (practising)." in said
    assert "0 people show their whole row, of 3 on Growth" in image.alt

    assert "Your whole row shows" in await chat.text("ana", "skills share on")
    lead_view = _image(await chat.say("lea", "skills"))
    assert lead_view.sketch.splitlines()[1].split() == ["Ana", "1", "4"]
    # The lead does not see Ben's unshared rating either: a rating is its owner's.
    assert "Ben " not in lead_view.sketch
    assert "SQL 3 (solid)" in text_of(await chat.say("lea", "skills"))
    assert "SQL 1" not in text_of(await chat.say("lea", "skills")).split("Your ratings")[1]
    await chat.say("ana", "skills share off")
    assert _image(await chat.say("lea", "skills")).sketch.splitlines()[1].split() == [
        "Ana",
        "·",
        "4",
    ]


async def test_a_team_with_no_skills_is_told_how_to_start(chat: Chat) -> None:
    await skills_on(chat)
    said = await chat.text("ana", "skills")
    assert "Growth has no skills on its list yet" in said
    assert "skill examples" in said
