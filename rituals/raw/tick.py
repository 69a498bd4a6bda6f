"""What the tick does for KPI Raw: on the team's day and time, this week's issue to the team's
channel (to its lead without one), once per team and week, every team's content loaded in a
constant number of statements."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.settings import WEEKDAYS, RitualSettings, TeamRituals
from rituals.core.spec import PromptKind, TickHooks
from rituals.core.tick import Crew, Post
from rituals.raw.issue import compose, covered_week
from rituals.raw.store import Week, Window, weeks
from storage.outbox import queued_keys

# An issue the bot could not post on time (it was down) still goes out this late, not later:
# last week's news a day late is news; a week late it is noise.
GRACE = timedelta(hours=24)
WEEK = timedelta(days=7)


def issue_moment(rituals: TeamRituals, zone: str, now: datetime) -> datetime:
    """This local week's issue moment: the team's raw day and time, in the team's zone."""
    local = now.astimezone(ZoneInfo(zone))
    monday = local.date() - timedelta(days=local.weekday())
    day = monday + timedelta(days=WEEKDAYS.index(rituals.raw_day))
    return datetime.combine(day, time.fromisoformat(rituals.raw_time), ZoneInfo(zone))


def issue_key(team_id: int, moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"raw:{team_id}:{year}-W{week:02d}"


async def _post_issues(
    session: AsyncSession, crews: Sequence[Crew], now: datetime, settings: RitualSettings
) -> list[Post]:
    """This week's issue for each team whose moment has come (within the grace)."""
    due: dict[str, tuple[Crew, datetime]] = {}
    for crew in crews:
        moment = issue_moment(crew.rituals, crew.team.time_zone, now)
        if moment <= now < moment + GRACE and crew.team.created_at < moment:
            due[issue_key(crew.team.id, moment)] = (crew, moment)
    if not due:
        return []
    sent = await queued_keys(session, set(due))
    waiting = {key: found for key, found in due.items() if key not in sent}
    windows = [Window(c.team.id, m - WEEK, m) for c, m in waiting.values()]
    content = await weeks(session, windows)
    # Written in one worker thread: the pictures are CPU work that must not hold the loop
    # (and Slack's acks) for the length of a thousand teams.
    return await asyncio.to_thread(_write, waiting, content)


def _write(waiting: dict[str, tuple[Crew, datetime]], content: dict[int, Week]) -> list[Post]:
    posts = []
    for key, (crew, moment) in waiting.items():
        window = Window(crew.team.id, moment - WEEK, moment)
        threshold = crew.rituals.decline_threshold_percent
        name = covered_week(moment)
        blocks = compose(crew.team.name, name, content[crew.team.id], window, threshold)
        posts.append(Post(crew.team, key, PromptKind.RAW, blocks))
    return posts


TICK = TickHooks(close=_post_issues)
