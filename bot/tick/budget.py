"""The weekly budget: how many unprompted DMs a person gets, and which prompts go alone."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.tick.calendar import Calendar
from bot.tick.report import TickReport
from rituals.core.tick import Candidate
from storage.outbox import budget_used


async def groups(
    session: AsyncSession,
    due: list[Candidate],
    budget: int,
    calendar: Calendar,
    now: datetime,
    report: TickReport,
) -> list[list[Candidate]]:
    """Prompts per person within their weekly budget: the most important alone, the rest
    merged into one message, and none at all once the budget is spent (they wait).

    A prompt its spec leaves out of the budget (a lead's digest) goes alone, always.
    """
    out: list[list[Candidate]] = [[c] for c in due if not c.spec.budgeted]
    by_person: dict[int, list[Candidate]] = defaultdict(list)
    for c in due:
        if c.spec.budgeted:
            by_person[c.seat.member_id].append(c)
    weeks = {calendar.budget_week(cs[0].seat.time_zone, now) for cs in by_person.values()}
    used = await budget_used(session, weeks)
    for member_id, cs in by_person.items():
        week = calendar.budget_week(cs[0].seat.time_zone, now)
        left = budget - used.get((member_id, week), 0)
        if left <= 0:
            report.held += len(cs)
            continue
        cs.sort(key=lambda c: (c.prompt.priority, c.key))
        if len(cs) <= left:
            out += [[c] for c in cs]
        else:
            out += [[c] for c in cs[: left - 1]] + [cs[left - 1 :]]
    return out
