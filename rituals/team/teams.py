"""Teams: a group of people with a lead and a home channel, and how people join and leave.

A command that needs a team and could mean several asks which, with one button per team; it
never guesses. Who may change a team is asked of `permissions`, and refusals name who can.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

from pydantic import AfterValidator, Field

from rituals.core.command import Command, Name, PersonRef, mention_text
from rituals.core.context import Ctx
from rituals.core.dates import WEEKDAY_NAMES
from rituals.core.messages import (
    Actions,
    Audience,
    Bullets,
    Button,
    ButtonStyle,
    ChannelLink,
    Heading,
    Inline,
    Mention,
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
from rituals.core.permissions import leads_team, refuse_team
from rituals.core.refusal import Refusal
from rituals.core.settings import WEEKDAYS, TeamRituals, ritual_titles, with_overrides
from rituals.core.spec import every_prompt
from rituals.team.onboarding import lead_checklist
from storage.models import JoinRequest, Member, Role, Team
from storage.people import (
    Seat,
    admins,
    all_teams,
    drop_join_request,
    ensure_membership,
    join_request,
    membership,
    roster,
    team_memberships,
    team_named,
    team_of_channel,
    teams_of,
    waiting_to_join,
)

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
    team: Name = Field(title="Team")


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
        f"{name}: {titles[name]}" + (f", {schedule[name]}" if name in schedule else "")
        for name in rituals.enabled
    ]


# --- handlers ---------------------------------------------------------------------------------


async def show(ctx: Ctx, cmd: ShowTeam) -> list[Reply]:
    team = await pick_team(ctx, cmd.team)
    if not isinstance(team, Team):
        return [team]
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
        return [
            say(
                f'There is already a team called "{cmd.name}".',
                note=f'team join "{cmd.name}" asks its lead to let you in.',
            )
        ]
    channel = ctx.actor.channel_id
    if channel is not None:
        taken = await team_of_channel(ctx.session, ctx.actor.workspace_id, channel)
        if taken is not None:
            return [
                say(
                    "This channel is already the home of ",
                    taken.name,
                    ". Create the team in another channel, or in a direct message to the bot.",
                )
            ]
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
    team = await manageable_team(ctx, cmd.team, "add people to it")
    if not isinstance(team, Team):
        return [team]
    found: list[Member] = []
    for ref in cmd.people:
        person = await resolve_person(ctx, ref)
        if not isinstance(person, Member):
            return [person]  # name the one we could not find; nobody is added half-way
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
    team = await manageable_team(ctx, cmd.team, "remove people from it")
    if not isinstance(team, Team):
        return [team]
    person = await resolve_person(ctx, cmd.person)
    if not isinstance(person, Member):
        return [person]
    seat = await membership(ctx.session, ctx.actor.workspace_id, team.id, person.id)
    if seat is None:
        return [say(mention(person), f" is not on {team.name}.")]
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    if must_hand_over(seats, person.id):
        return [
            say(
                f"{person.display_name} is the only lead of {team.name}. "
                "Make someone else lead first: `team lead @name`."
            )
        ]
    await ctx.session.delete(seat)
    await ctx.session.flush()
    replies: list[Reply] = [say(f"Removed {person.display_name} from {team.name}.")]
    if person.id != ctx.actor.member_id:
        replies.append(dm(mention(person), f"{ctx.actor.display_name} took you off {team.name}."))
    return replies


async def set_lead(ctx: Ctx, cmd: SetLead) -> list[Reply]:
    team = await manageable_team(ctx, cmd.team, "choose its lead")
    if not isinstance(team, Team):
        return [team]
    person = await resolve_person(ctx, cmd.person)
    if not isinstance(person, Member):
        return [person]
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    if _is_sole(seats, person.id):
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


async def join(ctx: Ctx, cmd: JoinTeam) -> list[Reply]:
    team = await pick_team(ctx, cmd.team)
    if not isinstance(team, Team):
        return [team]
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


async def approve(ctx: Ctx, cmd: AnswerJoin) -> list[Reply]:
    return await _answer_join(ctx, cmd, approve=True)


async def decline(ctx: Ctx, cmd: AnswerJoin) -> list[Reply]:
    return await _answer_join(ctx, cmd, approve=False)


async def _answer_join(ctx: Ctx, cmd: AnswerJoin, *, approve: bool) -> list[Reply]:
    team = await manageable_team(ctx, cmd.team, "answer requests to join it")
    if not isinstance(team, Team):
        return [team]
    person = await resolve_person(ctx, cmd.person)
    if not isinstance(person, Member):
        return [person]
    if await join_request(ctx.session, ctx.actor.workspace_id, team.id, person.id) is None:
        return [
            say(
                f"{person.display_name} has no open request to join {team.name}; "
                "it may have been answered already."
            )
        ]
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


async def leave(ctx: Ctx, cmd: LeaveTeam) -> list[Reply]:
    team = await pick_team(ctx, cmd.team)
    if not isinstance(team, Team):
        return [team]
    seat = await membership(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id)
    if seat is None:
        return [say(f"You are not on {team.name}.")]
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    if must_hand_over(seats, seat.member_id):
        return [
            say(
                f"You are the only lead of {team.name}. Hand it over first with "
                "`team lead @name`, so the team is not left without one."
            )
        ]
    await ctx.session.delete(seat)
    await ctx.session.flush()
    return [say(f"You left {team.name}. Your KPIs stay yours.")]


# --- helpers ----------------------------------------------------------------------------------


async def manageable_team(ctx: Ctx, name: str | None, doing: str) -> Team | Reply:
    """The team a command means, if the actor may run it; else who can."""
    team = await pick_team(ctx, name)
    if isinstance(team, Team) and not await leads_team(ctx, team):
        return await refuse_team(ctx, doing, team)
    return team


def _is_sole(seats: Sequence[Seat], member_id: int) -> bool:
    """Whether this member is the team's one and only lead."""
    leads = [s.member.id for s in seats if s.role is Role.LEAD]
    return leads == [member_id]


def must_hand_over(seats: Sequence[Seat], member_id: int) -> bool:
    """The only lead of a team others are on cannot go without naming a new lead first."""
    return _is_sole(seats, member_id) and len(seats) > 1
