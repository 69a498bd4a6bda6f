"""Proposing a KPI: for yourself or a teammate, agreed by its owner, within the cap, and put
to the team's vote once the proposer says what excites them about it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Audience,
    Bullets,
    Button,
    ButtonStyle,
    Fields,
    Heading,
    Mention,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.people import actor_member, resolve_person
from rituals.core.permissions import may_propose_for
from rituals.core.refusal import Refusal
from rituals.kpis.commands import (
    EXCITES_QUESTION,
    AcceptKpi,
    ProposeKpi,
    agreed_kpis,
    card,
    describe_target,
    find_effort_term,
    next_steps,
    one_line,
    owner_of,
    resolve_kpi,
)
from rituals.kpis.direction import infer_direction
from rituals.kpis.store import live_kpis_of
from storage.models import Kpi, KpiStatus, Member, Team
from storage.teams import roster, team_ids_of


async def propose(ctx: Ctx, cmd: ProposeKpi) -> list[Reply]:
    owner = await actor_member(ctx) if cmd.owner is None else await resolve_person(ctx, cmd.owner)
    mine = owner.id == ctx.actor.member_id
    if not await may_propose_for(ctx, owner.id):
        raise Refusal(
            say(
                "You can propose KPIs for people on your teams; "
                f"{owner.display_name} is not on one with you."
            )
        )
    live = await live_kpis_of(ctx.session, ctx.actor.workspace_id, owner.id)
    same = [k for k in live if k.name.lower() == cmd.name.lower()]
    if same:
        raise Refusal(
            say(f"{owner.display_name} already has {one_line(same[0])}. Pick another name.")
        )
    # Only what the owner agreed to counts toward their cap; a proposal for them waits.
    if mine:
        refuse_over_cap(ctx, owner, live)
    team_ids = await team_ids_of(ctx.session, ctx.actor.workspace_id, owner.id)
    now = ctx.clock.now()
    kpi = Kpi(
        workspace_id=ctx.actor.workspace_id,
        team_id=team_ids[0] if len(team_ids) == 1 else None,
        owner_id=owner.id,
        proposed_by_id=ctx.actor.member_id,
        name=cmd.name,
        unit=cmd.unit,
        target=cmd.target,
        cadence=cmd.cadence,
        direction=infer_direction(cmd.name, cmd.unit, ctx.settings.kpis),
        status=KpiStatus.PROPOSED,
        excites=cmd.why,
        growth_goal=cmd.growth,
        effort_term=find_effort_term(cmd.name, cmd.unit, ctx.settings.kpis),
        created_at=now,
        agreed_at=now if mine else None,
    )
    ctx.session.add(kpi)
    await ctx.session.flush()
    # Put to the vote first: a KPI the team votes on has a different next step.
    votes = await put_to_vote(ctx, kpi, owner)
    replies: list[Reply] = [
        Message((*card(kpi, owner, f"Proposed #{kpi.id}: {kpi.name}"), *next_steps(kpi)))
    ]
    if not mine:
        replies.append(_ask_owner(ctx, kpi, owner))
    return replies + votes


async def put_to_vote(ctx: Ctx, kpi: Kpi, owner: Member) -> list[Reply]:
    """Post the proposal to its team's channel for the team to back or question, once the
    proposer has said what excites them about it; a team with no channel gets it in each
    teammate's DM, so it votes all the same. From then on it is the team's KPI: they see its
    numbers."""
    if kpi.shared or not kpi.excites or kpi.team_id is None or kpi.status is not KpiStatus.PROPOSED:
        return []
    team = await ctx.session.get(Team, kpi.team_id)
    if team is None:
        return []
    kpi.shared = True
    await ctx.session.flush()
    proposer = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
    post = (
        Heading(f"Proposed KPI #{kpi.id}: {kpi.name}"),
        Fields(
            (
                ("Target", describe_target(kpi.target, kpi.unit, kpi.cadence)),
                ("Owner", owner.display_name),
            )
        ),
        Paragraph(rich(proposer, f' answered "{EXCITES_QUESTION}"')),
        Paragraph(rich(kpi.excites)),
        Actions(
            (
                Button("Back it", f"vote {kpi.id} back", ButtonStyle.PRIMARY),
                Button("Question it", f"vote {kpi.id}"),  # the form, for the question
            ),
            prompt="Does this measure success in a way that excites us?",
        ),
        Note(
            "A lead activates the KPIs the team backs, with the owner's agreement. The team "
            "co-creates it, so the team sees its numbers."
        ),
    )
    if team.channel_id:
        return [Message(post, audience=Audience.CHANNEL, channel_id=team.channel_id)]
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    return [
        Message(
            post, audience=Audience.DM, to=Mention(s.member.platform_user_id, s.member.display_name)
        )
        for s in seats
        if s.member.is_active and s.member.id != ctx.actor.member_id
    ]


def _ask_owner(ctx: Ctx, kpi: Kpi, owner: Member) -> Message:
    """The owner hears of a KPI proposed for them, and decides."""
    return Message(
        (
            Paragraph(
                rich(
                    Mention(ctx.actor.platform_user_id, ctx.actor.display_name),
                    f" proposed a KPI for you: {kpi.name}, "
                    f"{describe_target(kpi.target, kpi.unit, kpi.cadence)}.",
                )
            ),
            Actions(
                (
                    Button("Accept", f"accept {kpi.id}", ButtonStyle.PRIMARY),
                    Button("Not for me", f"retire {kpi.id}"),
                ),
                prompt="Targets are set with you, never for you. Is this one yours?",
            ),
        ),
        audience=Audience.DM,
        to=Mention(owner.platform_user_id, owner.display_name),
    )


async def accept(ctx: Ctx, cmd: AcceptKpi) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "accept")
    owner = await owner_of(ctx, kpi)
    if owner.id != ctx.actor.member_id:
        raise Refusal(say(f"Only {owner.display_name} can accept their own KPI."))
    if kpi.status is KpiStatus.RETIRED:
        raise Refusal(say(f"#{kpi.id} {kpi.name} was retired ({kpi.retired_reason})."))
    if kpi.agreed_at is not None:
        raise Refusal(say(f"You already agreed to #{kpi.id} {kpi.name}."))
    refuse_over_cap(ctx, owner, await live_kpis_of(ctx.session, ctx.actor.workspace_id, owner.id))
    kpi.agreed_at = ctx.clock.now()
    await ctx.session.flush()
    return [Message((*card(kpi, owner, f"Accepted #{kpi.id}: {kpi.name}"), *next_steps(kpi)))]


def refuse_over_cap(ctx: Ctx, owner: Member, live: Sequence[Kpi]) -> None:
    """Refuse one more agreed KPI past the cap, offering to retire one to make room."""
    agreed = agreed_kpis(live)
    cap = ctx.settings.kpis.max_per_member
    if len(agreed) < cap:
        return
    whose = "You have" if owner.id == ctx.actor.member_id else f"{owner.display_name} has"
    raise Refusal(
        Message(
            (
                Paragraph(
                    rich(f"{whose} {len(agreed)} KPIs already; the cap is {cap}. Few KPIs, kept.")
                ),
                Bullets(tuple(rich(one_line(k)) for k in agreed)),
                Actions(
                    tuple(Button(f"Retire #{k.id} {k.name}", f"retire {k.id}") for k in agreed),
                    prompt="Which one will you retire to make room?",
                ),
            )
        )
    )
