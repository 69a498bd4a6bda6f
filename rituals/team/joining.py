"""Asking to join a team, and its lead's answer: nobody is added to a team they did not ask
to join or were not added to by its lead."""

from __future__ import annotations

from rituals.core.command import mention_text
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Audience,
    Button,
    ButtonStyle,
    Mention,
    Message,
    Paragraph,
    Reply,
    dm,
    rich,
    say,
)
from rituals.core.people import resolve_person
from rituals.core.permissions import is_admin
from rituals.core.refusal import Refusal
from rituals.team.gate import team_gate
from rituals.team.teams import (
    AnswerJoin,
    JoinTeam,
    mention,
    which_team,
)
from storage.models import JoinRequest, Member, Role
from storage.people import admins
from storage.teams import (
    drop_join_request,
    ensure_membership,
    join_request,
    membership,
    roster,
    teams_asked_to_join,
    teams_of,
)


async def join(ctx: Ctx, cmd: JoinTeam) -> list[Reply]:
    team = await team_gate(ctx, cmd.team)
    if await membership(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id):
        return [say(f"You are already on {team.name}.")]
    if await join_request(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id):
        return [say(f"You already asked to join {team.name}; its lead has not answered yet.")]
    ctx.session.add(
        JoinRequest(
            workspace_id=ctx.actor.workspace_id,
            team_id=team.id,
            member_id=ctx.actor.member_id,
            created_at=ctx.clock.now(),
        )
    )
    await ctx.session.flush()
    deciders = [
        s.member
        for s in await roster(ctx.session, ctx.actor.workspace_id, team.id)
        if s.role is Role.LEAD
    ]
    deciders = deciders or list(await admins(ctx.session, ctx.actor.workspace_id))
    who = mention_text(ctx.actor.platform_user_id)
    ask = Actions(
        (
            Button("Approve", f'team approve {who} in "{team.name}"', ButtonStyle.PRIMARY),
            Button("Decline", f'team decline {who} in "{team.name}"'),
        )
    )
    requests = [
        Message(
            (
                Paragraph(
                    rich(
                        Mention(ctx.actor.platform_user_id, ctx.actor.display_name),
                        f" asks to join {team.name}.",
                    )
                ),
                ask,
            ),
            audience=Audience.DM,
            to=mention(d),
        )
        for d in deciders
    ]
    names = ", ".join(d.display_name for d in deciders) or "an admin"
    return [say(f"Asked {names} to let you join {team.name}. You will hear back here."), *requests]


async def _asked_of_mine(ctx: Ctx, person: Member) -> str:
    """The team a request names when the lead did not: the one team they lead that this
    person asked to join; else refused, with a button per team when there are several."""
    ws, me = ctx.actor.workspace_id, ctx.actor.member_id
    asked = await teams_asked_to_join(ctx.session, ws, person.id)
    admin = await is_admin(ctx)
    led = {team.id for team in await teams_of(ctx.session, ws, me, {Role.LEAD})}
    mine = [team for team in asked if admin or team.id in led]
    if len(mine) == 1:
        return mine[0].name
    if not mine:
        raise Refusal(say(f"{person.display_name} has no open request to join a team you lead."))
    raise Refusal(which_team(ctx, mine))


async def approve(ctx: Ctx, cmd: AnswerJoin) -> list[Reply]:
    return await _answer_join(ctx, cmd, approve=True)


async def decline(ctx: Ctx, cmd: AnswerJoin) -> list[Reply]:
    return await _answer_join(ctx, cmd, approve=False)


async def _answer_join(ctx: Ctx, cmd: AnswerJoin, *, approve: bool) -> list[Reply]:
    person = await resolve_person(ctx, cmd.person)
    name = cmd.team if cmd.team is not None else await _asked_of_mine(ctx, person)
    team = await team_gate(ctx, name, lead_only="answer requests to join it")
    if await join_request(ctx.session, ctx.actor.workspace_id, team.id, person.id) is None:
        raise Refusal(
            say(
                f"{person.display_name} has no open request to join {team.name}; "
                "it may have been answered already."
            )
        )
    await drop_join_request(ctx.session, ctx.actor.workspace_id, team.id, person.id)
    if not approve:
        return [
            say(f"Declined {person.display_name}'s request to join {team.name}."),
            dm(
                mention(person),
                f"{ctx.actor.display_name} did not add you to {team.name} this time. "
                "Talk to them if you want to know why.",
            ),
        ]
    await ensure_membership(ctx.session, team, person, Role.MEMBER, ctx.clock.now())
    return [
        say(mention(person), f" is now on {team.name}."),
        dm(
            mention(person),
            f"Welcome to {team.name}! {ctx.actor.display_name} approved your request.",
        ),
    ]
