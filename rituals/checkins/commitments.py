"""Commitments: how a lead answers an obstacle, and how its owner follows it through.

A commitment is a concrete action, an owner on the team and a due date; deferrals are refused
on the spot (`rituals.checkins.vague`). Its owner, or the lead who made it, marks it done or
drops it with a reason, and the others it concerns hear what came of it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import Field, StringConstraints

from rituals.checkins.commands import DueText, commitment_line, due_problem, read_due
from rituals.checkins.store import commitment_by_id, commitments_of_people, obstacle_by_id
from rituals.checkins.vague import deferral
from rituals.core.command import CLEAN, Command, PersonRef, Reason, row_number
from rituals.core.context import Ctx
from rituals.core.dates import format_day
from rituals.core.knowing import may_know_of
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
    Mention,
    Message,
    Note,
    Paragraph,
    Reply,
    Strong,
    rich,
    say,
)
from rituals.core.people import actor_member, local_today, resolve_person
from rituals.core.permissions import leads_team, refuse_team
from rituals.core.refusal import Refusal
from rituals.team.gate import ritual_on, switched_on
from rituals.team.teams import mention
from storage.models import Commitment, CommitmentStatus, Member, Obstacle, Team
from storage.teams import membership, teams_of

ActionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), CLEAN
]


class Commit(Command):
    obstacle: int = row_number("Obstacle", "its number, from the digest")
    action: ActionText | None = Field(
        None, title="What will be done?", description="a concrete action, not a promise to think"
    )
    owner: PersonRef | None = Field(None, title="Owner", description="who does it; you if empty")
    due: DueText | None = Field(
        None, title="Due", description="YYYY-MM-DD, today, tomorrow, or a day like fri"
    )


COMMITMENT = row_number("Commitment")


class FinishCommitment(Command):
    commitment: int = COMMITMENT


class DropCommitment(Command):
    commitment: int = COMMITMENT
    reason: Reason | None = Field(None, title="Why drop it?", description="the owner hears it")


class ShowCommitments(Command):
    pass


async def commit(ctx: Ctx, cmd: Commit) -> list[Reply]:
    obstacle = await _known_obstacle(ctx, cmd.obstacle)
    team = await ctx.session.get(Team, obstacle.team_id)
    assert team is not None
    await switched_on(ctx, team)
    if not await leads_team(ctx, team):
        raise Refusal(await refuse_team(ctx, "commit to clearing its obstacles", team))
    author = await ctx.session.get(Member, obstacle.member_id)
    assert author is not None
    form = _commit_form(cmd, author, obstacle)
    if cmd.action is None or cmd.due is None:
        return [form]
    vague = deferral(cmd.action, ctx.settings.checkins.vague_phrases)
    if vague is not None:
        quoted = f' ("{vague}")' if vague else ""
        raise Refusal(
            say(
                f'"{cmd.action[:80]}" puts it off{quoted} instead of clearing it: it names '
                "nothing to do yet. A commitment is a step and what it acts on, like "
                '"Send the signed contract to legal" or "Book a room for the pricing review". '
                "What will be done, by whom, by when?"
            ),
            form=form,
        )
    today = await local_today(ctx)
    try:
        due = read_due(cmd.due, today)
    except ValueError as exc:
        raise Refusal(say(f"Due: {exc}."), form=form) from None
    problem = due_problem(due, today, ctx.settings.checkins.longest_commitment_days)
    if problem:
        raise Refusal(say(f"Due: {problem}."), form=form)
    try:
        owner = (
            await actor_member(ctx) if cmd.owner is None else await resolve_person(ctx, cmd.owner)
        )
    except Refusal as refused:
        raise Refusal(say(f"Owner: {refused.problem}"), form=form) from None
    if await membership(ctx.session, ctx.actor.workspace_id, team.id, owner.id) is None:
        raise Refusal(
            say(
                f"{owner.display_name} is not on {team.name}. The owner must be someone on the "
                "team: you, the person who raised it, or a teammate."
            ),
            form=form,
        )
    row = Commitment(
        workspace_id=ctx.actor.workspace_id,
        team_id=team.id,
        obstacle_id=obstacle.id,
        for_id=author.id,
        owner_id=owner.id,
        made_by_id=ctx.actor.member_id,
        action=cmd.action,
        due=due,
        status=CommitmentStatus.OPEN,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(row)
    await ctx.session.flush()
    lead = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
    when = format_day(due, "en")
    replies: list[Reply] = [
        say(f"Committed #{row.id}: {row.action}. Yours, due {when}: a reminder comes that day.")
        if owner.id == ctx.actor.member_id
        else say(
            f"Committed #{row.id}: {row.action}. Owner ",
            mention(owner),
            f", due {when}. They get a reminder that day.",
        )
    ]
    if author.id != ctx.actor.member_id:
        told: list[Block] = [
            # `_known_obstacle` refuses one without words, so they are there.
            Paragraph(rich(lead, " answered what is in your way: ", obstacle.text or "")),
            Paragraph(
                rich(
                    f"Commitment #{row.id}: {row.action}. Owner ", mention(owner), f", due {when}."
                )
            ),
        ]
        if owner.id == author.id:
            told.append(_done_or_drop(row.id))  # theirs to do: the buttons come with it
        replies.append(Message(tuple(told), audience=Audience.DM, to=mention(author)))
    if owner.id not in (author.id, ctx.actor.member_id):
        replies.append(_to_owner(lead, owner, author, row, when))
    return replies


def _done_or_drop(commitment_id: int) -> Actions:
    return Actions(
        (
            Button("Done", f"done {commitment_id}", ButtonStyle.PRIMARY),
            Button("Drop it", f"drop {commitment_id}"),
        )
    )


def _to_owner(lead: Mention, owner: Member, author: Member, row: Commitment, when: str) -> Message:
    return Message(
        (
            Paragraph(
                rich(
                    lead,
                    f" asked you to clear something in {author.display_name}'s way: {row.action}. "
                    f"Due {when} (commitment #{row.id}).",
                )
            ),
            _done_or_drop(row.id),
        ),
        audience=Audience.DM,
        to=mention(owner),
    )


def _commit_form(cmd: Commit, author: Member, obstacle: Obstacle) -> FormRequest:
    """The commit form about this obstacle, with what the lead gave so far: asked for when the
    action or the due day is missing, shown again under whatever was wrong with them."""
    values = {"obstacle": str(cmd.obstacle)}
    for name in ("action", "due"):
        value = getattr(cmd, name)
        if value:
            values[name] = value
    if cmd.owner is not None:
        values["owner"] = cmd.owner.typed
    return FormRequest(
        "commit",
        values,
        intro=f"{author.display_name}: {(obstacle.text or '')[:300]}",
        required=("action", "due"),
    )


async def _known_obstacle(ctx: Ctx, number: int) -> Obstacle:
    """The obstacle a number names, to someone who may know of it (`may_know_of`); anyone
    else hears what a number nobody uses gets, never whose way it is in or which team's."""
    obstacle = await obstacle_by_id(ctx.session, ctx.actor.workspace_id, number)
    if (
        obstacle is None
        or obstacle.text is None
        or not await may_know_of(ctx, obstacle.team_id, [obstacle.member_id])
    ):
        raise Refusal(say(f"There is no obstacle #{number} here. ", Code("digest"), " lists them."))
    return obstacle


