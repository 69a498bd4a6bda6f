"""Reminders of what people took on (a commitment, an experiment's look-back), decided for
their owner's own working day."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.tick.calendar import Calendar
from rituals.core.schedule import Decision, Occurrence, Verdict, decide, person_of
from rituals.core.settings import RitualSettings
from rituals.core.spec import PromptKind, registered
from rituals.core.tick import Crew, Reminder
from storage.outbox import decided_keys
from storage.roster import SeatRow, TeamRow


@dataclass(frozen=True)
class Decided:
    """A reminder to settle now, for the owner's seat on its team."""

    reminder: Reminder
    team: TeamRow
    seat: SeatRow
    occ: Occurrence
    decision: Decision


async def due_reminders(
    session: AsyncSession,
    crews: Mapping[int, Crew],
    seats: Sequence[SeatRow],
    settings: RitualSettings,
    calendar: Calendar,
    now: datetime,
) -> list[Decided]:
    """The reminders settled by now and not before, of rituals their team runs."""
    by_member = {s.member_id: s for s in seats}  # any of their seats tells how to reach them
    # A week back: one due on a weekend or in leave waits for the owner's next working day.
    days = {
        today - timedelta(days=back)
        for today in {calendar.today(s.time_zone, now) for s in seats}
        for back in range(8)
    }
    order = list(PromptKind)
    specs = sorted(
        ((r, spec) for r in registered() for spec in r.reminders),
        key=lambda found: order.index(found[1].kind),
    )
    due: list[tuple[Reminder, Crew, SeatRow]] = []
    for ritual, spec in specs:
        for item in await spec.due(session, days):
            seat = by_member.get(item.member_id)
            if seat is None or (item.team_id is not None and item.team_id not in crews):
                continue
            # The owner's seat on the item's team, else any seat they have on a team served.
            crew = crews[item.team_id if item.team_id is not None else seat.team_id]
            if ritual.runs_for(crew.rituals.enabled):
                due.append((item, crew, seat))
    if not due:
        return []
    known = await decided_keys(
        session, {r.kind for r, _, _ in due}, {r.day.isoformat() for r, _, _ in due}
    )
    out = []
    for item, crew, seat in due:
        grace = timedelta(hours=settings.nudges.grace_hours[item.kind])
        # At the start of the owner's own working hours, which `me set hours` changes.
        occ = Occurrence(item.kind, item.day.isoformat(), item.day, seat.work_start)
        decision = decide(occ, person_of(seat, settings.people.quiet_hours), now, grace)
        if item.key in known or decision.verdict is Verdict.WAIT:
            continue
        out.append(Decided(item, crew.team, seat, occ, decision))
    return out
