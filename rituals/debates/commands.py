"""Starting a Servant vs Scorekeeper debate, volunteering for one, and the team's list.

The lead names a KPI and a question; the bot pairs the KPI's sharpest critic (a volunteer,
else who questioned it in the vote) with its most empathetic advocate (a volunteer, else who
backed it) and asks both privately. Pulse answers are anonymous by design (only counts are
stored), so a low pulse can never single anyone out as a critic: people volunteer instead.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints
from sqlalchemy import select

from rituals.core.command import CLEAN, ONE_LINE, Command, KpiRef, Name
from rituals.core.context import Ctx
from rituals.core.dates import team_moment
from rituals.core.messages import (
    Audience,
    Bullets,
    Code,
    Heading,
    Message,
    Note,
    Reply,
    rich,
    say,
)
from rituals.core.refusal import Refusal
from rituals.debates.store import candidates, debates_of_team, open_debate_on, seats_of
from rituals.debates.words import SIDES, TITLE, invitation
from rituals.kpis.commands import resolve_kpi
from rituals.team.gate import team_gate
from rituals.team.teams import TEAM, mention
from storage.models import (
    Debate,
    DebateSeat,
    DebateVolunteer,
    Kpi,
    KpiStatus,
    Member,
    SeatAnswer,
    Side,
    Team,
)
from storage.teams import membership

Question = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=8, max_length=300), CLEAN, ONE_LINE
]
LEAD_ONLY = "start a Servant vs Scorekeeper debate"
NOBODY = {
    Side.CRITIC: "Nobody on {team} has questioned {kpi} in its vote or volunteered as its critic",
    Side.ADVOCATE: "Nobody on {team} has backed {kpi} in its vote or volunteered as its advocate",
}


class StartDebate(Command):
    kpi: KpiRef = Field(title="KPI")
    question: Question | None = Field(
        None, title="The question", description='like "Should we keep calls per day?"'
    )
    team: Name | None = TEAM


class Volunteer(Command):
    kpi: KpiRef = Field(title="KPI")
    side: Side = Field(title="Side", description="critic or advocate")
    team: Name | None = TEAM


class ListDebates(Command):
    team: Name | None = TEAM


async def team_kpi(ctx: Ctx, team: Team, kpi: Kpi) -> None:
    """Refuse a KPI that is not a live one of someone on the team."""
    if kpi.status is KpiStatus.RETIRED:
        raise Refusal(say(f"#{kpi.id} {kpi.name} is retired; there is nothing left to decide."))
    if await membership(ctx.session, ctx.actor.workspace_id, team.id, kpi.owner_id) is None:
        raise Refusal(say(f"#{kpi.id} {kpi.name} is not a KPI of anyone on {team.name}."))


async def ask(ctx: Ctx, debate: Debate, kpi: Kpi, team: Team, side: Side, who: Member) -> Message:
    """A seat for this person on this side, and the private question to them."""
    ctx.session.add(
        DebateSeat(
            workspace_id=debate.workspace_id,
            debate_id=debate.id,
            member_id=who.id,
            side=side,
            answer=SeatAnswer.ASKED,
            asked_at=ctx.clock.now(),
        )
    )
    lead = await ctx.session.get(Member, debate.started_by_id) if debate.started_by_id else None
    by = lead.display_name if lead is not None else f"{team.name}'s lead"
    blocks = invitation(debate, kpi.name, side, by, team.name)
    return Message(tuple(blocks), audience=Audience.DM, to=mention(who))


async def start(ctx: Ctx, cmd: StartDebate) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only=LEAD_ONLY)
    kpi = await resolve_kpi(ctx, cmd.kpi, "debate start")
    await team_kpi(ctx, team, kpi)
    running = await open_debate_on(ctx.session, team.id, kpi.id)
    if running is not None:
        raise Refusal(
            say(f"{team.name} already has a debate on {kpi.name} under way: ", Code("debates"), ".")
        )
    critics = await candidates(ctx.session, team.workspace_id, team.id, kpi.id, Side.CRITIC)
    advocates = await candidates(ctx.session, team.workspace_id, team.id, kpi.id, Side.ADVOCATE)
    critic = critics[0] if critics else None
    advocate = next((m for m in advocates if critic is None or m.id != critic.id), None)
    for side, found in ((Side.CRITIC, critic), (Side.ADVOCATE, advocate)):
        if found is None:
            raise Refusal(
                say(
                    NOBODY[side].format(team=team.name, kpi=kpi.name),
                    ", so there is no pair yet. Ask the team to offer: ",
                    Code(f"debate volunteer {kpi.id} {SIDES[side]}"),
                    ".",
                )
            )
    assert critic is not None
    assert advocate is not None
    debate = Debate(
        workspace_id=team.workspace_id,
        team_id=team.id,
        kpi_id=kpi.id,
        question=cmd.question or f"Should we keep {kpi.name}?",
        started_by_id=ctx.actor.member_id,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(debate)
    await ctx.session.flush()
    invites = [
        await ask(ctx, debate, kpi, team, Side.CRITIC, critic),
        await ask(ctx, debate, kpi, team, Side.ADVOCATE, advocate),
    ]
    await ctx.session.flush()
    answer = say(
        f"Debate #{debate.id} on {kpi.name}: {debate.question} The bot asked its sharpest "
        "critic and its most empathetic advocate, privately, whether they will argue. You "
        "hear when both agreed, and it is set for the team's next meeting.",
        note="Who was asked stays private until both say yes; a pass is never told.",
    )
    return [answer, *invites]


async def volunteer(ctx: Ctx, cmd: Volunteer) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="volunteer for its debates")
    kpi = await resolve_kpi(ctx, cmd.kpi, "debate volunteer")
    await team_kpi(ctx, team, kpi)
    row = await ctx.session.scalar(
        select(DebateVolunteer).where(
            DebateVolunteer.kpi_id == kpi.id, DebateVolunteer.member_id == ctx.actor.member_id
        )
    )
    if row is None:
        row = DebateVolunteer(
            workspace_id=kpi.workspace_id,
            kpi_id=kpi.id,
            member_id=ctx.actor.member_id,
            created_at=ctx.clock.now(),
        )
        ctx.session.add(row)
    row.side = cmd.side
    await ctx.session.flush()
    replies: list[Reply] = [
        say(
            f"Noted: you offer to argue as {kpi.name}'s {SIDES[cmd.side]} when {team.name} "
            "debates it. Volunteers are asked first."
        )
    ]
    waiting = await open_debate_on(ctx.session, team.id, kpi.id)
    if waiting is not None and waiting.slot_at is None:
        seats = await seats_of(ctx.session, waiting.id)
        taken = any(s.side is cmd.side and s.answer is not SeatAnswer.NO for s, _ in seats)
        if not taken and all(m.id != ctx.actor.member_id for _, m in seats):
            me = await ctx.session.get(Member, ctx.actor.member_id)
            assert me is not None
            replies.append(await ask(ctx, waiting, kpi, team, cmd.side, me))
            await ctx.session.flush()
    return replies


async def list_debates(ctx: Ctx, cmd: ListDebates) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="see its debates")
    found = await debates_of_team(ctx.session, team.id)
    if not found:
        return [
            say(
                f"{team.name} has had no {TITLE} debate yet. Its lead starts one: ",
                Code('debate start <kpi> "Should we keep it?"'),
            )
        ]
    lines = []
    for debate, kpi in found:
        if debate.decision is not None:
            state = f"decided: {debate.decision.value}" + (
                f" ({debate.decision_why})" if debate.decision_why else ""
            )
        elif debate.slot_at is not None:
            state = f"at the team meeting {team_moment(debate.slot_at, team.time_zone)}"
        else:
            state = "waiting for a critic and an advocate to agree"
        lines.append(rich(f"#{debate.id} {kpi}: {debate.question} ({state})"))
    return [
        Message(
            (
                Heading(f"{TITLE} debates: {team.name}"),
                Bullets(tuple(lines)),
                Note("Decisions go to the quarterly review of each KPI."),
            )
        )
    ]
