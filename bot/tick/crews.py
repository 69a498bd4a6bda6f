"""Which prompts are due for whom: each team with its people and the rounds of the prompts
it switched on, and from them the candidates, decided for each person at this moment."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta

from pydantic import ValidationError

from bot.tick.calendar import Calendar
from rituals.core.nudges import Prompt
from rituals.core.schedule import (
    Decision,
    Occurrence,
    Rule,
    Verdict,
    decide,
    occurrence,
    person_of,
    previous_day,
)
from rituals.core.settings import RitualSettings, with_overrides
from rituals.core.spec import Recipients, Window, scheduled
from rituals.core.tick import Candidate, Crew, Round, seat_mention
from storage.models import Role
from storage.roster import SeatRow, TeamRow

log = logging.getLogger(__name__)


def _occurrences(rule: Rule, dates: Collection[date]) -> dict[date, Occurrence]:
    """The rule's prompt for each date and the period before it, keyed by those dates."""
    found = {}
    for today in dates:
        for day in (today, previous_day(rule, today)):
            occ = occurrence(rule, day)
            if occ is not None:
                found[day] = occ
    return found


def crews(
    teams: Sequence[TeamRow],
    seats: Sequence[SeatRow],
    settings: RitualSettings,
    calendar: Calendar,
    now: datetime,
) -> list[Crew]:
    """Every team with its people and the prompts its rituals make on their local dates.

    A team whose settings cannot be read runs only what cannot be switched off: one team's bad
    settings must not silence every team, nor guess which of its rituals it wants."""
    by_team: dict[int, list[SeatRow]] = defaultdict(list)
    for seat in seats:
        by_team[seat.team_id].append(seat)
    out = []
    for team in teams:
        try:
            rituals = with_overrides(settings.rituals, team.settings)
        except ValidationError:
            log.exception("team %s has settings the scheduler cannot read; skipped", team.id)
            rituals = settings.rituals.model_copy(update={"enabled": ()})
        people = by_team.get(team.id, [])
        dates = {calendar.today(s.time_zone, now) for s in people}
        rounds = []
        for spec in scheduled(rituals.enabled):
            rule = spec.rule(rituals, team.created_at.date())
            rounds.append(Round(spec, rule, _occurrences(rule, dates)))
        lead = next((s for s in people if s.role is Role.LEAD), None)
        out.append(Crew(team, rituals, people, lead, rounds))
    return out


def candidates(
    crews: Sequence[Crew],
    settings: RitualSettings,
    calendar: Calendar,
    now: datetime,
    known: Collection[str],
) -> list[Candidate]:
    """Each person's prompts that are due, skipped or missed now and not settled yet.

    Which of a round's occurrences fall on a person's local date (today's or the one before)
    depends on the date alone, so it is looked up once per round and date, not per person;
    and what is decided depends only on how the person may be reached, so it is decided once
    for everyone reached alike (a crowd shares a handful of zones and hours)."""
    out: list[Candidate] = []
    decided: dict[tuple[object, ...], Decision] = {}
    for crew in crews:
        team, lead = crew.team, crew.lead
        mentions = {id(s): seat_mention(s) for s in crew.people}
        reports = tuple(mentions[id(s)] for s in crew.people if s is not lead)
        graces = [timedelta(hours=settings.nudges.grace_hours[r.spec.kind]) for r in crew.rounds]
        # Local date -> the rounds with occurrences on it: most rounds have none on a day.
        on_date: dict[date, list[tuple[int, Round, timedelta, list[Occurrence]]]] = {}
        windows: dict[tuple[int, str], Window | None] = {}
        for seat in crew.people:
            local = calendar.today(seat.time_zone, now)
            if local not in on_date:
                on_date[local] = [
                    (at, round_, grace, found)
                    for at, (round_, grace) in enumerate(zip(crew.rounds, graces, strict=True))
                    if (found := _on(round_, local))
                ]
            reached = _reached_alike(seat)
            for at, round_, grace, found in on_date[local]:
                spec = round_.spec
                if spec.recipients is not Recipients.EVERYONE and (
                    lead is None or (lead is seat and not reports)
                ):
                    continue  # both need a lead and someone to meet or hear from
                if spec.recipients is Recipients.LEAD and seat is not lead:
                    continue
                for occ in found:
                    key = f"{spec.kind}:{team.id}:{seat.member_id}:{occ.period}"
                    if key in known:
                        continue
                    if (at, occ.period) not in windows:
                        windows[at, occ.period] = (
                            spec.window(occ.period, crew.rituals, team.time_zone)
                            if spec.window
                            else None
                        )
                    window = windows[at, occ.period]
                    alike = (reached, occ, grace, window)
                    if alike not in decided:
                        decided[alike] = _decide(occ, seat, settings, now, grace, window)
                    decision = decided[alike]
                    if decision.verdict is Verdict.WAIT or decision.at < seat.joined_at:
                        continue  # not yet; or from before they joined the team
                    prompt = Prompt(
                        spec,
                        mentions[id(seat)],
                        team.name,
                        lead=mentions[id(lead)] if lead and lead is not seat else None,
                        reports=reports
                        if seat is lead and spec.recipients is Recipients.PAIRS
                        else (),
                    )
                    out.append(Candidate(key, occ, crew, seat, decision, prompt))
    return out


def _reached_alike(seat: SeatRow) -> tuple[object, ...]:
    """What `person_of` reads of a seat: two seats alike here get the same decisions."""
    return (
        seat.time_zone,
        seat.working_days,
        seat.work_start,
        seat.work_end,
        seat.quiet_start,
        seat.quiet_end,
        seat.nudges_paused,
        seat.away_until,
        seat.skip_week,
        seat.snoozed_until,
    )


def _decide(
    occ: Occurrence,
    seat: SeatRow,
    settings: RitualSettings,
    now: datetime,
    grace: timedelta,
    window: Window | None,
) -> Decision:
    person = person_of(seat, settings.people.quiet_hours)
    decision = decide(occ, person, now, grace, window.opens if window else None)
    if (
        window is not None
        and decision.verdict is Verdict.DUE
        and max(now, decision.at) >= window.closes
    ):
        # Reachable only after the close (a weekend), or sent too late.
        decision = Decision(Verdict.SKIPPED, decision.at, window.closed)
    return decision


def _on(round_: Round, local: date) -> list[Occurrence]:
    """The round's occurrences on a local date and on its rule's day before, in that order."""
    days = (local, previous_day(round_.rule, local))
    return [occ for day in days if (occ := round_.occurrences.get(day)) is not None]
