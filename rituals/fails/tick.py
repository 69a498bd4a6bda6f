"""What the tick does for the Fail of the Month beyond its ballot: close last month's vote
once its time is up, and post the trophy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.settings import RitualSettings
from rituals.core.spec import PromptKind, TickHooks
from rituals.core.tick import Crew, Post
from rituals.fails.commands import Vote, closing_blocks, month_of, previous_month, vote_of
from rituals.fails.store import close_month, closed_among
from storage.outbox import prompted

# A month's Fail of the Month closed longer ago than this (the bot was down, or the ritual was
# only just switched on) is archived without a post.
STALE_NEWS = timedelta(days=7)


async def _close(
    session: AsyncSession, crews: Sequence[Crew], now: datetime, settings: RitualSettings
) -> list[Post]:
    """Last month's Fail of the Month, once its vote closed: votes counted into the stories,
    who voted for whom forgotten, the month archived, and the trophy posted."""
    ending: dict[tuple[int, str], tuple[Crew, Vote]] = {}
    for crew in crews:
        team = crew.team
        this = month_of(now, team.time_zone)
        vote = vote_of(previous_month(this), crew.rituals, team.time_zone)
        if vote.closes <= now and team.created_at < vote.closes:
            ending[(team.id, vote.month)] = (crew, vote)
    done = await closed_among(session, set(ending))
    asked = await prompted(session, PromptKind.FAIL_OF_MONTH, set(ending) - done)
    posts = []
    for (team_id, month), (crew, vote) in ending.items():
        if (team_id, month) in done:
            continue
        team = crew.team
        winners = await close_month(session, team.workspace_id, team.id, month, now)
        if winners is None:
            continue
        if now - vote.closes > STALE_NEWS:
            continue  # archived all the same; a trophy a week late is news nobody expects
        if not winners and (team_id, month) not in asked:
            continue  # no vote was ever asked for (switched on since): nothing to invite to
        blocks = tuple(closing_blocks(team.name, vote, winners))
        posts.append(Post(team, f"fail-month:{team.id}:{month}", PromptKind.FAIL_OF_MONTH, blocks))
    return posts


TICK = TickHooks(close=_close)
