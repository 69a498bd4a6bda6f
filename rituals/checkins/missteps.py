"""Leads model risk: a lead shares a misstep of their own and asks the team for candid feedback.

Feedback is anonymous unless the giver signs it. An anonymous answer is stored with no author
and only the day it came, and reaches the lead with no name, so nothing (not the store, not the
message) leads back to who wrote it.
"""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import Field, StringConstraints

from rituals.checkins.store import missteps_with_feedback
from rituals.core.command import CLEAN, Command, Name, row_number
from rituals.core.context import Ctx
from rituals.core.knowing import may_know_of
from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Code,
    Heading,
    Mention,
    Message,
    Note,
    Paragraph,
    Reply,
    counted,
    rich,
    say,
)
from rituals.core.refusal import Refusal
from rituals.team.gate import switched_on, team_gate
from rituals.team.teams import mention
from storage.models import Member, Misstep, MisstepFeedback, Role, Team
from storage.teams import membership, roster

Story = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=12, max_length=1000), CLEAN
]
Words = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000), CLEAN
]

ANONYMOUS_NOTE = (
    "Anonymous unless you choose named: the bot stores no link from your words to you, and "
    "the lead sees no name."
)


class Signed(enum.StrEnum):
    ANONYMOUS = "anonymous"
    NAMED = "named"


class ShareMisstep(Command):
    text: Story = Field(
        title="Your misstep", description="what you did, what it cost, what you would change"
    )
    team: Name | None = Field(None, title="Team", description="its name; yours if you lead one")


class GiveFeedback(Command):
    misstep: int = row_number("Misstep")
    text: Words = Field(title="Your feedback", description="candid and kind")
    signed: Signed = Field(Signed.ANONYMOUS, title="Send it", description="anonymous or named")


class ShowMissteps(Command):
    team: Name | None = Field(None, title="Team")


async def share(ctx: Ctx, cmd: ShareMisstep) -> list[Reply]:
    team = await team_gate(ctx, cmd.team)
    seat = await membership(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id)
    if seat is None or seat.role is not Role.LEAD:
        raise Refusal(
            say(f"Only the lead of {team.name} shares a misstep with it: it models risk.")
        )
    row = Misstep(
        workspace_id=ctx.actor.workspace_id,
        team_id=team.id,
        lead_id=ctx.actor.member_id,
        text=cmd.text,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(row)
    await ctx.session.flush()
    lead = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
    others = [
        s.member
        for s in await roster(ctx.session, ctx.actor.workspace_id, team.id)
        if s.member.id != ctx.actor.member_id and s.member.is_active
    ]
    ask: list[Reply] = [
        Message(
            (
                Paragraph(
                    rich(
                        lead,
                        f" shared a misstep with {team.name} and asks for your candid feedback:",
                    )
                ),
                Paragraph(rich(cmd.text)),
                Actions((Button("Give feedback", f"feedback {row.id}", ButtonStyle.PRIMARY),)),
                Note(ANONYMOUS_NOTE),
            ),
            audience=Audience.DM,
            to=mention(person),
        )
        for person in others
    ]
    return [
        say(
            f"Shared misstep #{row.id} with {counted(len(others), 'person', 'people')} on "
            f"{team.name}. Their feedback reaches you here, anonymous unless they sign it. "
            "Thank you for going first."
        ),
        *ask,
    ]


async def feedback(ctx: Ctx, cmd: GiveFeedback) -> list[Reply]:
    row = await ctx.session.get(Misstep, cmd.misstep)
    # Someone who may not know of it hears what a number nobody uses gets, not its team.
    if (
        row is None
        or row.workspace_id != ctx.actor.workspace_id
        or not await may_know_of(ctx, row.team_id, [row.lead_id])
    ):
        raise Refusal(say(f"There is no misstep #{cmd.misstep} here."))
    team = await ctx.session.get(Team, row.team_id)
    assert team is not None
    await switched_on(ctx, team)
    if row.lead_id == ctx.actor.member_id:
        raise Refusal(say("That misstep is your own; the feedback is for your team to give."))
    seat = await membership(ctx.session, ctx.actor.workspace_id, row.team_id, ctx.actor.member_id)
    if seat is None:
        raise Refusal(
            say(f"Only people on {team.name}, whom it was shared with, can give feedback on it.")
        )
    named = cmd.signed is Signed.NAMED
    if not named and ctx.actor.channel_id is not None:
        raise Refusal(
            say(
                "Anonymous feedback is given in a direct message with me, not in a channel where "
                "everyone sees who wrote it. Press Give feedback in the message I sent you, or "
                "send the same words to me directly."
            )
        )
    ctx.session.add(
        MisstepFeedback(
            workspace_id=ctx.actor.workspace_id,
            misstep_id=row.id,
            author_id=ctx.actor.member_id if named else None,
            text=cmd.text,
            # The day in UTC, not the giver's own: their date would hint at their time zone.
            given_on=ctx.clock.now().date(),
        )
    )
    await ctx.session.flush()
    lead = await ctx.session.get(Member, row.lead_id)
    assert lead is not None
    source: tuple[Mention | str, ...] = (
        (Mention(ctx.actor.platform_user_id, ctx.actor.display_name),)
        if named
        else ("Someone on your team",)
    )
    to_lead = Message(
        (
            Paragraph(rich(*source, f" answered your misstep #{row.id}:")),
            Paragraph(rich(cmd.text)),
        ),
        audience=Audience.DM,
        to=mention(lead),
    )
    how = "with your name" if named else "anonymously: nothing stored or sent links it to you"
    return [say(f"Sent to {lead.display_name} {how}. Thank you for being candid."), to_lead]


async def show(ctx: Ctx, cmd: ShowMissteps) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="read its missteps' feedback")
    found = await missteps_with_feedback(
        ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id
    )
    if not found:
        return [
            say(
                f"You have shared no misstep with {team.name} yet. ",
                Code("misstep <what happened>"),
                " shares one.",
            )
        ]
    blocks: list[Block] = [Heading(f"Your missteps with {team.name}")]
    for misstep, answers in found:
        blocks.append(Paragraph(rich(f"#{misstep.id}: {misstep.text}")))
        if answers:
            lines = tuple(rich(f"{author or 'Anonymous'}: {text}") for author, text in answers)
            blocks.append(Bullets(lines))
        else:
            blocks.append(Note("No feedback yet."))
    return [Message(tuple(blocks))]
