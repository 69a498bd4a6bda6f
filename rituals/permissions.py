"""Who may do what. Every ritual asks here, and a refusal says who can do it instead."""

from __future__ import annotations

from rituals.context import Ctx
from rituals.messages import Mention, Reply, say
from storage.models import Member, Role
from storage.people import leads_of, shares_team_as

LEADS = {Role.LEAD, Role.ADMIN}


async def is_lead_of(ctx: Ctx, member_id: int) -> bool:
    """Whether the actor leads (or administers) a team the member is on."""
    return await shares_team_as(
        ctx.session, ctx.actor.workspace_id, ctx.actor.member_id, member_id, LEADS
    )


async def may_act_for(ctx: Ctx, owner_id: int) -> bool:
    """The owner themself, or their lead: the two voices a KPI's growth link may come from."""
    return owner_id == ctx.actor.member_id or await is_lead_of(ctx, owner_id)


async def refuse(ctx: Ctx, doing: str, owner: Member, *, owner_may: bool) -> Reply:
    """Explain who may do this instead, naming real people."""
    leads = await leads_of(ctx.session, ctx.actor.workspace_id, owner.id)
    who: list[Member] = ([owner] if owner_may else []) + [m for m in leads if m.id != owner.id]
    if not who:
        return say(
            f"Only {owner.display_name}'s lead can {doing}, and they are on no team with a lead "
            "yet. Ask an admin to add them to a team."
        )
    parts: list[str | Mention] = [f"You can't {doing}. Ask "]
    for i, person in enumerate(who):
        if i:
            parts.append(" or " if i == len(who) - 1 else ", ")
        parts.append(Mention(person.platform_user_id, person.display_name))
    parts.append(".")
    return say(*parts)
