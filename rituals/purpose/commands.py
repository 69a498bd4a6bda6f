"""The "why we exist" workshop: the lead writes the team's purpose, and every member says how
their role moves the needle on it.

Answers are gathered privately until the deadline, then posted together to the team channel,
so nobody writes to please the first answer they saw. They are kept, and anyone may revise
theirs later.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, StringConstraints

from rituals.checkins.commands import DueText, read_due
from rituals.core.command import CLEAN, Command, Name
from rituals.core.context import Ctx
from rituals.core.dates import team_moment
from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Code,
    FormRequest,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    counted,
    rich,
    say,
)
from rituals.core.people import actor_member, local_today
from rituals.core.refusal import Refusal
from rituals.purpose.store import answer_of, answers_to, latest_purpose
from rituals.team.gate import team_gate
from rituals.team.teams import TEAM, mention, team_rituals
from storage.models import Member, Purpose, PurposeAnswer, Role
from storage.teams import membership, roster

ASK = "How does your role move the needle on our purpose?"
PurposeText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=12, max_length=500), CLEAN
]
DEFAULT_DAYS = 7
LONGEST_DAYS = 30


class StartPurpose(Command):
    text: PurposeText = Field(title="Our purpose", description="why the team exists, in a sentence")
    team: Name | None = TEAM
    until: DueText | None = Field(
        None,
        title="Answers until",
        description="a day like fri, in 10 days or YYYY-MM-DD; a week if empty",
    )


class AnswerPurpose(Command):
    text: PurposeText | None = Field(None, title=ASK, description="your role, in your words")
    team: Name | None = TEAM


class ShowPurpose(Command):
    team: Name | None = TEAM


async def start(ctx: Ctx, cmd: StartPurpose) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="start its purpose workshop")
    open_one = await latest_purpose(ctx.session, ctx.actor.workspace_id, team.id)
    now = ctx.clock.now()
    if open_one is not None and open_one.posted_at is None:
        closes = "on " + team_moment(open_one.closes_at, team.time_zone)
        raise Refusal(say(f"{team.name}'s workshop is open already; answers are posted {closes}."))
    today = await local_today(ctx)
    try:
        day = read_due(cmd.until, today) if cmd.until else today + timedelta(DEFAULT_DAYS)
    except ValueError as exc:
        raise Refusal(say(f"Answers until: {exc}.")) from exc
    if not today < day <= today + timedelta(LONGEST_DAYS):
        raise Refusal(say(f"Answers until: give a day after today and within {LONGEST_DAYS} days."))
    # Posted at the team's check-in time that day, where the team is.
    at = time.fromisoformat(team_rituals(ctx, team).checkin_time)
    closes_at = datetime.combine(day, at, ZoneInfo(team.time_zone))
    row = Purpose(
        workspace_id=ctx.actor.workspace_id,
        team_id=team.id,
        lead_id=ctx.actor.member_id,
        text=cmd.text,
        closes_at=closes_at,
        created_at=now,
    )
    ctx.session.add(row)
    await ctx.session.flush()
    people = [
        s.member
        for s in await roster(ctx.session, ctx.actor.workspace_id, team.id)
        if s.member.id != ctx.actor.member_id and s.member.is_active
    ]
    when = "on " + team_moment(closes_at, team.time_zone)
    asks: list[Reply] = [
        Message(
            (
                Heading(f"Why we exist: {team.name}"),
                Paragraph(rich(mention(await actor_member(ctx)), " wrote our purpose: ", cmd.text)),
                Paragraph(rich(ASK)),
                Actions(
                    (Button("Answer", f'purpose answer in "{team.name}"', ButtonStyle.PRIMARY),)
                ),
                Note(f"Answers are posted together to the team {when}; revise yours any time."),
            ),
            audience=Audience.DM,
            to=mention(person),
        )
        for person in people
    ]
    return [
        say(
            f"Asked {counted(len(people), 'person', 'people')} on {team.name} how their role "
            f"moves the needle. Their answers are posted together {when}."
        ),
        *asks,
    ]


async def answer(ctx: Ctx, cmd: AnswerPurpose) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="answer its purpose")
    workshop = await latest_purpose(ctx.session, ctx.actor.workspace_id, team.id)
    if workshop is None:
        raise Refusal(say(f"{team.name} has no purpose workshop yet; its lead starts one."))
    if cmd.text is None:
        mine = await answer_of(ctx.session, workshop.id, ctx.actor.member_id)
        values = {"team": team.name, **({"text": mine.text} if mine else {})}
        return [FormRequest("purpose answer", values, f"Our purpose: {workshop.text}")]
    row = await answer_of(ctx.session, workshop.id, ctx.actor.member_id)
    revised = row is not None
    if row is None:
        row = PurposeAnswer(
            workspace_id=ctx.actor.workspace_id,
            purpose_id=workshop.id,
            member_id=ctx.actor.member_id,
            text=cmd.text,
            answered_at=ctx.clock.now(),
        )
        ctx.session.add(row)
    row.text, row.answered_at = cmd.text, ctx.clock.now()
    await ctx.session.flush()
    if workshop.posted_at is not None:
        return [
            say("Revised. ", Code("purpose"), " shows the team's answers, yours as it reads now.")
        ]
    verb = "Revised" if revised else "Saved"
    return [say(f"{verb}. Every answer is posted together when the workshop closes.")]


async def show(ctx: Ctx, cmd: ShowPurpose) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="see its purpose")
    workshop = await latest_purpose(ctx.session, ctx.actor.workspace_id, team.id)
    if workshop is None:
        return [
            say(
                f"{team.name} has no purpose written yet. ",
                Code("purpose start <purpose>"),
                " (lead).",
            )
        ]
    answers = await answers_to(ctx.session, workshop.id)
    if workshop.posted_at is not None:
        return [Message(tuple(post_blocks(team.name, workshop.text, answers)))]
    mine = next((a for a, m in answers if m.id == ctx.actor.member_id), None)
    blocks: list[Block] = [Heading(f"Why we exist: {team.name}"), Paragraph(rich(workshop.text))]
    seat = await membership(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id)
    if seat is not None and seat.role is Role.LEAD:
        who = ", ".join(m.display_name for _, m in answers) or "nobody yet"
        blocks.append(
            Paragraph(rich(f"Answered so far: {who}. Everyone's words are posted together."))
        )
    blocks.append(
        Paragraph(rich(f"Your answer: {mine.text}" if mine else "You have not answered yet."))
    )
    blocks.append(
        Actions(
            (Button("Answer" if mine is None else "Revise", f'purpose answer in "{team.name}"'),)
        )
    )
    return [Message(tuple(blocks))]


def post_blocks(
    team: str, purpose: str, answers: Sequence[tuple[PurposeAnswer, Member]]
) -> list[Block]:
    """The team's purpose with everyone's answer, as posted and as `purpose` shows it later."""
    blocks: list[Block] = [Heading(f"Why we exist: {team}"), Paragraph(rich(purpose))]
    if answers:
        blocks.append(Paragraph(rich(ASK)))
        blocks.append(Bullets(tuple(rich(mention(m), f": {a.text}") for a, m in answers)))
    else:
        blocks.append(Paragraph(rich("No answers came in this time. ", ASK, " Answer any time.")))
    blocks.append(Note("Revise yours any time: purpose answer <your words>."))
    return blocks
