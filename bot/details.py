"""What the store says in each due prompt, loaded for every prompt of a tick at once.

A check-in opens with last week's commitments, a lead's digest lists the week's obstacles, and
a one-on-one prompt carries the pair's script. The tick builds them all with the same handful
of statements (one loader per kind, over every team and person due), never a query per person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.checkins.commands import digest_body, last_week_blocks
from rituals.core.command import mention_text
from rituals.core.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    Heading,
    Mention,
    Note,
    Paragraph,
    rich,
)
from rituals.core.schedule import week_monday, week_name
from rituals.core.settings import TeamRituals
from rituals.fails.commands import ballot_blocks, vote_of
from rituals.kpis.commands import describe_target
from rituals.one_on_ones.scripts import NEXT_QUESTIONS, build, summary
from rituals.pulse.commands import answer_blocks
from rituals.reviews.commands import Reviewable, prompt_blocks
from storage.checkins import (
    UNANSWERED_WEEKS,
    Who,
    commitments_of_people,
    digest_commitments,
    obstacles_of_weeks,
)
from storage.fails import stories
from storage.one_on_ones import Pair, load_scripts
from storage.pulses import open_pulses_of
from storage.reviews import active_kpis_owned_by
from storage.roster import SeatRow, TeamRow

# The lead's one-on-one prompt offers a button for this many reports' scripts; `script @name`
# reaches the rest.
SCRIPT_BUTTONS = 10


@dataclass(frozen=True)
class Asked:
    """One due prompt, with what the tick already knows about its team and person."""

    key: str
    ritual: str
    week: str  # the check-in week a digest reports on, or the prompt's own week
    team: TeamRow
    rituals: TeamRituals  # the team's, over app.yaml's
    seat: SeatRow
    lead: SeatRow | None
    people: Sequence[SeatRow]
    today: date  # the person's local date


def seat_mention(seat: SeatRow) -> Mention:
    """A real mention of someone the tick loaded."""
    return Mention(seat.platform_user_id, seat.display_name)


def _who(seat: SeatRow) -> Who:
    return Who(seat.member_id, seat.platform_user_id, seat.display_name)


async def details(
    session: AsyncSession, asked: Sequence[Asked], now: datetime
) -> dict[str, tuple[Block, ...]]:
    """Prompt key -> the blocks the store gives it."""
    by_ritual: dict[str, list[Asked]] = defaultdict(list)
    for a in asked:
        by_ritual[a.ritual].append(a)
    out: dict[str, tuple[Block, ...]] = {}
    out.update(await _checkins(session, by_ritual["checkin"]))
    out.update(await _digests(session, by_ritual["digest"]))
    out.update(await _one_on_ones(session, by_ritual["one_on_one"], now))
    out.update(await _reviews(session, by_ritual["review"]))
    out.update(await _fails(session, by_ritual["fail_of_month"], now))
    out.update(await _pulses(session, by_ritual["pulse"]))
    return out


async def _fails(
    session: AsyncSession, asked: Sequence[Asked], now: datetime
) -> dict[str, tuple[Block, ...]]:
    """The month's ballot: each story with a vote button, or an invitation to nominate."""
    if not asked:
        return {}
    found = await stories(session, {(a.team.id, a.week) for a in asked})
    out: dict[str, tuple[Block, ...]] = {}
    for a in asked:
        vote = vote_of(a.week, a.rituals, a.team.time_zone)
        mine = [
            s for s in found if s.nomination.team_id == a.team.id and s.nomination.month == a.week
        ]
        out[a.key] = (
            Heading(f"Fail of the Month: {a.team.name}, {vote.name}"),
            Paragraph(rich("Who learned the most from a misstep this month? One vote each.")),
            *ballot_blocks(mine, vote, a.seat.member_id, now),
        )
    return out


async def _pulses(session: AsyncSession, asked: Sequence[Asked]) -> dict[str, tuple[Block, ...]]:
    """The team's open pulse, with a button per score."""
    if not asked:
        return {}
    pulses = {
        p.team_id: p
        for p in await open_pulses_of(session, {a.team.id for a in asked})
        if p.closed_at is None
    }
    return {
        a.key: tuple(answer_blocks(pulses[a.team.id], a.team.name, a.team.time_zone))
        for a in asked
        if a.team.id in pulses
    }


