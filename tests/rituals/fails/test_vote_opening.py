"""One moment for the Fail of the Month vote: it opens at check-in time on the first of its
days, each person's own time, when their ballot comes; the nomination reply, `settings`,
`home` and the vote command all say so, and a vote before one's ballot is refused with when it
opens. The team is in UTC, Ana in New York."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.dispatch import Dispatcher
from bot.grammar import build_grammar
from storage.models import Member, Role
from tests.scheduling import LONG_AGO, Someone, outbox, planner, seed_team
from tests.support import Chat, MovingClock

ANA_DID = "promised a launch date without asking the team"
ANA_LEARNED = "I ask the team before I promise any date"
BEN_DID = "sent the renewal quote to the wrong client"
BEN_LEARNED = "I built a two-step check we all use now"


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=UTC)


def story_id(said: str) -> int:
    found = re.search(r"#(\d+)", said)
    assert found is not None, said
    return int(found.group(1))


def nominate(did: str, learned: str) -> str:
    return f'fail nominate me "{did}" learned "{learned}"'


async def _growth(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Growth in UTC with Fail of the Month on: lead Lea, members Ana (in New York) and Ben."""
    async with sessions() as session, session.begin():
        people = [Someone("lea", role=Role.LEAD), Someone("ana", "America/New_York")]
        team = await seed_team(
            session, [*people, Someone("ben")], settings={"enabled": ["fail_of_month"]}
        )
        team.created_at = at("2026-11-15 09:00")
        await session.execute(update(Member).values(welcomed_at=LONG_AGO))


async def _ballots_to(sessions: async_sessionmaker[AsyncSession]) -> set[str]:
    return {r.target for r in await outbox(sessions) if r.ritual == "fail_of_month"}


async def test_the_vote_opens_when_each_persons_ballot_comes_and_every_reply_says_so(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig
) -> None:
    await _growth(sessions)
    clock = MovingClock(at("2026-12-10 16:00"))
    chat = Chat(Dispatcher(sessions, build_grammar("/kpi"), clock, config))
    tick = planner(sessions, config)

    assert "opens for the last 3 days of each month, at 10:00" in await chat.text("lea", "settings")
    said = await chat.text("ana", nominate(ANA_DID, ANA_LEARNED))
    assert "The vote opens Tuesday 29 December 2026 at 10:00 (America/New_York)" in said
    ana_story = story_id(said)
    said = await chat.text("ben", nominate(BEN_DID, BEN_LEARNED))
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
    assert "ben" in await _ballots_to(sessions)
    assert "Voted for Ana's story" in await chat.text("ben", f"fail vote {ana_story}")

    # Ana's comes at 10:00 in New York (15:00 UTC), not when the vote opened in UTC.
    said = await chat.text("ana", f"fail vote {ben_story}")
    assert "opens Tuesday 29 December 2026 at 10:00 (America/New_York)" in said
    assert "ana" not in await _ballots_to(sessions)
    clock.move_to(at("2026-12-29 15:00"))
    await tick.tick(clock.now())
    assert "ana" in await _ballots_to(sessions)
    assert "Voted for Ben's story" in await chat.text("ana", f"fail vote {ben_story}")
