"""What is in a member's way this week: an obstacle raised for their lead, or nothing at all.

Either is an answer to the week's check-in. An obstacle reaches the team's lead at once, with a
button to answer it with a commitment (`rituals.checkins.commitments`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from rituals.checkins.store import answer_of_week, clear_nothing
from rituals.core.command import CLEAN, Command, KpiRef, Name
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Audience,
    Button,
    ButtonStyle,
    Code,
    Mention,
    Message,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.people import local_today
from rituals.core.schedule import week_name
from rituals.kpis.commands import resolve_kpi
from rituals.team.gate import team_gate
from rituals.team.teams import TEAM, mention
from storage.models import Member, Obstacle, Role, Team
from storage.teams import roster

ASK = "What's in your way this week?"

ObstacleText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000), CLEAN
]


class RaiseObstacle(Command):
    text: ObstacleText = Field(
        title=ASK, description="a story, not a slide: what blocks you, and since when"
    )
    kpi: KpiRef | None = Field(None, title="KPI it blocks", description="its number or name")
    team: Name | None = TEAM


class NothingInTheWay(Command):
    team: Name | None = TEAM


async def _lead_of(ctx: Ctx, team: Team) -> Member | None:
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    return next((s.member for s in seats if s.role is Role.LEAD), None)


async def raise_obstacle(ctx: Ctx, cmd: RaiseObstacle) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="raise obstacles in its check-in")
    kpi_id = None
    if cmd.kpi is not None:
        kpi_id = (await resolve_kpi(ctx, cmd.kpi, f'obstacle "{cmd.text[:200]}" kpi')).id
    week = week_name(await local_today(ctx))
    await clear_nothing(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id, week)
    obstacle = Obstacle(
        workspace_id=ctx.actor.workspace_id,
        team_id=team.id,
        member_id=ctx.actor.member_id,
        week=week,
        text=cmd.text,
        kpi_id=kpi_id,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(obstacle)
    await ctx.session.flush()
    lead = await _lead_of(ctx, team)
    if lead is None or lead.id == ctx.actor.member_id:
        return [
            say(
                f"Saved as obstacle #{obstacle.id} for {team.name}. ",
                "The team has no other lead to answer it, so it waits in ",
                Code(f'digest in "{team.name}"'),
                ".",
            )
        ]
    replies: list[Reply] = [
        say(
            f"Saved as obstacle #{obstacle.id}. ",
            mention(lead),
            " answers each obstacle with a commitment: an action, an owner and a due date. "
            "You will hear what was committed.",
        )
    ]
    replies.append(_obstacle_to_lead(ctx, lead, obstacle, team))
    return replies


def _obstacle_to_lead(ctx: Ctx, lead: Member, obstacle: Obstacle, team: Team) -> Message:
    asker = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
    return Message(
        (
            Paragraph(rich(asker, f" raised an obstacle in {team.name} (#{obstacle.id}): ")),
            Paragraph(rich(obstacle.text or "")),
            Actions(
                (Button("Commit to clearing it", f"commit {obstacle.id}", ButtonStyle.PRIMARY),)
            ),
        ),
        audience=Audience.DM,
        to=mention(lead),
    )


async def nothing(ctx: Ctx, cmd: NothingInTheWay) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="answer its check-in")
    week = week_name(await local_today(ctx))
    answers = await answer_of_week(
        ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id, week
    )
    if any(a.text for a in answers):
        return [
            say(
                f"You raised {len([a for a in answers if a.text])} obstacle(s) this week already; "
                "they stay until they are answered."
            )
        ]
    if not answers:
        ctx.session.add(
            Obstacle(
                workspace_id=ctx.actor.workspace_id,
                team_id=team.id,
                member_id=ctx.actor.member_id,
                week=week,
                text=None,
                created_at=ctx.clock.now(),
            )
        )
        await ctx.session.flush()
    return [
        say(
            f"Noted: nothing in your way this week in {team.name}. If something comes up, ",
            Code("obstacle <what is in your way>"),
            " any time.",
        )
    ]
