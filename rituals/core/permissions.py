"""Who may do what, in one place. Every ritual asks here, and a refusal names who can instead.

Roles: a member of a team; the lead of a team (a membership with the lead role); an admin of
the workspace (the person who installed the app, and whoever they make admin), who may do
everything a lead may, on every team.
"""

from __future__ import annotations

from rituals.core.context import Ctx
from rituals.core.messages import Mention, Reply, listing, say
from storage.models import Member, Role, Team
from storage.people import admins
from storage.teams import leads_of, membership, roster, shares_team_as


async def is_admin(ctx: Ctx) -> bool:
    member = await ctx.session.get(Member, ctx.actor.member_id)
    return bool(member and member.is_admin)


async def leads_team(ctx: Ctx, team: Team) -> bool:
    """The actor may run this team: its lead, or an admin."""
    seat = await membership(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id)
    return (seat is not None and seat.role is Role.LEAD) or await is_admin(ctx)


async def is_lead_of(ctx: Ctx, member_id: int) -> bool:
    """The actor leads a team the member is on, or is an admin."""
    return await shares_team_as(
        ctx.session, ctx.actor.workspace_id, ctx.actor.member_id, member_id, Role.LEAD
    ) or await is_admin(ctx)


async def may_propose_for(ctx: Ctx, owner_id: int) -> bool:
    """Anyone for themself; for someone else, a teammate, their lead or an admin."""
    if owner_id == ctx.actor.member_id:
        return True
    return await shares_team_as(
        ctx.session, ctx.actor.workspace_id, ctx.actor.member_id, owner_id, None
    ) or await is_admin(ctx)


async def may_act_for(ctx: Ctx, owner_id: int) -> bool:
    """The owner themself, or their lead: the two voices a KPI's growth link may come from."""
    return owner_id == ctx.actor.member_id or await is_lead_of(ctx, owner_id)


async def refuse(ctx: Ctx, doing: str, owner: Member, *, owner_may: bool) -> Reply:
    """You can't do this to someone's things; here is who can."""
    leads = await leads_of(ctx.session, ctx.actor.workspace_id, owner.id)
    who = ([owner] if owner_may else []) + [m for m in leads if m.id != owner.id]
    if not leads:
        who += [m for m in await admins(ctx.session, ctx.actor.workspace_id) if m not in who]
    if not who:
        return say(
            f"Only {owner.display_name}'s lead can {doing}, and they are on no team with a lead "
            "yet. Ask an admin to add them to a team."
        )
    return say(f"You can't {doing}. Ask ", *listing([_mention(m) for m in who], "or"), ".")


async def team_leads_and_admins(ctx: Ctx, team: Team) -> list[Member]:
    """Whoever may run this team: its lead, then the workspace's admins."""
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    who = [s.member for s in seats if s.role is Role.LEAD]
    return who + [m for m in await admins(ctx.session, ctx.actor.workspace_id) if m not in who]


async def refuse_team(ctx: Ctx, doing: str, team: Team) -> Reply:
    """Only the team's lead or an admin may do this; name them."""
    who = await team_leads_and_admins(ctx, team)
    if not who:
        return say(f"Only the lead of {team.name} or an admin can {doing}.")
    return say(
        f"Only the lead of {team.name} or an admin can {doing}. Ask ",
        *listing([_mention(m) for m in who], "or"),
        ".",
    )


def _mention(member: Member) -> Mention:
    return Mention(member.platform_user_id, member.display_name)
