"""The one gate every ritual's command passes on its way to a team.

It finds the team a command means, and refuses, with who can help, when the person is not on
it, when the team switched the command's ritual off, or when only its lead may do this. Rituals
call it instead of checking any of these themselves, so the rules hold everywhere alike.
"""

from __future__ import annotations

from rituals.core.context import Ctx
from rituals.core.messages import Code, listing, say
from rituals.core.permissions import leads_team, refuse_team, team_leads_and_admins
from rituals.core.refusal import Refusal
from rituals.team.teams import mention, pick_team, team_rituals
from storage.models import Team
from storage.teams import membership, teams_of


async def team_gate(
    ctx: Ctx, name: str | None, *, lead_only: str | None = None, members_only: str | None = None
) -> Team:
    """The team a command means, once the person may use the command's ritual there.

    `lead_only` says what only the team's lead (or an admin) may do ("start a pulse");
    `members_only` what only its own people may do ("raise obstacles").
    """
    team = await pick_team(ctx, name)
    await admit(ctx, team, lead_only=lead_only, members_only=members_only)
    return team


async def admit(
    ctx: Ctx, team: Team, *, lead_only: str | None = None, members_only: str | None = None
) -> None:
    """The gate for a team a command reached through what it acts on (a story, a pulse): the
    ritual switched on there, and the person in the role the command needs."""
    # Someone not on the team hears that first: its switches are not theirs to know or change.
    if members_only is not None and not await on_team(ctx, team):
        raise Refusal(say(f"You are not on {team.name}. Only its own people can {members_only}."))
    await switched_on(ctx, team)
    if lead_only is not None and not await leads_team(ctx, team):
        raise Refusal(await refuse_team(ctx, lead_only, team))


async def on_team(ctx: Ctx, team: Team) -> bool:
    seat = await membership(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id)
    return seat is not None


async def switched_on(ctx: Ctx, team: Team) -> None:
    """Refuse the command when its ritual is switched off for this team, naming who can switch
    it on. For commands that reach their team through what they act on (a vote, a pulse)."""
    ritual = ctx.ritual
    if ritual is None or ritual_on(ctx, team):
        return
    enabled = team_rituals(ctx, team).enabled
    leads = await team_leads_and_admins(ctx, team)
    who = [mention(m) for m in leads]
    switch = Code(f'settings set rituals {",".join((*enabled, ritual.name))} in "{team.name}"')
    if any(m.id == ctx.actor.member_id for m in leads):
        # A lead is not sent to ask herself: the switch is hers to type.
        raise Refusal(
            say(f"{team.name} has switched off {ritual.label}. Switch it on with ", switch, ".")
        )
    if not who:
        raise Refusal(
            say(f"{team.name} has switched off {ritual.label}. An admin can switch it on.")
        )
    raise Refusal(
        say(
            f"{team.name} has switched off {ritual.label}. ",
            *listing(who, "or"),
            " can switch it on: ",
            switch,
            ".",
        )
    )


def ritual_on(ctx: Ctx, team: Team) -> bool:
    """Whether the command's ritual runs for this team, without refusing: for a command that
    chooses among several teams (a pair, a list across teams) and skips those switched off."""
    ritual = ctx.ritual
    return ritual is None or not ritual.switchable or ritual.name in team_rituals(ctx, team).enabled


async def form_offered(ctx: Ctx) -> None:
    """Before an empty form of the command's ritual opens: refused when every team the person
    is on has the ritual switched off, so nobody fills in a form only to hear that on submit.
    With the ritual on somewhere, the form opens and the submission passes `team_gate`."""
    teams = await teams_of(ctx.session, ctx.actor.workspace_id, ctx.actor.member_id)
    off = [team for team in teams if not ritual_on(ctx, team)]
    if teams and len(off) == len(teams):
        await switched_on(ctx, off[0])