async def _known_commitment(ctx: Ctx, number: int) -> Commitment:
    """The commitment a number names, to someone who may know of it: its owner, whoever it is
    for, the lead who made it, their teammates and its team (`may_know_of`). Anyone else hears
    what a number nobody uses gets, so a refusal never names its owner or its team."""
    row = await commitment_by_id(ctx.session, ctx.actor.workspace_id, number)
    if row is None or not await may_know_of(
        ctx, row.team_id, [row.owner_id, row.for_id, row.made_by_id]
    ):
        raise Refusal(
            say(f"There is no commitment #{number} here. ", Code("commitments"), " lists yours.")
        )
    return row


async def _own_commitment(ctx: Ctx, number: int, verb: str) -> Commitment:
    """The open commitment the actor may close: its owner's, or the lead's who made it."""
    row = await _known_commitment(ctx, number)
    team = await ctx.session.get(Team, row.team_id)
    assert team is not None
    await switched_on(ctx, team)
    if ctx.actor.member_id not in (row.owner_id, row.made_by_id):
        owner = await ctx.session.get(Member, row.owner_id)
        assert owner is not None
        if row.owner_id == row.made_by_id:
            raise Refusal(say(f"Only {owner.display_name}, who owns it, can {verb}."))
        raise Refusal(
            say(f"Only {owner.display_name}, its owner, or the lead who made it can {verb}.")
        )
    if row.status is not CommitmentStatus.OPEN:
        raise Refusal(say(f"Commitment #{row.id} is {row.status.value} already."))
    return row


