"""A form field for several people in the console: asked once, answered with several names.

`team add` is the command with such a field today (`people: tuple[PersonRef, ...]`). It offers no
form of its own, so the console is handed the form the grammar builds for it, as the dispatcher
would hand over any form.
"""

from __future__ import annotations

import io

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.console.demo import seed_demo
from bot.dispatch import Dispatcher
from rituals.core.context import FixedClock
from rituals.core.messages import FieldKind, FormField
from storage.models import Member, Membership, Team
from tests.bot.console.support import demo_chat
from tests.support import team_add_form


async def lea_fills(
    dispatcher: Dispatcher,
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    answers: list[str],
) -> str:
    """Lea starts Growth, then fills in `team add`'s form with `answers`; what she saw."""
    async with sessions() as session, session.begin():
        await seed_demo(session, clock, "mon,tue,wed,thu,fri")
    out = io.StringIO()
    chat = demo_chat(dispatcher, answers, out, speaker="lea")
    await chat.send("team create Growth")
    answered = await chat.fill(team_add_form(dispatcher.grammar))
    assert answered is not None, out.getvalue()
    await chat.show(answered)
    return out.getvalue()


async def growth_members(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessions() as session:
        found = await session.scalars(
            select(Member.platform_user_id)
            .join(Membership, Membership.member_id == Member.id)
            .join(Team, Team.id == Membership.team_id)
            .where(Team.name == "Growth")
            .order_by(Member.platform_user_id)
        )
        return list(found.all())


async def test_several_people_are_asked_for_once_and_counted_before_submitting(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    crowd = " ".join(f"@p{i}" for i in range(21))
    transcript = await lea_fills(
        dispatcher,
        sessions,
        clock,
        [
            "",  # people are needed: asked again
            ", ,",  # no name at all: asked again
            crowd,  # 21 people, 83 characters: too many people, not too many characters
            "@ana, ben",
            "Growth",
        ],
    )
    assert "People (one or more @mentions; @names like @ana @ben, up to 20)" in transcript
    assert "This one is needed." in transcript
    assert "Name at least one person, like @ana." in transcript
    assert "That is 21 people; name at most 20." in transcript
    assert "characters" not in transcript.split("People (", 1)[1].split("\n", 1)[0]
    assert "Added @Ana and @Ben to Growth" in transcript
    assert await growth_members(sessions) == ["ana", "ben", "lea"]


async def test_a_prefilled_list_of_mentions_is_kept_with_enter(
    dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    async with sessions() as session, session.begin():
        await seed_demo(session, clock, "mon,tue,wed,thu,fri")
    out = io.StringIO()
    chat = demo_chat(dispatcher, [""], out, speaker="lea")
    field = FormField("people", "People", FieldKind.PEOPLE, max_length=20, value="<@ana> <@ben>")
    assert await chat.ask_field(field) == "<@ana> <@ben>"
    # Shown as people read them; kept as the markup the grammar resolves.
    assert "People (@names like @ana @ben, up to 20) [@Ana @Ben]" in out.getvalue()
