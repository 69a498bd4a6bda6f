"""KPI Raw's commands: preview this week's issue, keep your numbers out (or back in), see when
it goes out, and (the lead) move it to another day and time."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

from pydantic import Field

from rituals.core.command import Command, Name
from rituals.core.context import Ctx
from rituals.core.dates import team_moment
from rituals.core.messages import Code, Heading, Message, Note, Reply, say
from rituals.core.refusal import Refusal
from rituals.core.settings import Day
from rituals.core.when import read_clock
from rituals.raw.issue import compose, covered_week
from rituals.raw.store import Window, kept_out, weeks
from rituals.raw.tick import WEEK, issue_moment
from rituals.team.gate import team_gate
from rituals.team.teams import TEAM, save_rituals, team_rituals
from storage.models import RawOptOut, Team

OUT = (
    "Your numbers are kept out of KPI Raw: no value, note or fall of your KPIs appears in it, "
    "whatever your team may see elsewhere. `raw in` lets them back in."
)
IN = (
    "Your numbers may appear in KPI Raw{again}: only KPIs you share with your team, with your "
    "context notes. `raw out` keeps them out."
)


class PreviewRaw(Command):
    team: Name | None = TEAM


class ShowRaw(Command):
    team: Name | None = TEAM


class KeepOut(Command):
    pass


class LetIn(Command):
    pass


class MoveRaw(Command):
    day: Day | None = Field(None, title="Day", description="mon to sun")
    time: str | None = Field(None, title="Time", description="24-hour HH:MM, like 16:00")
    team: Name | None = TEAM


def _next_issue(ctx: Ctx, team: Team) -> str:
    rituals = team_rituals(ctx, team)
    now = ctx.clock.now()
    moment = issue_moment(rituals, team.time_zone, now)
    if moment <= now:  # this week's has gone (or is going) out: the next one
        moment = issue_moment(rituals, team.time_zone, now + WEEK)
    return team_moment(moment, team.time_zone)


async def preview(ctx: Ctx, cmd: PreviewRaw) -> list[Reply]:
    """This week's issue as the team would read it if it went out now: the last seven days."""
    team = await team_gate(ctx, cmd.team, members_only="preview its KPI Raw")
    now = ctx.clock.now()
    # Up to this moment, what was said this very second included.
    window = Window(team.id, now - WEEK, now + timedelta(seconds=1))
    content = (await weeks(ctx.session, [window]))[team.id]
    rituals = team_rituals(ctx, team)
    name = covered_week(now.astimezone(ZoneInfo(team.time_zone)))
    blocks = await asyncio.to_thread(
        compose, team.name, name, content, window, rituals.decline_threshold_percent
    )
    return [
        Message(
            (
                Heading(f"Preview of KPI Raw for {team.name} (only you see this)"),
                *blocks,
                Note(f"The real issue goes to the team {_next_issue(ctx, team)}."),
            )
        )
    ]


async def show(ctx: Ctx, cmd: ShowRaw) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="read its KPI Raw")
    out = await kept_out(ctx.session, ctx.actor.workspace_id, ctx.actor.member_id)
    mine = OUT if out else IN.format(again="")
    return [
        say(
            f"KPI Raw goes to {team.name} {_next_issue(ctx, team)}. {mine} See it now: ",
            Code("raw preview"),
            ".",
        )
    ]


async def keep_out(ctx: Ctx, cmd: KeepOut) -> list[Reply]:
    if await kept_out(ctx.session, ctx.actor.workspace_id, ctx.actor.member_id) is None:
        ctx.session.add(
            RawOptOut(
                workspace_id=ctx.actor.workspace_id,
                member_id=ctx.actor.member_id,
                created_at=ctx.clock.now(),
            )
        )
        await ctx.session.flush()
    return [say(OUT)]


async def let_in(ctx: Ctx, cmd: LetIn) -> list[Reply]:
    found = await kept_out(ctx.session, ctx.actor.workspace_id, ctx.actor.member_id)
    if found is not None:
        await ctx.session.delete(found)
        await ctx.session.flush()
    return [say(IN.format(again="" if found is None else " again"))]


async def move(ctx: Ctx, cmd: MoveRaw) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="move its KPI Raw")
    if cmd.day is None or cmd.time is None:
        raise Refusal(
            say(
                "Say the day and the time it goes out, like ",
                Code("raw when fri 16:00"),
                " (a day mon to sun, a 24-hour time).",
            )
        )
    try:
        clock = read_clock(cmd.time)
    except ValueError as exc:
        raise Refusal(
            say(f"Nothing was changed: {exc}. For example ", Code("raw when fri 16:00"), ".")
        ) from None
    await save_rituals(ctx, team, {"raw_day": cmd.day.value, "raw_time": clock})
    return [say(f"KPI Raw now goes to {team.name} {_next_issue(ctx, team)}, and every week on.")]
