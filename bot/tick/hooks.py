"""Each ritual's tick hooks, run over the teams that run it: what opens with its prompts,
which of them have nothing to say, and what closes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.settings import RitualSettings
from rituals.core.spec import Ritual, registered
from rituals.core.tick import Candidate, Crew, Post

if TYPE_CHECKING:
    from rituals.core.spec import Settler


async def _settle(
    session: AsyncSession,
    hook: Settler,
    ritual: Ritual,
    fresh: list[Candidate],
    now: datetime,
) -> list[Candidate]:
    """The hook's say over its ritual's candidates, the others untouched and in order."""
    kinds = {p.kind for p in ritual.prompts}
    mine = [c for c in fresh if c.spec.kind in kinds]
    if not mine:
        return fresh
    kept = {c.key: c for c in await hook(session, mine, now)}
    return [
        kept[c.key] if c.spec.kind in kinds else c
        for c in fresh
        if c.key in kept or c.spec.kind not in kinds
    ]


async def open_and_skip(
    session: AsyncSession, fresh: list[Candidate], now: datetime
) -> list[Candidate]:
    """The candidates once each ritual opened what its prompts answer and skipped the prompts
    with nothing to say. Candidates exist only where the ritual is switched on."""
    for ritual in registered():
        for hook in (ritual.tick.open, ritual.tick.skip):
            if hook is not None:
                fresh = await _settle(session, hook, ritual, fresh, now)
    return fresh


async def close(
    session: AsyncSession, crews: Sequence[Crew], now: datetime, settings: RitualSettings
) -> list[Post]:
    """What each ritual closes now, on the teams that run it."""
    posts: list[Post] = []
    for ritual in registered():
        if ritual.tick.close is None:
            continue
        running = [c for c in crews if ritual.runs_for(c.rituals.enabled)]
        if running:
            posts += await ritual.tick.close(session, running, now, settings)
    return posts
