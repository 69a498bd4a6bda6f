"""The weekly budget: how many unprompted DMs a person gets, and which prompts go alone.

Prompts come round on different days of a week, so a budget spent first come, first served
lets a ballot on Tuesday take the slot of Wednesday's one-on-one, which then is missed with
nobody told. The budget is planned over the rest of the person's week instead: prompts due
together merge into one message when the week holds more than the budget, and a prompt
waits (to merge later, within its grace) rather than take a slot a more important prompt
still needs this week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.tick.calendar import Calendar
from bot.tick.report import TickReport
from rituals.core.schedule import Rule, occurrence
from rituals.core.spec import Recipients
from rituals.core.tick import Candidate, Crew
from storage.outbox import budget_used
from storage.roster import SeatRow


async def groups(
    session: AsyncSession,
    due: list[Candidate],
    budget: int,
    calendar: Calendar,
    now: datetime,
    report: TickReport,
) -> list[list[Candidate]]:
    """Prompts per person within their weekly budget: each alone while the week's prompts
    fit, else those due now merged into one message, or waiting for a more important prompt
    still to come this week; none at all once the budget is spent (they wait).

    A prompt its spec leaves out of the budget (a lead's digest) goes alone, always.
    """
    out: list[list[Candidate]] = [[c] for c in due if not c.spec.budgeted]
    by_person: dict[int, list[Candidate]] = defaultdict(list)
    for c in due:
        if c.spec.budgeted:
            by_person[c.seat.member_id].append(c)
    weeks = {calendar.budget_week(cs[0].seat.time_zone, now) for cs in by_person.values()}
    used = await budget_used(session, weeks)
    ahead: Ahead = {}
    known: Later = {}
    for member_id, cs in by_person.items():
        week = calendar.budget_week(cs[0].seat.time_zone, now)
        left = budget - used.get((member_id, week), 0)
        cs.sort(key=lambda c: (c.prompt.priority, c.key))
        later = _later_this_week(cs, calendar.today(cs[0].seat.time_zone, now), now, ahead, known)
        sending = plan(cs, later, left)
        report.held += len(cs) - sum(len(g) for g in sending)
        out += sending
    return out


def plan(due: Sequence[Candidate], later: Sequence[int], left: int) -> list[list[Candidate]]:
    """One person's messages now, from their due prompts (most important first), the
    priorities of their prompts still to come this week, and the budget left.

    What fits goes alone. Otherwise the slots not kept for the prompts to come carry the
    most important alone and the rest merged into one message; with no slot to spare, they
    all merge into one, unless a prompt to come outranks them all and needs the last slot:
    then they wait, to ride along with it."""
    if left <= 0:
        return []
    if len(due) + len(later) <= left:
        return [[c] for c in due]
    slots = left - len(later)
    if slots >= 1:
        return [[c] for c in due[: slots - 1]] + [list(due[slots - 1 :])]
    outranking = sum(1 for p in later if p < due[0].prompt.priority)
    if left - outranking < 1:
        return []
    return [list(due)]


# (rule, zone, local date) -> the periods of the rule's prompts still to come that week; and
# (zone, local date, (crew, lead or not)...) -> the priorities a person there has still to come.
Ahead = dict[tuple[Rule, str, date], list[str]]
Later = dict[tuple[object, ...], list[int]]


def _later_this_week(
    due: Sequence[Candidate], today: date, now: datetime, ahead: Ahead, known: Later
) -> list[int]:
    """The priorities of the budgeted prompts this person will get later in their budget
    week, on the teams of the prompts due now: each team's rules, read ahead to Sunday.

    What a rule brings later this week depends only on the zone and the date, not on the
    person: `ahead` keeps it for the tick, so a crowd in one zone reads each rule once."""
    seat = due[0].seat
    # Each prompt's seat is this person's seat on its crew: no search through the crew.
    seats = {id(c.crew): (c.crew, c.seat) for c in due}
    # Everyone in one zone on the same crews, lead or not alike, has the same week ahead.
    same = (seat.time_zone, today, *((k, mine is crew.lead) for k, (crew, mine) in seats.items()))
    if same not in known:
        known[same] = _ahead_of(seats.values(), seat.time_zone, today, now, ahead)
    return known[same]


def _ahead_of(
    seats: Iterable[tuple[Crew, SeatRow]], time_zone: str, today: date, now: datetime, ahead: Ahead
) -> list[int]:
    found: dict[str, int] = {}
    for crew, mine in seats:
        for round_ in crew.rounds:
            spec = round_.spec
            if not spec.budgeted or not _reaches(spec.recipients, mine, crew):
                continue
            key = (round_.rule, time_zone, today)
            if key not in ahead:
                ahead[key] = _coming(round_.rule, time_zone, today, now)
            for period in ahead[key]:
                found[f"{spec.kind}:{crew.team.id}:{period}"] = spec.priority
    return list(found.values())


def _coming(rule: Rule, time_zone: str, today: date, now: datetime) -> list[str]:
    """The periods of the rule's prompts after `now` and by Sunday, in this zone."""
    zone = ZoneInfo(time_zone)
    sunday = today + timedelta(days=6 - today.weekday())
    now_here = now.astimezone(zone)
    periods = []
    for day in (today + timedelta(days=n) for n in range((sunday - today).days + 1)):
        occ = occurrence(rule, day)
        if occ is None or occ.day != day:
            continue
        if datetime.combine(day, time.fromisoformat(occ.at), zone) > now_here:
            periods.append(occ.period)
    return periods


def _reaches(recipients: Recipients, seat: SeatRow, crew: Crew) -> bool:
    """Whether a prompt for these recipients comes to this person on this team, as the
    candidates are chosen: pairs need a lead and someone to meet, a lead's need reports."""
    lead = crew.lead
    if recipients is Recipients.EVERYONE:
        return True
    if lead is None or (lead is seat and len(crew.people) < 2):
        return False
    return recipients is not Recipients.LEAD or lead is seat
