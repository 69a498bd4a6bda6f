"""The check-in's scheduled prompts: the weekly check-in, the lead's digest the day after, and
the owner's reminder on a commitment's due day.

Each loader reads what its prompts say for every due prompt of a tick at once (one query per
kind, over every team and person), never a query per person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rituals.checkins.commands import digest_body, status_text
from rituals.checkins.store import (
    UNANSWERED_WEEKS,
    CommitmentRow,
    Who,
    commitments_of_people,
    digest_commitments,
    due_commitments,
    obstacles_of_weeks,
)
from rituals.core.dates import format_day
from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Heading,
    Mention,
    Message,
    Paragraph,
    Strong,
    rich,
)
from rituals.core.nudges import Prompt, details_or
from rituals.core.schedule import Occurrence, Rule, week_monday, week_name
from rituals.core.settings import WEEKDAYS, TeamRituals
from rituals.core.spec import PromptKind, PromptSpec, Recipients, ReminderSpec
from rituals.core.tick import Asked, Reminder
from rituals.team.teams import DAY_NAMES
from storage.models import Nudge, NudgeOutcome
from storage.roster import SeatRow

# --- the weekly check-in ----------------------------------------------------------------------


def checkin_actions(team: str, lead: Mention | None) -> Actions:
    """Answering is one click: a form for the obstacle, or nothing in the way."""
    who = lead.display_name if lead else "the team"
    return Actions(
        (
            Button(
                f"Tell {who} what's in my way"[:75], f'obstacle in "{team}"', ButtonStyle.PRIMARY
            ),
            Button("Nothing this week", f'nothing in "{team}"'),
        )
    )


def _checkin(p: Prompt) -> list[Block]:
    ask: list[Block] = [
        Heading(f"Weekly check-in: {p.team}"),
        *p.details,
        Paragraph(rich(f"Hi {p.to.display_name}. What's in your way this week?")),
    ]
    if p.lead is not None:
        ask.append(
            Paragraph(
                rich(
                    "A blocked KPI, a decision you are waiting for, a tool that slows you "
                    "down: tell ",
                    p.lead,
                    ". Clearing the way is what a lead is for.",
                )
            )
        )
    else:
        ask.append(
            Paragraph(rich("You lead this team: ask yourself the same, then ask each of them."))
        )
    return [*ask, checkin_actions(p.team, p.lead)]


def _who_committed(row: CommitmentRow) -> str:
    """ "Lea committed Ben", or "Lea committed" when she took it on herself."""
    if row.made_by.member_id == row.owner.member_id:
        return f"{row.made_by.display_name} committed"
    return f"{row.made_by.display_name} committed {row.owner.display_name}"


def last_week_blocks(rows: Sequence[CommitmentRow], today: date) -> list[Block]:
    """What was promised last week, by whom, and whether it happened: opens the check-in."""
    if not rows:
        return []
    return [
        Paragraph(rich(Strong("Last week's commitments"))),
        Bullets(
            tuple(
                rich(f"{_who_committed(r)} to: {r.action} ({status_text(r, today)})") for r in rows
            )
        ),
    ]


async def _last_weeks(
    session: AsyncSession, asked: Sequence[Asked], now: datetime
) -> dict[str, tuple[Block, ...]]:
    """Last week's commitments that concern each person, on this team, and what came of them."""
    if not asked:
        return {}
    # Made since last week's Monday (a day early, for zones ahead of UTC), or still overdue.
    monday = week_monday(week_name(min(a.today for a in asked))) - timedelta(weeks=1)
    since = datetime.combine(monday, time(), UTC) - timedelta(days=1)
    rows = await commitments_of_people(
        session, {a.seat.member_id for a in asked}, since, max(a.today for a in asked)
    )
    # Grouped once by (team, person): matching every row against every person is quadratic.
    concerning: dict[tuple[int, int], list[CommitmentRow]] = defaultdict(list)
    for r in rows:
        for member_id in {r.for_.member_id, r.owner.member_id}:
            concerning[(r.team_id, member_id)].append(r)
    return {
        a.key: tuple(last_week_blocks(concerning.get((a.team.id, a.seat.member_id), []), a.today))
        for a in asked
    }


def _checkin_rule(rituals: TeamRituals, team_created: date) -> Rule:
    return Rule(PromptKind.CHECKIN, "weekly", rituals.checkin_day, rituals.checkin_time)


def _checkin_cadence(rituals: TeamRituals) -> str:
    return f"{DAY_NAMES[rituals.checkin_day]}s at {rituals.checkin_time}"


CHECKIN = PromptSpec(
    kind=PromptKind.CHECKIN,
    priority=1,
    rule=_checkin_rule,
    body=_checkin,
    load=_last_weeks,
    label="Check-in",
    cadence=_checkin_cadence,
)

# --- the lead's digest ------------------------------------------------------------------------


