"""The quarter's experiments in one post: once a quarter is over, at the team's check-in time
on the next one's first day, what each person tried with their budget and what came of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.budgets.store import RequestRow, quarters_requests
from rituals.core.amounts import show_amount
from rituals.core.dates import format_day
from rituals.core.messages import Block, Bullets, Heading, Mention, Note, Paragraph, Rich, rich
from rituals.core.periods import Period, describe_period, quarter_at
from rituals.core.settings import RitualSettings
from rituals.core.spec import RitualName, TickHooks
from rituals.core.tick import Crew, Post
from rituals.kpis.visibility import team_sees_numbers
from storage.outbox import queued_keys

# A quarter closed longer ago than this (the bot was down, the ritual only just switched on)
# gets no post: old news nobody expects.
STALE_NEWS = timedelta(days=14)


def post_key(team_id: int, quarter: str) -> str:
    return f"budget-quarter:{team_id}:{quarter}"


def _closed(crew: Crew, now: datetime) -> Period | None:
    """The quarter that ended for this team, once its post is due and not stale."""
    zone = ZoneInfo(crew.team.time_zone)
    this = quarter_at(now, crew.team.time_zone)
    hour, minute = (int(p) for p in crew.rituals.checkin_time.split(":"))
    due = datetime.combine(this.start, time(hour, minute), zone)
    if not due <= now < due + STALE_NEWS or crew.team.created_at >= due:
        return None
    return this.shifted(-1)


def quarter_blocks(
    team: str, quarter: Period, rows: Sequence[RequestRow], today: date
) -> tuple[Block, ...]:
    """The post: each experiment that had a budget, what it cost and what came of it. In the
    order they were asked, never ranked; a KPI's name only where the team may see it."""
    return (
        Heading(f"{team}'s experiments, {describe_period(quarter)}"),
        Paragraph(rich("What each of us tried with the experiment budget, and what came of it.")),
        Bullets(tuple(_item(r, today) for r in rows)),
        Note("Trying was the win, whatever the number did."),
    )


def _item(r: RequestRow, today: date) -> Rich:
    """One experiment; one whose look-back day has gone by without a result is said to wait
    for it, not to look back on a day already past."""
    req, exp = r.request, r.experiment
    on = f" (on {r.kpi.name})" if team_sees_numbers(r.kpi) else ""
    cost = req.spent if req.spent is not None else req.amount
    spent = "spent" if req.spent is not None else "approved"
    back = format_day(req.look_back, "en")
    if exp.result:
        came = f"What came of it: {exp.result}"
    elif req.look_back < today:
        came = f"Waiting for its result: it was to look back on {back}."
    else:
        came = f"Still running: it looks back on {back}."
    return rich(
        Mention(r.person.platform_user_id, r.person.display_name),
        f"{on}: {exp.hypothesis.rstrip('.')}. {show_amount(cost, req.unit)} {spent}. {came}",
    )


async def _close(
    session: AsyncSession, crews: Sequence[Crew], now: datetime, settings: RitualSettings
) -> list[Post]:
    ending = {}
    for crew in crews:
        quarter = _closed(crew, now)
        if quarter is not None:
            ending[post_key(crew.team.id, quarter.name)] = (crew, quarter)
    fresh = {k: v for k, v in ending.items() if k not in await queued_keys(session, set(ending))}
    rows = await quarters_requests(session, {(c.team.id, q.name) for c, q in fresh.values()})
    posts = []
    for key, (crew, quarter) in fresh.items():
        mine = [
            r
            for r in rows
            if r.request.team_id == crew.team.id and r.request.quarter == quarter.name
        ]
        if mine:
            today = now.astimezone(ZoneInfo(crew.team.time_zone)).date()
            blocks = quarter_blocks(crew.team.name, quarter, mine, today)
            posts.append(Post(crew.team, key, RitualName.EXPERIMENT_BUDGET, blocks))
    return posts


TICK = TickHooks(close=_close)
