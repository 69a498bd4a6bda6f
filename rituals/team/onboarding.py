"""The first words the bot says to a person, and to a lead who has just created a team.

The welcome makes the anti-micromanagement promise before anything else happens, and it comes
once: on the first contact, whether that is opening the app or typing a command.
"""

from __future__ import annotations

from collections.abc import Sequence

from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
)
from rituals.core.people import actor_member
from rituals.core.settings import ritual_titles
from storage.models import Role, Team
from storage.teams import seats_of

# The promise, in three short lines: what a newcomer reads before their first answer.
PROMISE = (
    "I help your team choose a few KPIs together, each tied to someone's growth.",
    "I nudge you only in your working hours, a few times a week; `me set pause on` stops it.",
    "Your numbers are seen by you and your lead only, and I never rank people.",
)


async def welcome_once(ctx: Ctx) -> list[Reply]:
    """The welcome, if this person has never had it; nothing otherwise."""
    member = await actor_member(ctx)
    if member.welcomed_at is not None:
        return []
    member.welcomed_at = ctx.clock.now()
    seats = await seats_of(ctx.session, ctx.actor.workspace_id, member.id)
    return [welcome(member.display_name, seats)]


def welcome(name: str, seats: Sequence[tuple[Team, Role]] = ()) -> Message:
    """The promise, then the first steps as buttons: someone already on a team (a lead who
    created it, a member added) is shown it, not told to create or join one."""
    return Message(
        (
            Heading(f"Welcome, {name}: KPIs as tools for growth, not weapons"),
            *(Paragraph(rich(line)) for line in PROMISE),
            Actions((_team_step(seats), *FIRST_STEPS), prompt="First steps:"),
        )
    )


FIRST_STEPS = (
    Button("Propose a KPI", "propose"),
    Button("Set your working hours", "me set"),
    Button("Open your dashboard", "dashboard"),
)


def _team_step(seats: Sequence[tuple[Team, Role]]) -> Button:
    led = [team for team, role in seats if role is Role.LEAD]
    if led:
        return Button(f"See {led[0].name}"[:75], f'team show "{led[0].name}"', ButtonStyle.PRIMARY)
    if seats:
        return Button("See your home", "home", ButtonStyle.PRIMARY)
    return Button("Create or join a team", "team", ButtonStyle.PRIMARY)


def lead_checklist(team: Team, enabled: tuple[str, ...]) -> list[Message]:
    """What a new lead should switch on, with the defaults their team starts from."""
    items = tuple(
        rich(f"[{'x' if name in enabled else ' '}] {what}")
        for name, what in ritual_titles().items()
    )
    blocks: list[Block] = [
        Heading(f"Your checklist for {team.name}"),
        Paragraph(rich("Which rituals are on, and which off; turn on what your team wants:")),
        Bullets(items),
        Actions(
            (
                Button("Change the rituals", f'settings set in "{team.name}"', ButtonStyle.PRIMARY),
                Button("See the team", f'team show "{team.name}"'),
            )
        ),
    ]
    if team.channel_id is None:
        blocks.insert(
            1,
            Note(
                "The team has no home channel yet: run `team create` in a channel, or set one "
                "in the settings, so its posts have somewhere to go."
            ),
        )
    return [Message(tuple(blocks))]
