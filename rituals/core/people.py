"""Turning typed references to people into members of the actor's workspace."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core import schedule
from rituals.core.command import PersonRef
from rituals.core.context import Ctx
from rituals.core.dates import format_day
from rituals.core.messages import Code, say
from rituals.core.refusal import Refusal
from storage.models import Member
from storage.people import drop_seats, ensure_an_admin, find_members


async def resolve_person(ctx: Ctx, ref: PersonRef) -> Member:
    """The one member a mention names; refused, saying why, when it names none or several."""
    found = await find_members(
        ctx.session, ctx.actor.workspace_id, platform_user_id=ref.platform_user_id, name=ref.name
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise Refusal(
            say(
                f"I don't know {ref} in this workspace yet. ",
                "People appear once they have said hello to the bot; mention them with ",
                Code("@name"),
                ".",
            )
        )
    names = ", ".join(f"{m.display_name} ({m.platform_user_id})" for m in found)
    raise Refusal(
        say(f"{ref} matches several people: {names}. Mention the one you mean by their id.")
    )


async def actor_member(ctx: Ctx) -> Member:
    """The member row of whoever is asking (the edge created it on first contact)."""
    if ctx.member is not None:
        return ctx.member
    member = await ctx.session.get(Member, ctx.actor.member_id)
    assert member is not None
    return member


async def local_today(ctx: Ctx) -> date:
    """The day it is where the person asking lives: periods and due days are theirs."""
    member = await actor_member(ctx)
    return ctx.clock.now().astimezone(ZoneInfo(member.time_zone)).date()


def nudge_day(ctx: Ctx, member: Member, day: date) -> date:
    """The day a reminder due on `day` really reaches the person: the tick's own rule (at the
    start of their own work hours, moved off their non-working days), so a reply never
    promises a nudge on a Sunday that comes on Monday."""
    person = schedule.person_of(member, ctx.settings.people.quiet_hours)
    return schedule.reachable_at(person.reach, day, member.work_start).date()


def nudge_words(ctx: Ctx, member: Member, day: date) -> str:
    """ "on the day", or "on Monday 14 December 2026, the next working day" when the tick will
    move it there."""
    comes = nudge_day(ctx, member, day)
    if comes == day:
        return "on the day"
    return f"on {format_day(comes, 'en')}, the next working day"


async def leave_workspace(session: AsyncSession, member: Member) -> None:
    """Someone left the workspace: no more nudges, no mentions, no seats on teams.

    Their teams' leads (or, for a team they led, the admins) carry on; an admin is found if they
    were the last one.
    """
    member.is_active = False
    member.is_admin = False
    await drop_seats(session, member.workspace_id, member.id)
    await ensure_an_admin(session, member.workspace_id)
