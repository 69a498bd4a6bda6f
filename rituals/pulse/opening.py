"""A lead opens the tension pulse for their team: every active person is asked by DM.

It runs only when the team has at least as many people as answers its results need, so that
nobody's answer can be singled out; the scheduler opens the same pulse on the team's cadence.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from rituals.checkins.commands import read_due
from rituals.core.context import Ctx
from rituals.core.dates import format_day, team_moment
from rituals.core.messages import Audience, Code, Message, Reply, counted, say
from rituals.core.people import local_today
from rituals.core.refusal import Refusal
from rituals.kpis.commands import resolve_kpi
from rituals.pulse.commands import (
    LONGEST_DAYS,
    OPEN_DAYS,
    OUR_KPIS,
    StartPulse,
    answer_blocks,
    closing_time,
    question,
)
from rituals.pulse.store import new_pulse, open_pulse
from rituals.team.gate import team_gate
from rituals.team.teams import mention, team_rituals
from storage.models import Kpi, KpiStatus, Team
from storage.teams import membership, roster


async def start(ctx: Ctx, cmd: StartPulse) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="start its tension pulse")
    running = await open_pulse(ctx.session, team.id)
    if running is not None:
        raise Refusal(
            say(
                f"{team.name}'s pulse is open until "
                f"{team_moment(running.closes_at, team.time_zone)}. ",
                Code("pulse close"),
                " shows its results once enough have answered.",
            )
        )
    about = OUR_KPIS
    kpi_id = None
    if cmd.kpi is not None:
        kpi = await resolve_kpi(ctx, cmd.kpi, "pulse start")
        if not await _teams_kpi(ctx, kpi, team):
            raise Refusal(
                say(
                    f"#{kpi.id} {kpi.name} is not {team.name}'s KPI; ask {team.name} about one "
                    "of its own, or about all of them: ",
                    Code("pulse start"),
                )
            )
        if kpi.status is not KpiStatus.ACTIVE:
            raise Refusal(
                say(f"#{kpi.id} {kpi.name} is {kpi.status.value}; ask about an active KPI.")
            )
        about, kpi_id = kpi.name, kpi.id
    # The day is read in the team's zone, where the pulse closes (at its check-in time): read
    # in a lead's zone behind the team's, "tomorrow" could close before it opened.
    today = ctx.clock.now().astimezone(ZoneInfo(team.time_zone)).date()
    try:
        day = read_due(cmd.until, today) if cmd.until else today + timedelta(days=OPEN_DAYS)
    except ValueError as exc:
        raise Refusal(say(f"Answers until: {exc}.")) from None
    if not today < day <= today + timedelta(days=LONGEST_DAYS):
        where = "" if today == await local_today(ctx) else f" (in {team.time_zone})"
        raise Refusal(
            say(
                f"Answers until: give a day after today{where}, {format_day(today, 'en')}, and "
                f"within {LONGEST_DAYS} days."
            )
        )
    rituals = team_rituals(ctx, team)
    people = [
        s.member
        for s in await roster(ctx.session, ctx.actor.workspace_id, team.id)
        if s.member.is_active
    ]
    if len(people) < rituals.pulse_threshold:
        raise Refusal(
            say(
                f"{team.name} has {len(people)} people, and results show only once "
                f"{rituals.pulse_threshold} have answered, so nobody's answer can be singled "
                "out. With a bigger team, or a lower threshold (3 at least), it can run: ",
                Code("settings set pulse 3"),
            )
        )
    now = ctx.clock.now()
    pulse = new_pulse(
        ctx.actor.workspace_id,
        team.id,
        question(about),
        rituals.pulse_threshold,
        now,
        closing_time(day, team.time_zone, rituals.checkin_time),
        kpi_id=kpi_id,
        started_by_id=ctx.actor.member_id,
    )
    ctx.session.add(pulse)
    await ctx.session.flush()
    # The lead too, by DM: their answer counts like anyone's, and is as anonymous.
    ask = tuple(answer_blocks(pulse, team.name, team.time_zone))
    asks: list[Reply] = [
        Message(ask, audience=Audience.DM, to=mention(person)) for person in people
    ]
    # An admin who is not on the team starts it for the team, and is not asked.
    included = ", you included" if any(p.id == ctx.actor.member_id for p in people) else ""
    when = team_moment(pulse.closes_at, team.time_zone)
    return [
        say(
            f"Asked {counted(len(asks), 'person', 'people')} on {team.name}{included}: "
            f"{pulse.question} Results go to the team {when}, if at least "
            f"{pulse.threshold} answered."
        ),
        *asks,
    ]


async def _teams_kpi(ctx: Ctx, kpi: Kpi, team: Team) -> bool:
    """The KPI is the team's: made on it, or (made by someone on several teams) owned by one
    of its people. Another team's KPI is not this team's to ask about, nor to name to it."""
    if kpi.team_id is not None:
        return kpi.team_id == team.id
    return await membership(ctx.session, ctx.actor.workspace_id, team.id, kpi.owner_id) is not None