def checkin_week(occ: Occurrence) -> str:
    """The check-in week a digest reports on: the day before it (a Sunday check-in's digest
    comes on Monday, in the next ISO week)."""
    return week_name(occ.day - timedelta(days=1))


def _digest(p: Prompt) -> list[Block]:
    return details_or(
        p, [Heading(f"Check-in digest: {p.team}"), Paragraph(rich("`digest` shows it."))]
    )


def _who(seat: SeatRow) -> Who:
    return Who(
        seat.member_id,
        seat.platform_user_id,
        seat.display_name,
        seat.joined_at,
        seat.away_until,
        seat.skip_week,
    )


async def _digests(
    session: AsyncSession, asked: Sequence[Asked], now: datetime
) -> dict[str, tuple[Block, ...]]:
    if not asked:
        return {}
    week = {a.key: checkin_week(a.occ) for a in asked}
    weeks = {(a.team.id, week[a.key]) for a in asked}
    earliest = {
        a.key: week_name(week_monday(week[a.key]) - timedelta(weeks=UNANSWERED_WEEKS))
        for a in asked
    }
    obstacles = await obstacles_of_weeks(session, weeks, min(earliest.values()))
    had = await _had_a_digest(session, asked)
    commitments = await digest_commitments(
        session,
        {a.team.id for a in asked},
        [o.id for o in obstacles],
        max(a.today for a in asked),
    )
    out: dict[str, tuple[Block, ...]] = {}
    for a in asked:
        shown = [
            o
            for o in obstacles
            # This week's answers, and any obstacle still unanswered since `earliest`: raised
            # late, or after the check-in day (a Friday check-in's digest comes on Monday).
            if o.team_id == a.team.id and (o.week == week[a.key] or earliest[a.key] <= o.week)
        ]
        ids = {o.id for o in shown}
        answers = [
            c
            for c in commitments
            if c.team_id == a.team.id and (c.obstacle_id in ids or c.due < a.today)
        ]
        people = [_who(s) for s in a.people if s is not a.lead]
        first = a.seat.member_id not in had
        body = digest_body(a.team.name, week[a.key], people, shown, answers, a.today, first)
        out[a.key] = tuple(body)
    return out


async def _had_a_digest(session: AsyncSession, asked: Sequence[Asked]) -> set[int]:
    """The leads among these who had a digest before this one (its own row is written)."""
    query = select(Nudge.member_id).where(
        Nudge.ritual == PromptKind.DIGEST,
        Nudge.outcome == NudgeOutcome.QUEUED,
        Nudge.member_id.in_({a.seat.member_id for a in asked}),
        Nudge.dedupe_key.not_in([a.key for a in asked]),
    )
    return set((await session.scalars(query)).all())


def _digest_rule(rituals: TeamRituals, team_created: date) -> Rule:
    """The next day, at check-in time, so everyone had a day to answer."""
    day = WEEKDAYS[(WEEKDAYS.index(rituals.checkin_day) + 1) % 7]  # type: ignore[arg-type, unused-ignore]
    return Rule(PromptKind.DIGEST, "weekly", day, rituals.checkin_time)


DIGEST = PromptSpec(
    kind=PromptKind.DIGEST,
    priority=1,
    rule=_digest_rule,
    body=_digest,
    load=_digests,
    # The lead's work list, asked for by their team's answers: it must not crowd out their
    # own check-in or one-on-ones.
    budgeted=False,
    recipients=Recipients.LEAD,
)

# --- a commitment's due day -------------------------------------------------------------------


def reminder(row: CommitmentRow, today: date) -> Message:
    """The owner's reminder on the due day."""
    whose = (
        "your own obstacle"
        if row.for_.member_id == row.owner.member_id
        else f"what was in {row.for_.display_name}'s way"
    )
    when = "today" if row.due == today else format_day(row.due, "en")
    return Message(
        (
            Paragraph(
                rich(
                    f"Due {when}: {row.action} (commitment #{row.id}, to clear {whose}"
                    + (
                        ")."
                        if row.made_by.member_id == row.owner.member_id
                        else f", made by {row.made_by.display_name})."
                    )
                )
            ),
            Actions(
                (
                    Button("Done", f"done {row.id}", ButtonStyle.PRIMARY),
                    Button("Drop it", f"drop {row.id}"),
                ),
                prompt="Done, or drop it with a reason?",
            ),
        ),
        audience=Audience.DM,
        to=Mention(row.owner.platform_user_id, row.owner.display_name),
    )


def _commitment_due(row: CommitmentRow) -> Reminder:
    return Reminder(
        f"commitment:{row.id}",
        PromptKind.COMMITMENT,
        row.team_id,
        row.owner.member_id,
        row.due,
        lambda seat, today: reminder(row, today),
    )


async def _commitments(session: AsyncSession, days: set[date]) -> list[Reminder]:
    return [_commitment_due(r) for r in await due_commitments(session, days)]


COMMITMENT = ReminderSpec(kind=PromptKind.COMMITMENT, due=_commitments)
