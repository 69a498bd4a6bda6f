"""The check-in's digest and what the scheduled messages say, with the due days they read.

The weekly "what's in my way" check-in: a member says what is in their way, or that nothing is
(`rituals.checkins.obstacles`); the lead answers each obstacle with a commitment that is followed
through (`rituals.checkins.commitments`). Here: the lead's digest of the week, the opening of the
next check-in with last week's commitments, the owner's reminder on the due day, and the due
days every ritual's commitments are read with.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated

from pydantic import StringConstraints

from rituals.checkins.store import (
    UNANSWERED_WEEKS,
    CommitmentRow,
    ObstacleRow,
    Who,
    digest_commitments,
    obstacles_of_weeks,
)
from rituals.core.command import Command, Name
from rituals.core.context import Ctx
from rituals.core.dates import format_date, format_day
from rituals.core.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    ButtonStyle,
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
)
from rituals.core.people import local_today
from rituals.core.schedule import week_monday, week_name
from rituals.core.when import read_date
from rituals.team.gate import team_gate
from rituals.team.teams import TEAM
from storage.models import CommitmentStatus, Role, Team
from storage.teams import roster

DueText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]

RULE = (
    'A commitment is an action someone can do (a step and what it acts on: "Send the '
    'signed contract to legal"), an owner on the team, and a due date. Answers that only put '
    'it off ("I\'ll think about it", "I\'ll consider it", "will take a look", "let me get back '
    'to you", in any spelling) are refused; an action that merely '
    'contains a soft word beside a real step ("Think through the pricing options with Sam and '
    "send a plan\") is fine. Due today or later, and within the setting's limit (90 days)."
)


# The digest says the rule in full once, in a lead's first digest; after that, where it is.
RULE_LINK = "What makes a commitment: `help commit`."


class ShowDigest(Command):
    team: Name | None = TEAM


# --- time -------------------------------------------------------------------------------------


# A due day is written the way every day is: "fri", "in 3 days", a date.
read_due = read_date


def due_problem(due: date, today: date, longest: int) -> str | None:
    if due < today:
        return f"{format_day(due, 'en')} is in the past; give today or a later day"
    if due > today + timedelta(days=longest):
        return (
            f"{format_day(due, 'en')} is more than {longest} days away. An obstacle cleared "
            "that late is not being cleared: commit to a first step due sooner"
        )
    return None


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
    first: bool = False,
) -> list[Block]:
    """The lead's digest of one check-in week: every obstacle, what answers it, who is clear,
    who has not answered, and what is overdue; the commitment rule in full in the lead's
    `first` digest, a pointer to it in every other."""
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
    unanswered = [p for p in people if p.member_id not in answered]
    for why, words in (
        (None, "No answer yet: "),
        ("joined", "Joined the team this week (not asked yet): "),
        ("away", "Away or skipping this week: "),
    ):
        names = [p.display_name for p in unanswered if p.excused(week) == why]
        if names:
            blocks.append(Paragraph(rich(words, *listing(list(names)), ".")))
    overdue = [r for r in commitments if r.status is CommitmentStatus.OPEN and r.due < today]
    if overdue:
        blocks += [
            Paragraph(rich(Strong("Overdue commitments"))),
            Bullets(tuple(rich(commitment_line(r, today)) for r in overdue)),
        ]
    blocks.append(Note(RULE if first else RULE_LINK))
    return blocks


async def load_digest(
    ctx: Ctx, team: Team, week: str, today: date
) -> tuple[list[ObstacleRow], list[CommitmentRow]]:
    earliest = week_name(week_monday(week) - timedelta(weeks=UNANSWERED_WEEKS))
    obstacles = await obstacles_of_weeks(ctx.session, [(team.id, week)], earliest)
    commitments = await digest_commitments(ctx.session, [team.id], [o.id for o in obstacles], today)
    return obstacles, commitments


async def digest(ctx: Ctx, cmd: ShowDigest) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="see its check-in digest")
    today = await local_today(ctx)
    week = week_name(today)
    obstacles, commitments = await load_digest(ctx, team, week, today)
    seats = await roster(ctx.session, ctx.actor.workspace_id, team.id)
    people = [
        Who(
            s.member.id,
            s.member.platform_user_id,
            s.member.display_name,
            s.joined_at,
            s.member.away_until,
            s.member.skip_week,
        )
        for s in seats
        if s.role is not Role.LEAD and s.member.is_active
    ]
    return [Message(tuple(digest_body(team.name, week, people, obstacles, commitments, today)))]
