"""Teams: a group of people with a lead and a home channel; their commands, finding the team
a command means, and the team's ritual settings over app.yaml's.

A command that needs a team and could mean several asks which, with one button per team; it
never guesses. Commands reach their team through `rituals.team.gate`, which asks here; the
handlers live in `members` and `joining`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

from pydantic import AfterValidator, Field

from rituals.core.command import Command, Name, PersonRef
from rituals.core.context import Ctx
from rituals.core.dates import WEEKDAY_NAMES
from rituals.core.messages import (
    Actions,
    Button,
    Mention,
    Message,
    say,
)
from rituals.core.refusal import Refusal
from rituals.core.settings import WEEKDAYS, TeamRituals, ritual_titles, with_overrides
from rituals.core.spec import every_prompt
from storage.models import Member, Role, Team
from storage.teams import Seat, all_teams, team_named, team_of_channel, teams_of

DAY_NAMES = dict(zip(WEEKDAYS, WEEKDAY_NAMES, strict=True))
TEAM = Field(None, title="Team", description="its name; the only one you are on if empty")

# --- commands ---------------------------------------------------------------------------------


class ShowTeam(Command):
    team: Name | None = TEAM


def _no_quotes(name: str) -> str:
    # Buttons carry team names inside quotes; a quote in the name would cut them short.
    if any(q in name for q in '"“”„«»'):
        raise ValueError("cannot contain double quotes")
    return name


TeamName = Annotated[Name, AfterValidator(_no_quotes)]


class CreateTeam(Command):
    name: TeamName = Field(title="Team name", description='e.g. "Growth"')


class AddMembers(Command):
    people: tuple[PersonRef, ...] = Field(
        title="People", description="one or more @mentions", min_length=1, max_length=20
    )
    team: Name | None = TEAM


class RemoveMember(Command):
    person: PersonRef = Field(title="Person")
    team: Name | None = TEAM


class SetLead(Command):
    person: PersonRef = Field(title="New lead")
    team: Name | None = TEAM


class JoinTeam(Command):
    team: Name = Field(title="Team", description="the team you want to join")


class AnswerJoin(Command):
    person: PersonRef = Field(title="Person")
    team: Name | None = Field(
        None, title="Team", description="its name; the one they asked to join if empty"
    )


class LeaveTeam(Command):
    team: Name | None = TEAM


# --- finding the team -------------------------------------------------------------------------


async def pick_team(ctx: Ctx, name: str | None) -> Team:
    """The team a command means: named, this channel's, the only one; else refused, asking which."""
    if name is not None:
        team = await team_named(ctx.session, ctx.actor.workspace_id, name)
        if team is not None:
            return team
        names = [t.name for t in await all_teams(ctx.session, ctx.actor.workspace_id)]
        known = f" Teams here: {', '.join(names)}." if names else " There are no teams yet."
        raise Refusal(
            say(f'There is no team called "{name}".{known}', note="team create <name> starts one.")
        )
    if ctx.actor.channel_id is not None:
        team = await team_of_channel(ctx.session, ctx.actor.workspace_id, ctx.actor.channel_id)
        if team is not None:
            return team
    mine = await teams_of(ctx.session, ctx.actor.workspace_id, ctx.actor.member_id)
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise Refusal(
            say(
                "You are on no team yet. Start one with `team create <name>`, or ask to join "
                "with `team join <name>`."
            )
        )
    raise Refusal(which_team(ctx, mine))


def which_team(ctx: Ctx, teams: Sequence[Team]) -> Message:
    buttons = tuple(Button(t.name, f'{ctx.command_text} in "{t.name}"') for t in teams[:20])
    return Message((Actions(buttons, prompt="You are on several teams. Which one?"),))


def mention(member: Member) -> Mention:
    return Mention(member.platform_user_id, member.display_name)


def team_rituals(ctx: Ctx, team: Team) -> TeamRituals:
    """The team's ritual settings over app.yaml's defaults."""
    return with_overrides(ctx.settings.rituals, team.settings)


async def save_rituals(ctx: Ctx, team: Team, given: Mapping[str, object]) -> TeamRituals:
    """Store what a lead changed as overrides of app.yaml, refusing a mix TeamRituals refuses.

    A value equal to what the team already has is not stored, so submitting a prefilled form
    does not pin every default: a new default in app.yaml still reaches every team that never
    chose otherwise. `team_settings` and `team_schedule` both save through here.
    """
    current = team_rituals(ctx, team).model_dump(mode="json")
    changed = {k: v for k, v in given.items() if k in team.settings or current.get(k) != v}
    overrides = {**team.settings, **changed}
    rituals = with_overrides(ctx.settings.rituals, overrides)
    team.settings = overrides  # a new dict, so the JSON column notices the change
    await ctx.session.flush()
    return rituals


def cadence_words(rituals: TeamRituals) -> dict[str, str]:
    """When each scheduled ritual comes round, in words; times are each person's own."""
    return {kind: spec.cadence(rituals) for kind, spec in every_prompt().items() if spec.cadence}


def describe_rituals(rituals: TeamRituals) -> list[str]:
    schedule = cadence_words(rituals)
    titles = ritual_titles()
    return [
        titles[name] + (f", {schedule[name]}" if name in schedule else "")
        for name in rituals.enabled
    ]


# --- the lead ---------------------------------------------------------------------------------


def sole_lead(seats: Sequence[Seat], member_id: int) -> bool:
    """Whether this member is the team's one and only lead."""
    leads = [s.member.id for s in seats if s.role is Role.LEAD]
    return leads == [member_id]


def must_hand_over(seats: Sequence[Seat], member_id: int) -> bool:
    """The only lead of a team others are on cannot go without naming a new lead first."""
    return sole_lead(seats, member_id) and len(seats) > 1
