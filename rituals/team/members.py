"""Who is on a team: creating one, seeing it, adding and removing people, its lead, leaving.

Changing a team is its lead's (or an admin's) to do, through the one team gate, whose refusal
names who can; a team is never left without a lead while others are on it.
"""

from __future__ import annotations

from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Audience,
    Bullets,
    Button,
    ChannelLink,
    Heading,
    Inline,
    Message,
    Note,
    Paragraph,
    Reply,
    dm,
    listing,
    rich,
    say,
)
from rituals.core.people import actor_member, resolve_person
from rituals.core.permissions import leads_team
from rituals.core.refusal import Refusal
from rituals.team.gate import team_gate
from rituals.team.onboarding import lead_checklist
from rituals.team.teams import (
    AddMembers,
    CreateTeam,
    LeaveTeam,
    RemoveMember,
    SetLead,
    ShowTeam,
    describe_rituals,
    mention,
    must_hand_over,
    sole_lead,
    team_rituals,
)
from storage.models import Member, Role, Team
from storage.teams import (
    drop_join_request,
    ensure_membership,
    membership,
    roster,
    team_memberships,
    team_named,
    team_of_channel,
    waiting_to_join,
)


async def show(ctx: Ctx, cmd: ShowTeam) -> list[Reply]:
    team = await team_gate(ctx, cmd.team)
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    leads = [mention(s.member) for s in seats if s.role is Role.LEAD]
    members = [mention(s.member) for s in seats if s.role is Role.MEMBER]
    home: Inline = ChannelLink(team.channel_id) if team.channel_id else "none yet"
    blocks: list[Heading | Paragraph | Bullets | Note | Actions] = [
        Heading(team.name),
        Paragraph(rich("Lead: ", *listing(leads) if leads else ("nobody yet",))),
        Paragraph(rich("Members: ", *listing(members) if members else ("nobody else yet",))),
        Paragraph(rich("Home channel: ", home)),
        Paragraph(rich("Rituals:")),
        Bullets(
            tuple(rich(line) for line in describe_rituals(team_rituals(ctx, team)))
            or (rich("none switched on"),)
        ),
    ]
    if await leads_team(ctx, team):
        waiting = await waiting_to_join(ctx.session, ctx.actor.workspace_id, team.id)
        if waiting:
            blocks.append(Note("Waiting to join: " + ", ".join(m.display_name for m in waiting)))
    elif not any(s.member.id == ctx.actor.member_id for s in seats):
        blocks.append(Actions((Button(f"Ask to join {team.name}", f'team join "{team.name}"'),)))
    return [Message(tuple(blocks))]


async def create(ctx: Ctx, cmd: CreateTeam) -> list[Reply]:
    if await team_named(ctx.session, ctx.actor.workspace_id, cmd.name) is not None:
        raise Refusal(
            say(
                f'There is already a team called "{cmd.name}".',
                note=f'team join "{cmd.name}" asks its lead to let you in.',
            )
        )
    channel = ctx.actor.channel_id
    if channel is not None:
        taken = await team_of_channel(ctx.session, ctx.actor.workspace_id, channel)
        if taken is not None:
            raise Refusal(
                say(
                    "This channel is already the home of ",
                    taken.name,
                    ". Create the team in another channel, or in a direct message to the bot.",
                )
            )
    member = await actor_member(ctx)
    team = Team(
        workspace_id=ctx.actor.workspace_id,
        name=cmd.name,
        channel_id=channel,
        time_zone=member.time_zone,
        settings={},
        created_at=ctx.clock.now(),
    )
    ctx.session.add(team)
    await ctx.session.flush()
    await ensure_membership(ctx.session, team, member, Role.LEAD, ctx.clock.now())
    where = rich(" Its posts go to ", ChannelLink(channel), ".") if channel else ()
    created = say(f"Created {team.name}; you are its lead.", *where)
    return [created, *lead_checklist(team, team_rituals(ctx, team).enabled)]


