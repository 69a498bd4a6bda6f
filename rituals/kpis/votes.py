"""The team's vote on a proposed KPI: back it, or question it with a comment.

KPIs the team co-creates are the ones it will chase. One vote per person, changed by voting
again; a comment is said in the open, as a reply to the proposal's post (`in_thread`) when
the vote starts from it, because a question asked in front of the team is one the owner can
answer for everyone.
"""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import Field, StringConstraints

from rituals.core.command import CLEAN, Command, KpiRef
from rituals.core.context import Ctx
from rituals.core.messages import (
    Audience,
    FormRequest,
    Mention,
    Message,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.refusal import Refusal
from rituals.kpis.commands import EXCITES_QUESTION, describe_target, resolve_kpi
from rituals.kpis.store import tally, vote_of
from rituals.team.gate import on_team, switched_on
from storage.models import KpiStatus, KpiVote, Team

Comment = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500), CLEAN
]


class Stance(enum.StrEnum):
    BACK = "back"
    QUESTION = "question"


class VoteKpi(Command):
    kpi: KpiRef = Field(title="KPI")
    stance: Stance | None = Field(None, title="Back it, or question it?")
    comment: Comment | None = Field(
        None, title="Comment", description="said in the proposal's thread (optional)"
    )


async def vote(ctx: Ctx, cmd: VoteKpi) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "vote")
    if kpi.status is not KpiStatus.PROPOSED:
        raise Refusal(say(f"#{kpi.id} {kpi.name} is {kpi.status.value}; votes are for proposals."))
    team = await ctx.session.get(Team, kpi.team_id) if kpi.team_id is not None else None
    if not kpi.shared or team is None:
        raise Refusal(say(f"#{kpi.id} {kpi.name} was not put to a team's vote."))
    await switched_on(ctx, team)
    if not await on_team(ctx, team):
        raise Refusal(say(f"Only {team.name}'s people vote on its KPIs."))
    if cmd.stance is None:
        about = (
            f"#{kpi.id} {kpi.name}: {describe_target(kpi.target, kpi.unit, kpi.cadence)}. "
            f"{EXCITES_QUESTION} {kpi.excites}"
        )
        return [FormRequest("vote", {"kpi": str(kpi.id)}, about, required=("stance",))]
    row = await vote_of(ctx.session, kpi.id, ctx.actor.member_id)
    changed = row is not None
    if row is None:
        row = KpiVote(workspace_id=kpi.workspace_id, kpi_id=kpi.id, member_id=ctx.actor.member_id)
        ctx.session.add(row)
    row.backs = cmd.stance is Stance.BACK
    row.comment = cmd.comment
    row.voted_at = ctx.clock.now()
    await ctx.session.flush()
    said = await tally(ctx.session, kpi.id)
    stance = "back" if row.backs else "question"
    verb = "You now" if changed else "You"
    replies: list[Reply] = [say(f"{verb} {stance} #{kpi.id} {kpi.name}. The team so far: {said}.")]
    if cmd.comment and team.channel_id:
        voter = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
        replies.append(
            Message(
                (
                    Paragraph(
                        rich(voter, f" {'backs' if row.backs else 'questions'} it: ", cmd.comment)
                    ),
                ),
                audience=Audience.CHANNEL,
                channel_id=team.channel_id,
                in_thread=True,
            )
        )
    return replies