async def _reviews(session: AsyncSession, asked: Sequence[Asked]) -> dict[str, tuple[Block, ...]]:
    """Each person's active KPIs to review; a lead's prompt adds their team's."""
    if not asked:
        return {}
    owners = {a.seat.member_id for a in asked}
    owners |= {s.member_id for a in asked if a.lead is a.seat for s in a.people}
    by_owner: dict[int, list[Reviewable]] = defaultdict(list)
    for kpi, name in await active_kpis_owned_by(session, owners):
        target = describe_target(kpi.target, kpi.unit, kpi.cadence)
        by_owner[kpi.owner_id].append(Reviewable(kpi.id, kpi.name, name, target))
    out: dict[str, tuple[Block, ...]] = {}
    for a in asked:
        mine = by_owner.get(a.seat.member_id, [])
        theirs = (
            [k for s in a.people if s is not a.seat for k in by_owner.get(s.member_id, [])]
            if a.lead is a.seat
            else []
        )
        out[a.key] = tuple(prompt_blocks(a.team.name, mine, theirs))
    return out


async def _checkins(session: AsyncSession, asked: Sequence[Asked]) -> dict[str, tuple[Block, ...]]:
    """Last week's commitments that concern each person, on this team, and what came of them."""
    if not asked:
        return {}
    # Made since last week's Monday (a day early, for zones ahead of UTC), or still overdue.
    monday = min(week_monday(week_name(a.today)) for a in asked) - timedelta(weeks=1)
    since = datetime.combine(monday, time(), UTC) - timedelta(days=1)
    rows = await commitments_of_people(
        session, {a.seat.member_id for a in asked}, since, max(a.today for a in asked)
    )
    out: dict[str, tuple[Block, ...]] = {}
    for a in asked:
        mine = [
            r
            for r in rows
            if r.team_id == a.team.id and a.seat.member_id in (r.for_.member_id, r.owner.member_id)
        ]
        out[a.key] = tuple(last_week_blocks(mine, a.today))
    return out


async def _digests(session: AsyncSession, asked: Sequence[Asked]) -> dict[str, tuple[Block, ...]]:
    if not asked:
        return {}
    weeks = {(a.team.id, a.week) for a in asked}
    earliest = {
        a.key: week_name(week_monday(a.week) - timedelta(weeks=UNANSWERED_WEEKS)) for a in asked
    }
    obstacles = await obstacles_of_weeks(session, weeks, min(earliest.values()))
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
            if o.team_id == a.team.id and (o.week == a.week or earliest[a.key] <= o.week)
        ]
        ids = {o.id for o in shown}
        answers = [
            c
            for c in commitments
            if c.team_id == a.team.id and (c.obstacle_id in ids or c.due < a.today)
        ]
        people = [_who(s) for s in a.people if s is not a.lead]
        out[a.key] = tuple(digest_body(a.team.name, a.week, people, shown, answers, a.today))
    return out


async def _one_on_ones(
    session: AsyncSession, asked: Sequence[Asked], now: datetime
) -> dict[str, tuple[Block, ...]]:
    """The member's script, or for the lead, a line per report with a button to each script."""
    wanted: dict[Pair, datetime] = {}
    reports: dict[str, list[tuple[Pair, SeatRow]]] = {}
    for a in asked:
        if a.lead is None:
            continue
        since = now - timedelta(weeks=a.rituals.one_on_one_weeks)
        others = [s for s in a.people if s is not a.lead] if a.seat is a.lead else [a.seat]
        reports[a.key] = [(Pair(a.team.id, a.lead.member_id, s.member_id), s) for s in others]
        wanted.update({pair: since for pair, _ in reports[a.key]})
    scripts = await load_scripts(session, wanted, now)
    out: dict[str, tuple[Block, ...]] = {}
    for a in asked:
        if a.lead is None:
            continue
        lead = seat_mention(a.lead)
        if a.seat is not a.lead:
            pair, seat = reports[a.key][0]
            blocks = build(scripts[pair], lead, seat_mention(seat), a.team.name, False, "en")
            out[a.key] = tuple(blocks)
            continue
        lines = tuple(summary(scripts[pair], seat_mention(seat)) for pair, seat in reports[a.key])
        buttons = tuple(
            Button(
                f"Script with {seat.display_name}"[:75],
                f'script with {mention_text(seat.platform_user_id)} in "{a.team.name}"',
            )
            for _, seat in reports[a.key][:SCRIPT_BUTTONS]
        )
        out[a.key] = (
            Heading(f"One-on-ones this week: {a.team.name}"),
            Paragraph(rich("Each script opens with their wins. What each holds:")),
            Bullets(lines),
            Actions(buttons),
            Paragraph(rich("Then, together: ", " ".join(NEXT_QUESTIONS))),
            Note("`script @name` shows anyone's; only the two of you see it."),
        )
    return out