async def add(ctx: Ctx, cmd: AddMembers) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="add people to it")
    found: list[Member] = []
    for ref in cmd.people:
        # Refused for the one we could not find, before anyone is added: nobody half-way.
        person = await resolve_person(ctx, ref)
        if person not in found:
            found.append(person)
    replies: list[Reply] = []
    added, already = [], []
    for person in found:
        if await membership(ctx.session, ctx.actor.workspace_id, team.id, person.id):
            already.append(person)
            continue
        await ensure_membership(ctx.session, team, person, Role.MEMBER, ctx.clock.now())
        await drop_join_request(ctx.session, ctx.actor.workspace_id, team.id, person.id)
        added.append(person)
        if person.id != ctx.actor.member_id:
            replies.append(
                dm(
                    mention(person),
                    f"{ctx.actor.display_name} added you to {team.name}. Try `team` to see it.",
                )
            )
    parts: list[Inline] = []
    if added:
        parts += ["Added ", *listing([mention(p) for p in added]), f" to {team.name}. "]
    if already:
        parts += [
            *listing([mention(p) for p in already]),
            f" {'is' if len(already) == 1 else 'are'} already on {team.name}.",
        ]
    return [say(*parts), *replies]


async def remove(ctx: Ctx, cmd: RemoveMember) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="remove people from it")
    person = await resolve_person(ctx, cmd.person)
    seat = await membership(ctx.session, ctx.actor.workspace_id, team.id, person.id)
    if seat is None:
        raise Refusal(say(mention(person), f" is not on {team.name}."))
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    if must_hand_over(seats, person.id):
        raise Refusal(
            say(
                f"{person.display_name} is the only lead of {team.name}. "
                "Make someone else lead first: `team lead @name`."
            )
        )
    await ctx.session.delete(seat)
    await ctx.session.flush()
    replies: list[Reply] = [say(f"Removed {person.display_name} from {team.name}.")]
    if person.id != ctx.actor.member_id:
        replies.append(dm(mention(person), f"{ctx.actor.display_name} took you off {team.name}."))
    return replies


async def set_lead(ctx: Ctx, cmd: SetLead) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="choose its lead")
    person = await resolve_person(ctx, cmd.person)
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    if sole_lead(seats, person.id):
        return [say(f"{person.display_name} already leads {team.name}.")]
    # One lead per team: the previous lead stays on the team as a member.
    for other in await team_memberships(ctx.session, ctx.actor.workspace_id, team.id):
        if other.role is Role.LEAD:
            other.role = Role.MEMBER
    # The database allows one lead per team: the demotion must be written before the promotion.
    await ctx.session.flush()
    seat = await ensure_membership(ctx.session, team, person, Role.LEAD, ctx.clock.now())
    seat.role = Role.LEAD
    await ctx.session.flush()
    replies: list[Reply] = [say(mention(person), f" now leads {team.name}.")]
    if person.id != ctx.actor.member_id:
        replies.append(
            dm(mention(person), f"{ctx.actor.display_name} made you the lead of {team.name}.")
        )
        replies += [
            Message(m.blocks, audience=Audience.DM, to=mention(person))
            for m in lead_checklist(team, team_rituals(ctx, team).enabled)
        ]
    return replies


async def leave(ctx: Ctx, cmd: LeaveTeam) -> list[Reply]:
    team = await team_gate(ctx, cmd.team)
    seat = await membership(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id)
    if seat is None:
        raise Refusal(say(f"You are not on {team.name}."))
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    if must_hand_over(seats, seat.member_id):
        raise Refusal(
            say(
                f"You are the only lead of {team.name}. Hand it over first with "
                "`team lead @name`, so the team is not left without one."
            )
        )
    await ctx.session.delete(seat)
    await ctx.session.flush()
    return [say(f"You left {team.name}. Your KPIs stay yours.")]
