"""The first words the bot says to a person, and to a lead who has just created a team.

The welcome makes the anti-micromanagement promise before anything else happens, and it comes
once: on the first contact, whether that is opening the app or typing a command.
"""

from __future__ import annotations

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
from storage.models import Team

PROMISE_WILL = (
    "help your team choose a few KPIs together, each tied to someone's growth",
    "ask once a week what is in your way, and make sure someone commits to clear it",
    "start one-on-ones with your wins, and celebrate what you learn from a dip",
)
PROMISE_WONT = (
    "nudge you outside your working hours, in your quiet hours, or more than a few times a week",
    "show your individual numbers to anyone but you and your lead",
    "rank people, or turn a number into a verdict on a person",
)


async def welcome_once(ctx: Ctx) -> list[Reply]:
    """The welcome, if this person has never had it; nothing otherwise."""
    member = await actor_member(ctx)
    if member.welcomed_at is not None:
        return []
    member.welcomed_at = ctx.clock.now()
    return [welcome(member.display_name)]


def welcome(name: str) -> Message:
    return Message(
        (
            Heading(f"Welcome, {name}: KPIs as tools for growth, not weapons"),
            Paragraph(rich("What I will do:")),
            Bullets(tuple(rich(line) for line in PROMISE_WILL)),
            Paragraph(rich("What I won't do:")),
            Bullets(tuple(rich(line) for line in PROMISE_WONT)),
            Actions(
                (
                    Button("1. Create or join a team", "team", ButtonStyle.PRIMARY),
                    Button("2. Propose a KPI", "propose"),
                    Button("3. Set your working hours", "me set"),
                ),
                prompt="Three first steps:",
            ),
            Note("You can pause every nudge at any time with `me set pause on`."),
        )
    )


def lead_checklist(team: Team, enabled: tuple[str, ...]) -> list[Message]:
    """What a new lead should switch on, with the defaults their team starts from."""
    items = tuple(
        rich(f"[{'x' if name in enabled else ' '}] {name}: {what}")
        for name, what in ritual_titles().items()
    )
    blocks: list[Block] = [
        Heading(f"Your checklist for {team.name}"),
        Paragraph(rich("Rituals switched on [x] and off [ ]; turn on what your team wants:")),
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
