"""One moment for the Fail of the Month vote: it opens at check-in time on the first of its
days, each person's own time, when their ballot comes; the nomination reply, `settings`,
`home` and the vote command all say so, and a vote before one's ballot is refused with when it
opens. The team is in UTC, Ana in New York."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from storage.models import Member
from tests.scheduling import planner
from tests.support import MovingClock
from tests.test_fail_of_the_month import (
    ANA_DID,
    ANA_LEARNED,
    BEN_DID,
    BEN_LEARNED,
    _chat,
    _fail_rows,
    _growth,
    at,
    nominate,
    story_id,
)


async def test_the_vote_opens_when_each_persons_ballot_comes_and_every_reply_says_so(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _growth(sessions)
    async with sessions() as session, session.begin():
        await session.execute(
            update(Member)
            .where(Member.platform_user_id == "ana")
            .values(time_zone="America/New_York")
        )
    clock = MovingClock(at("2026-12-10 16:00"))
    chat = _chat(sessions, config, clock)
    tick = planner(sessions, config)

    assert "opens for the last 3 days of each month, at 10:00" in await chat.text("lea", "settings")
    said = await chat.text("ana", nominate("me", ANA_DID, ANA_LEARNED))
    assert "The vote opens Tuesday 29 December 2026 at 10:00 (America/New_York)" in said
    ana_story = story_id(said)
    said = await chat.text("ben", nominate("me", BEN_DID, BEN_LEARNED))
    assert "The vote opens Tuesday 29 December 2026 at 10:00 (UTC)" in said
    ben_story = story_id(said)
    home = await chat.text("ana", "home")
    assert "Fail of the Month" in home
    assert "10:00" in home.split("Fail of the Month")[-1]

    # Ben's ballot comes at 10:00 UTC: a minute before, his vote waits for it.
    clock.move_to(at("2026-12-29 09:59"))
    said = await chat.text("ben", f"fail vote {ana_story}")
    assert "opens Tuesday 29 December 2026 at 10:00 (UTC), when your ballot comes" in said
    clock.move_to(at("2026-12-29 10:00"))
    await tick.tick(clock.now())
    assert "ben" in {r.target for r in await _fail_rows(sessions)}
    assert "Voted for Ana's story" in await chat.text("ben", f"fail vote {ana_story}")

    # Ana's comes at 10:00 in New York (15:00 UTC), not when the vote opened in UTC.
    said = await chat.text("ana", f"fail vote {ben_story}")
    assert "opens Tuesday 29 December 2026 at 10:00 (America/New_York)" in said
    assert "ana" not in {r.target for r in await _fail_rows(sessions)}
    clock.move_to(at("2026-12-29 15:00"))
    await tick.tick(clock.now())
    assert "ana" in {r.target for r in await _fail_rows(sessions)}
    assert "Voted for Ben's story" in await chat.text("ana", f"fail vote {ben_story}")
