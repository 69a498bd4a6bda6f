"""The weekly "what's in my way" check-in: obstacles, the lead's digest, and commitments.

A member says what is in their way (or that nothing is) for their check-in week; the lead
answers each obstacle with a commitment: a concrete action, an owner on the team, a due date.
Deferrals are refused on the spot (`rituals.checkins.vague`). Commitments are followed through: the
owner is reminded on the due day and marks them done or dropped with a reason, the member hears
what came of them, and the next check-in opens with last week's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated

from pydantic import Field, StringConstraints

from rituals.checkins.vague import deferral
from rituals.core.command import CLEAN, Command, KpiRef, Name, PersonRef, Reason, row_number
from rituals.core.context import Ctx
from rituals.core.dates import format_date, format_day
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
    Inline,
    Mention,
    Message,
    Note,
    Paragraph,
    Reply,
    Strong,
    listing,
    rich,
    say,
)
from rituals.core.people import actor_member, local_today, resolve_person
from rituals.core.permissions import leads_team, refuse_team
from rituals.core.refusal import Refusal
from rituals.core.schedule import week_monday, week_name
from rituals.core.settings import WEEKDAYS
from rituals.core.when import read_day, read_iso_date
from rituals.kpis.commands import resolve_kpi
from rituals.team.teams import TEAM, mention, pick_team
from storage.checkins import (
    UNANSWERED_WEEKS,
    CommitmentRow,
    ObstacleRow,
    Who,
    answer_of_week,
    clear_nothing,
    commitment_by_id,
    commitments_of_people,
    digest_commitments,
    obstacle_by_id,
    obstacles_of_weeks,
)
from storage.models import Commitment, CommitmentStatus, Kpi, Member, Obstacle, Role, Team
from storage.people import membership, roster

ASK = "What's in your way this week?"

ObstacleText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000), CLEAN
]
ActionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), CLEAN
]
DueText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]

RULE = (
    "A commitment is an action someone can do, an owner on the team, and a due date. "
    'Answers that only put it off ("I\'ll think about it", "let me get back to you", '
    '"maybe later", "we\'ll see", in any spelling) are refused; an action that merely '
    'contains a soft word beside a real step ("Think through the pricing options with Sam and '
    "send a plan\") is fine. Due today or later, and within the setting's limit (90 days)."
)


class RaiseObstacle(Command):
    text: ObstacleText = Field(
        title=ASK, description="a story, not a slide: what blocks you, and since when"
    )
    kpi: KpiRef | None = Field(None, title="KPI it blocks", description="its number or name")
    team: Name | None = TEAM


class NothingInTheWay(Command):
    team: Name | None = TEAM


class ShowDigest(Command):
    team: Name | None = TEAM


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


# --- time -------------------------------------------------------------------------------------


def read_due(text: str, today: date) -> date:
    """ "2026-11-27", "today", "tomorrow", "fri", "in 3 days", "in 2 weeks" -> a day."""
    words = text.strip().lower()
    if words == "today":
        return today
    if words == "tomorrow":
        return today + timedelta(days=1)
    day = read_day(words.removeprefix("next ").removeprefix("this "))
    if day is not None:
        ahead = (WEEKDAYS.index(day) - today.weekday()) % 7
        return today + timedelta(days=ahead or (7 if words.startswith("next ") else 0))
    span = re.fullmatch(r"in (\d{1,3}) (day|days|week|weeks)", words)
    if span:
        size = int(span.group(1)) * (7 if span.group(2).startswith("week") else 1)
        return today + timedelta(days=size)
    try:
        return read_iso_date(words)
    except ValueError:
        raise ValueError(
            f'"{text[:30]}" is not a day I can read; write 2026-11-27, today, tomorrow, fri or '
            "in 3 days"
        ) from None


def due_problem(due: date, today: date, longest: int) -> str | None:
    if due < today:
        return f"{format_day(due, 'en')} is in the past; give today or a later day"
    if due > today + timedelta(days=longest):
        return (
            f"{format_day(due, 'en')} is more than {longest} days away. An obstacle cleared "
            "that late is not being cleared: commit to a first step due sooner"
        )
    return None


# --- raising obstacles ------------------------------------------------------------------------


async def _my_team(ctx: Ctx, name: str | None) -> Team | Reply:
    team = await pick_team(ctx, name)
    if not isinstance(team, Team):
        return team
    seat = await membership(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id)
    if seat is None:
        return say(f"You are not on {team.name}. Check-ins are for the team's own people.")
    return team


async def _lead_of(ctx: Ctx, team: Team) -> Member | None:
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    return next((s.member for s in seats if s.role is Role.LEAD), None)


async def raise_obstacle(ctx: Ctx, cmd: RaiseObstacle) -> list[Reply]:
    team = await _my_team(ctx, cmd.team)
    if not isinstance(team, Team):
        return [team]
    kpi_id = None
    if cmd.kpi is not None:
        kpi = await resolve_kpi(ctx, cmd.kpi, f'obstacle "{cmd.text[:200]}" kpi')
        if not isinstance(kpi, Kpi):
            return [kpi]
        kpi_id = kpi.id
    week = week_name(await local_today(ctx))
    await clear_nothing(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id, week)
    obstacle = Obstacle(
        workspace_id=ctx.actor.workspace_id,
        team_id=team.id,
        member_id=ctx.actor.member_id,
        week=week,
        text=cmd.text,
        kpi_id=kpi_id,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(obstacle)
    await ctx.session.flush()
    lead = await _lead_of(ctx, team)
    if lead is None or lead.id == ctx.actor.member_id:
        return [
            say(
                f"Saved as obstacle #{obstacle.id} for {team.name}. ",
                "The team has no other lead to answer it, so it waits in ",
                Code(f'digest in "{team.name}"'),
                ".",
            )
        ]
    replies: list[Reply] = [
        say(
            f"Saved as obstacle #{obstacle.id}. ",
            mention(lead),
            " answers each obstacle with a commitment: an action, an owner and a due date. "
            "You will hear what was committed.",
        )
    ]
    replies.append(_obstacle_to_lead(ctx, lead, obstacle, team))
    return replies


def _obstacle_to_lead(ctx: Ctx, lead: Member, obstacle: Obstacle, team: Team) -> Message:
    asker = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
    return Message(
        (
            Paragraph(rich(asker, f" raised an obstacle in {team.name} (#{obstacle.id}): ")),
            Paragraph(rich(obstacle.text or "")),
            Actions(
                (Button("Commit to clearing it", f"commit {obstacle.id}", ButtonStyle.PRIMARY),)
            ),
        ),
        audience=Audience.DM,
        to=mention(lead),
    )


async def nothing(ctx: Ctx, cmd: NothingInTheWay) -> list[Reply]:
    team = await _my_team(ctx, cmd.team)
    if not isinstance(team, Team):
        return [team]
    week = week_name(await local_today(ctx))
    answers = await answer_of_week(
        ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id, week
    )
    if any(a.text for a in answers):
        return [
            say(
                f"You raised {len([a for a in answers if a.text])} obstacle(s) this week already; "
                "they stay until they are answered."
            )
        ]
    if not answers:
        ctx.session.add(
            Obstacle(
                workspace_id=ctx.actor.workspace_id,
                team_id=team.id,
                member_id=ctx.actor.member_id,
                week=week,
                text=None,
                created_at=ctx.clock.now(),
            )
        )
        await ctx.session.flush()
    return [
        say(
            f"Noted: nothing in your way this week in {team.name}. If something comes up, ",
            Code("obstacle <what is in your way>"),
            " any time.",
        )
    ]


# --- the digest -------------------------------------------------------------------------------


def _obstacle_line(o: ObstacleRow, this_week: str) -> Paragraph:
    about = [f"#{o.id}"]
    if o.kpi:
        about.append(f"blocks {o.kpi}")
    if o.week != this_week:
        about.append(f"from the week of {format_date(week_monday(o.week), 'en')}")
    author = Mention(o.author.platform_user_id, o.author.display_name)
    return Paragraph(rich(author, f" ({', '.join(about)}): ", o.text or ""))


def status_text(row: CommitmentRow, today: date) -> str:
    if row.status is CommitmentStatus.DONE:
        return "done"
    if row.status is CommitmentStatus.DROPPED:
        return f"dropped: {row.reason}" if row.reason else "dropped"
    if row.due < today:
        return f"overdue since {format_date(row.due, 'en')}"
    return f"open, due {format_day(row.due, 'en')}"


def commitment_line(row: CommitmentRow, today: date) -> str:
    return f"#{row.id} {row.owner.display_name}: {row.action} ({status_text(row, today)})"


def digest_body(
    team: str,
    week: str,
    people: Sequence[Who],
    obstacles: Sequence[ObstacleRow],
    commitments: Sequence[CommitmentRow],
    today: date,
) -> list[Block]:
    """The lead's digest of one check-in week: every obstacle, what answers it, who is clear,
    who has not answered, and what is overdue."""
    blocks: list[Block] = [
        Heading(f"Check-in digest: {team}, week of {format_date(week_monday(week), 'en')}")
    ]
    raised = [o for o in obstacles if o.text]
    blocked = {o.author.member_id for o in raised}
    clear = list(
        {
            o.author.member_id: o.author
            for o in obstacles
            if not o.text and o.week == week and o.author.member_id not in blocked
        }.values()
    )
    answered = {o.author.member_id for o in obstacles if o.week == week}
    by_obstacle: dict[int, list[CommitmentRow]] = {}
    for row in commitments:
        if row.obstacle_id is not None:
            by_obstacle.setdefault(row.obstacle_id, []).append(row)
    waiting = [o for o in raised if o.id not in by_obstacle]
    if raised:
        blocks.append(
            Paragraph(
                rich(
                    f"{len(raised)} obstacle{'s' if len(raised) != 1 else ''}, "
                    f"{len(waiting)} waiting for a commitment: an action, an owner, a due date."
                )
            )
        )
    else:
        blocks.append(Paragraph(rich("Nobody raised an obstacle this week.")))
    for o in raised:
        blocks.append(_obstacle_line(o, week))
        answers = by_obstacle.get(o.id)
        if answers:
            blocks.append(Bullets(tuple(rich(commitment_line(r, today)) for r in answers)))
        else:
            blocks.append(
                Actions((Button(f"Commit to #{o.id}", f"commit {o.id}", ButtonStyle.PRIMARY),))
            )
    if clear:
        names: list[Inline] = [c.display_name for c in clear]
        blocks.append(Paragraph(rich("Nothing in the way: ", *listing(names), ".")))
    silent = [p.display_name for p in people if p.member_id not in answered]
    if silent:
        blocks.append(Paragraph(rich("No answer yet: ", *listing(list(silent)), ".")))
    overdue = [r for r in commitments if r.status is CommitmentStatus.OPEN and r.due < today]
    if overdue:
        blocks += [
            Paragraph(rich(Strong("Overdue commitments"))),
            Bullets(tuple(rich(commitment_line(r, today)) for r in overdue)),
        ]
    blocks.append(Note(RULE))
    return blocks


async def load_digest(
    ctx: Ctx, team: Team, week: str, today: date
) -> tuple[list[ObstacleRow], list[CommitmentRow]]:
    earliest = week_name(week_monday(week) - timedelta(weeks=UNANSWERED_WEEKS))
    obstacles = await obstacles_of_weeks(ctx.session, [(team.id, week)], earliest)
    commitments = await digest_commitments(ctx.session, [team.id], [o.id for o in obstacles], today)
    return obstacles, commitments


async def digest(ctx: Ctx, cmd: ShowDigest) -> list[Reply]:
    team = await pick_team(ctx, cmd.team)
    if not isinstance(team, Team):
        return [team]
    if not await leads_team(ctx, team):
        return [await refuse_team(ctx, "see its check-in digest", team)]
    today = await local_today(ctx)
    week = week_name(today)
    obstacles, commitments = await load_digest(ctx, team, week, today)
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    people = [
        Who(s.member.id, s.member.platform_user_id, s.member.display_name)
        for s in seats
        if s.role is not Role.LEAD and s.member.is_active
    ]
    return [Message(tuple(digest_body(team.name, week, people, obstacles, commitments, today)))]


# --- commitments ------------------------------------------------------------------------------


async def commit(ctx: Ctx, cmd: Commit) -> list[Reply]:
    obstacle = await obstacle_by_id(ctx.session, ctx.actor.workspace_id, cmd.obstacle)
    if obstacle is None or obstacle.text is None:
        return [say(f"There is no obstacle #{cmd.obstacle} here. ", Code("digest"), " lists them.")]
    team = await ctx.session.get(Team, obstacle.team_id)
    assert team is not None
    if not await leads_team(ctx, team):
        return [await refuse_team(ctx, "commit to clearing its obstacles", team)]
    author = await ctx.session.get(Member, obstacle.member_id)
    assert author is not None
    if cmd.action is None or cmd.due is None:
        return [_commit_form(cmd, author, obstacle.text, "")]
    vague = deferral(cmd.action, ctx.settings.checkins.vague_phrases)
    if vague is not None:
        return [
            _commit_form(
                cmd,
                author,
                obstacle.text,
                f'"{cmd.action[:80]}" puts it off ("{vague}") instead of clearing it. What '
                "will be done, by whom, by when? For example: Ask Sam for the pricing sheet and "
                "send it to Ana.",
            )
        ]
    today = await local_today(ctx)
    try:
        due = read_due(cmd.due, today)
    except ValueError as exc:
        return [_commit_form(cmd, author, obstacle.text, f"Due: {exc}.")]
    problem = due_problem(due, today, ctx.settings.checkins.longest_commitment_days)
    if problem:
        return [_commit_form(cmd, author, obstacle.text, f"Due: {problem}.")]
    try:
        owner = (
            await actor_member(ctx) if cmd.owner is None else await resolve_person(ctx, cmd.owner)
        )
    except Refusal as refused:
        return [_commit_form(cmd, author, obstacle.text, f"Owner: {refused.problem}")]
    if await membership(ctx.session, ctx.actor.workspace_id, team.id, owner.id) is None:
        return [
            _commit_form(
                cmd,
                author,
                obstacle.text,
                f"{owner.display_name} is not on {team.name}. The owner must be someone on the "
                "team: you, the person who raised it, or a teammate.",
            )
        ]
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
        say(
            f"Committed #{row.id}: {row.action}. Owner ",
            mention(owner),
            f", due {when}. They get a reminder that day.",
        )
    ]
    if author.id != ctx.actor.member_id:
        told: list[Block] = [
            Paragraph(rich(lead, " answered what is in your way: ", obstacle.text)),
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


def _commit_form(cmd: Commit, author: Member, obstacle: str, problem: str) -> FormRequest:
    values = {"obstacle": str(cmd.obstacle)}
    for name in ("action", "due"):
        value = getattr(cmd, name)
        if value:
            values[name] = value
    if cmd.owner is not None:
        values["owner"] = cmd.owner.typed
    intro = f"{author.display_name}: {obstacle[:300]}"
    return FormRequest(
        "commit",
        values,
        intro=f"{problem}\n{intro}" if problem else intro,
        required=("action", "due"),
    )


async def _own_commitment(ctx: Ctx, number: int, verb: str) -> Commitment | Reply:
    row = await commitment_by_id(ctx.session, ctx.actor.workspace_id, number)
    if row is None:
        return say(f"There is no commitment #{number} here. ", Code("commitments"), " lists yours.")
    if ctx.actor.member_id not in (row.owner_id, row.made_by_id):
        owner = await ctx.session.get(Member, row.owner_id)
        assert owner is not None
        return say(f"Only {owner.display_name}, its owner, or the lead who made it can {verb} it.")
    if row.status is not CommitmentStatus.OPEN:
        return say(f"Commitment #{row.id} is {row.status.value} already.")
    return row


async def finish(ctx: Ctx, cmd: FinishCommitment) -> list[Reply]:
    row = await _own_commitment(ctx, cmd.commitment, "mark")
    if not isinstance(row, Commitment):
        return [row]
    row.status = CommitmentStatus.DONE
    row.closed_at = ctx.clock.now()
    await ctx.session.flush()
    return [say(f"Done: #{row.id} {row.action}. Thank you."), *await _tell_others(ctx, row, "done")]


async def drop(ctx: Ctx, cmd: DropCommitment) -> list[Reply]:
    row = await _own_commitment(ctx, cmd.commitment, "drop")
    if not isinstance(row, Commitment):
        return [row]
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
    row.closed_at = ctx.clock.now()
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
    today = await local_today(ctx)
    rows = await commitments_of_people(
        ctx.session, [ctx.actor.member_id], ctx.clock.now() - timedelta(weeks=2), today
    )
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
