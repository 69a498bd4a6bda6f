"""Turning typed references to people into members of the actor's workspace."""

from __future__ import annotations

from rituals.commands import PersonRef
from rituals.context import Ctx
from rituals.messages import Code, Reply, say
from storage.models import Member
from storage.people import find_members


async def resolve_person(ctx: Ctx, ref: PersonRef) -> Member | Reply:
    """The one member a mention names, or a reply that says why it names none or several."""
    found = await find_members(
        ctx.session, ctx.actor.workspace_id, platform_user_id=ref.platform_user_id, name=ref.name
    )
    if len(found) == 1:
        return found[0]
    if not found:
        return say(
            f"I don't know {ref} in this workspace yet. ",
            "People appear once they have said hello to the bot; mention them with ",
            Code("@name"),
            ".",
        )
    names = ", ".join(f"{m.display_name} ({m.platform_user_id})" for m in found)
    return say(f"{ref} matches several people: {names}. Mention the one you mean by their id.")


async def actor_member(ctx: Ctx) -> Member:
    """The member row of whoever is asking (the edge created it on first contact)."""
    member = await ctx.session.get(Member, ctx.actor.member_id)
    assert member is not None
    return member


def deactivate(member: Member) -> None:
    """Someone left the workspace: they get no more nudges and cannot be mentioned."""
    member.is_active = False
