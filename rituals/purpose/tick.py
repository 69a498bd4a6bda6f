"""What the tick does for the purpose workshop: post its answers at its deadline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.settings import RitualSettings
from rituals.core.spec import RitualName, TickHooks
from rituals.core.tick import Crew, Post
from rituals.purpose.commands import post_blocks
from rituals.purpose.store import answers_to, closing_purposes


async def _close(
    session: AsyncSession, crews: Sequence[Crew], now: datetime, settings: RitualSettings
) -> list[Post]:
    """Every team's workshop whose deadline passed, whichever rituals the team runs: one
    left open would block the next."""
    teams = {c.team.id: c.team for c in crews}
    posts = []
    for purpose in await closing_purposes(session, list(teams), now):
        team = teams[purpose.team_id]
        answers = await answers_to(session, purpose.id)
        blocks = tuple(post_blocks(team.name, purpose.text, answers))
        posts.append(Post(team, f"purpose:{purpose.id}", RitualName.PURPOSE, blocks))
        purpose.posted_at = now
    return posts


TICK = TickHooks(close=_close)