async def finish(ctx: Ctx, cmd: FinishCommitment) -> list[Reply]:
    row = await _own_commitment(ctx, cmd.commitment, "mark it done")
    row.status = CommitmentStatus.DONE
    row.closed_at, row.closed_by_id = ctx.clock.now(), ctx.actor.member_id
    await ctx.session.flush()
    return [say(f"Done: #{row.id} {row.action}. Thank you."), *await _tell_others(ctx, row, "done")]


async def drop(ctx: Ctx, cmd: DropCommitment) -> list[Reply]:
    row = await _own_commitment(ctx, cmd.commitment, "drop it")
    if cmd.reason is None:
        return [
            FormRequest(
                "drop",
                {"commitment": str(row.id)},
                intro=f"#{row.id}: {row.action}. Whose way it was in hears the reason.",
                required=("reason",),
            )
        ]
    row.status = CommitmentStatus.DROPPED
    row.reason = cmd.reason
    row.closed_at, row.closed_by_id = ctx.clock.now(), ctx.actor.member_id
    await ctx.session.flush()
    return [
        say(f"Dropped #{row.id} {row.action}. The reason stays with it: {cmd.reason}"),
        *await _tell_others(ctx, row, f"dropped ({cmd.reason})"),
    ]


async def _tell_others(ctx: Ctx, row: Commitment, what: str) -> list[Reply]:
    """The person it was for, its owner and the lead who made it hear what came of it."""
    out: list[Reply] = []
    actor = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
    for member_id in dict.fromkeys((row.for_id, row.owner_id, row.made_by_id)):
        if member_id == ctx.actor.member_id:
            continue
        person = await ctx.session.get(Member, member_id)
        if person is None or not person.is_active:
            continue
        out.append(
            Message(
                (Paragraph(rich(actor, f" marked commitment #{row.id} {what}: {row.action}")),),
                audience=Audience.DM,
                to=mention(person),
            )
        )
    return out


async def list_commitments(ctx: Ctx, cmd: ShowCommitments) -> list[Reply]:
    off = await _switched_off_teams(ctx)
    today = await local_today(ctx)
    rows = await commitments_of_people(
        ctx.session, [ctx.actor.member_id], ctx.clock.now() - timedelta(weeks=2), today
    )
    rows = [r for r in rows if r.team_id not in off]
    me = ctx.actor.member_id
    mine = [r for r in rows if r.owner.member_id == me]
    for_me = [r for r in rows if r.for_.member_id == me and r.owner.member_id != me]
    if not rows:
        return [say("No commitments for you or by you in the last two weeks.")]
    blocks: list[Block] = [Heading("Commitments")]
    if mine:
        blocks += [
            Paragraph(rich(Strong("Yours to do"))),
            Bullets(tuple(rich(commitment_line(r, today)) for r in mine)),
        ]
        open_ = [r for r in mine if r.status is CommitmentStatus.OPEN]
        if open_:
            blocks.append(
                Actions(tuple(Button(f"Done #{r.id}", f"done {r.id}") for r in open_[:10]))
            )
    if for_me:
        blocks += [
            Paragraph(rich(Strong("Made for you"))),
            Bullets(tuple(rich(commitment_line(r, today)) for r in for_me)),
        ]
    blocks.append(Note("Open ones, and those made in the last two weeks."))
    return [Message(tuple(blocks))]


async def _switched_off_teams(ctx: Ctx) -> set[int]:
    """The actor's teams that switched check-ins off, whose commitments are not listed; refused
    when that is every team they are on, naming who can switch it on."""
    mine = await teams_of(ctx.session, ctx.actor.workspace_id, ctx.actor.member_id)
    off = [t for t in mine if not ritual_on(ctx, t)]
    if mine and len(off) == len(mine):
        await switched_on(ctx, off[0])
    return {t.id for t in off}
