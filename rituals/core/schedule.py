"""When a ritual's prompt is due for one person, in their own time zone, and whether to send it.

A rule names a local day and time ("Monday 10:00") for each period (a week, a month, a
quarter). The person's working days and quiet hours move it later, never earlier; snooze moves
it to the snooze's end; leave, a skipped week and paused nudges skip it; and a prompt that could
not go out within its grace window (the bot was down) is recorded as missed. Everything here is
plain arithmetic on the clock, so the scheduler, `schedule` and the Home tab agree.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from rituals.core.settings import WEEKDAYS, TeamRituals, parse_window
from rituals.core.spec import scheduled

# A Monday: "every N weeks" counts weeks from here, so every process agrees which weeks are on.
EPOCH = date(2024, 1, 1)
LONGEST_SNOOZE = timedelta(days=7)


@dataclass(frozen=True)
class Rule:
    """A ritual's cadence: which day of which period, at what local time."""

    ritual: str  # the prompt's kind
    cadence: str  # "weekly", "month_end" or "quarterly"
    day: str = "mon"  # weekly and quarterly: the weekday
    at: str = "10:00"
    every: int = 1  # weekly: every N weeks
    anchor: int = 0  # weekly: the week index (weeks since EPOCH) that is "on"
    days_before_end: int = 3  # month_end: how many days before the month ends


def team_rules(rituals: TeamRituals, team_created: date) -> list[Rule]:
    """The rules of the prompts a team's people see in their schedule, of the rituals it
    switched on (a lead's digest follows the check-in and is not listed)."""
    return [p.rule(rituals, team_created) for p in scheduled(rituals.enabled) if p.label]


def weeks_since_epoch(day: date) -> int:
    """The week index of a day: "every N weeks" rules count from a team's creation week."""
    return (day - EPOCH).days // 7


@dataclass(frozen=True)
class Occurrence:
    """One prompt of a rule: its period's name and its nominal local time."""

    ritual: str
    period: str  # "2026-W48", "2026-11" or "2026-Q4"
    day: date
    at: str
    # A skipped week moves it to the week after instead of skipping it: `skip week` is a
    # week off the weekly rituals, and a quarter's review would otherwise vanish for a quarter.
    moves_when_skipped: bool = False


def week_name(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_monday(name: str) -> date:
    """ "2026-W48" -> Monday 23 November 2026, to say a week as people know it."""
    year, week = name.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def occurrence(rule: Rule, today: date) -> Occurrence | None:
    """The rule's prompt in the period that contains `today`; None in an "off" week."""
    if rule.cadence == "weekly":
        monday = today - timedelta(days=today.weekday())
        if (((monday - EPOCH).days // 7) - rule.anchor) % rule.every:
            return None
        day = monday + timedelta(days=WEEKDAYS.index(rule.day))  # type: ignore[arg-type, unused-ignore]
        return Occurrence(rule.ritual, week_name(day), day, rule.at)
    if rule.cadence == "month_end":
        last = _month_start(today.year, today.month + 1) - timedelta(days=1)
        day = last - timedelta(days=rule.days_before_end - 1)
        return Occurrence(rule.ritual, f"{today.year}-{today.month:02d}", day, rule.at)
    quarter = (today.month - 1) // 3
    first = _month_start(today.year, quarter * 3 + 1)
    ahead = (WEEKDAYS.index(rule.day) - first.weekday()) % 7  # type: ignore[arg-type, unused-ignore]
    day = first + timedelta(days=ahead)
    return Occurrence(rule.ritual, f"{today.year}-Q{quarter + 1}", day, rule.at, True)


def previous_day(rule: Rule, today: date) -> date:
    """A day in the period before today's, so a tick can still settle the last one."""
    if rule.cadence == "weekly":
        return today - timedelta(days=7)
    if rule.cadence == "month_end":
        return today.replace(day=1) - timedelta(days=1)
    return _month_start(today.year, ((today.month - 1) // 3) * 3 + 1) - timedelta(days=1)


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


@dataclass(frozen=True)
class Reach:
    """When a person may be interrupted: their zone, their working days and hours, their quiet
    hours."""

    time_zone: str
    working_days: str  # "mon,tue,wed,thu,fri"
    quiet_hours: str  # "18:00-09:00"
    work_hours: str  # "09:00-17:00"


@functools.lru_cache(maxsize=4096)
def reachable_at(reach: Reach, day: date, at: str, not_before: datetime | None = None) -> datetime:
    """The first moment at or after local `day` `at` (and `not_before`) the person can be reached.

    A non-working day moves the prompt to the next working day at the same time; quiet hours,
    and the hours outside their working hours, move it to their end. Cached: thousands of
    people share a handful of reaches.
    """
    zone = ZoneInfo(reach.time_zone)
    working = {WEEKDAYS.index(d) for d in reach.working_days.split(",")}  # type: ignore[arg-type, unused-ignore]
    closed = _closed_windows(reach)
    hour, minute = (int(p) for p in at.split(":"))
    # Through UTC and back, so a time that a DST change skips lands just after the gap.
    local = _normalise(datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone))
    if not_before is not None and not_before > local:
        local = not_before.astimezone(zone)
    for _ in range(32):
        if local.weekday() not in working:
            local = _morning_of(_normalise(local + timedelta(days=1)), closed)
            continue
        end = next((e for w in closed if (e := _quiet_end(local, *w)) is not None), None)
        if end is None:
            return local
        local = end
    return local  # no reachable moment in two weeks: settings prevent this; send anyway


def _closed_windows(reach: Reach) -> tuple[tuple[time, time], ...]:
    """The daily windows no nudge may arrive in: quiet hours, and the time from the end of
    work to its start (a night shift's runs through the day)."""
    quiet_from, quiet_to = (time.fromisoformat(t) for t in parse_window(reach.quiet_hours))
    work_from, work_to = (time.fromisoformat(t) for t in parse_window(reach.work_hours))
    return (quiet_from, quiet_to), (work_to, work_from)


def _morning_of(local: datetime, closed: tuple[tuple[time, time], ...]) -> datetime:
    """An evening moment moved to the next day: that day's morning is reachable sooner than
    its evening's closed hours would allow, so it goes to where the overnight ones end."""
    for start, end in closed:
        if start > end and local.time().replace(tzinfo=None) >= start:
            assert local.tzinfo is not None
            local = _normalise(datetime.combine(local.date(), end, tzinfo=local.tzinfo))
    return local


def _normalise(local: datetime) -> datetime:
    assert local.tzinfo is not None
    return local.astimezone(UTC).astimezone(local.tzinfo)


def _quiet_end(local: datetime, start: time, end: time) -> datetime | None:
    """When the quiet hours around `local` end, or None when `local` is not in them."""
    now = local.time().replace(tzinfo=None)
    if start == end:
        return None
    wraps = start > end
    inside = (now >= start or now < end) if wraps else start <= now < end
    if not inside:
        return None
    day = local.date() + timedelta(days=1) if wraps and now >= start else local.date()
    assert local.tzinfo is not None
    return _normalise(datetime.combine(day, end, tzinfo=local.tzinfo))


@dataclass(frozen=True)
class Person:
    reach: Reach
    paused: bool = False
    away_until: date | None = None
    skip_week: str | None = None
    snoozed_until: datetime | None = None


class Reachable(Protocol):
    """What the schedule reads of a person: a member row, or the scheduler's lighter copy."""

    @property
    def time_zone(self) -> str: ...
    @property
    def working_days(self) -> str: ...
    @property
    def work_start(self) -> str: ...
    @property
    def work_end(self) -> str: ...
    @property
    def quiet_start(self) -> str | None: ...
    @property
    def quiet_end(self) -> str | None: ...
    @property
    def nudges_paused(self) -> bool: ...
    @property
    def away_until(self) -> date | None: ...
    @property
    def skip_week(self) -> str | None: ...
    @property
    def snoozed_until(self) -> datetime | None: ...


def person_of(someone: Reachable, default_quiet_hours: str) -> Person:
    """The person as the schedule sees them: how to reach them (their own working days and
    hours), and any break they are on. Quiet hours they never set follow app.yaml's."""
    quiet = (
        f"{someone.quiet_start}-{someone.quiet_end}"
        if someone.quiet_start and someone.quiet_end
        else default_quiet_hours
    )
    return Person(
        Reach(
            someone.time_zone,
            someone.working_days,
            quiet,
            f"{someone.work_start}-{someone.work_end}",
        ),
        someone.nudges_paused,
        someone.away_until,
        someone.skip_week,
        someone.snoozed_until,
    )


class Verdict(enum.StrEnum):
    WAIT = "wait"  # not yet
    DUE = "due"  # send it now
    SKIPPED = "skipped"  # the person chose not to get it
    MISSED = "missed"  # too late to be useful


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    at: datetime  # when it is (or was) due, in the person's zone
    reason: str = ""


def decide(
    occ: Occurrence,
    person: Person,
    now: datetime,
    grace: timedelta,
    not_before: datetime | None = None,
) -> Decision:
    """What to do about one prompt for one person at `now`; never before `not_before` (a vote
    that opens at a moment of the team's own), which defers it as a snooze would."""
    on_time = reachable_at(person.reach, occ.day, occ.at)
    moved = _after_skipped_week(occ, person, on_time)
    later = max(
        (t for t in (person.snoozed_until, not_before, moved) if t is not None), default=None
    )
    # A snooze over the prompt's time extends its grace by as long as it deferred it; one
    # set long after (more than a snooze can last) never revives an old prompt.
    deferred = (later or on_time) - on_time
    if not timedelta(0) < deferred <= LONGEST_SNOOZE:
        deferred = timedelta(0)
    if now - on_time > grace + deferred:
        return Decision(
            Verdict.MISSED, on_time, f"not sent within {_hours(grace)} of {on_time:%a %H:%M}"
        )
    at = reachable_at(person.reach, occ.day, occ.at, later)
    if now < at:
        return Decision(Verdict.WAIT, at)
    reason = skipped_because(person, at)
    if reason is not None:
        return Decision(Verdict.SKIPPED, at, reason)
    if now - at > grace:
        return Decision(Verdict.MISSED, at, f"not sent within {_hours(grace)} of {at:%a %H:%M}")
    return Decision(Verdict.DUE, at)


def _after_skipped_week(occ: Occurrence, person: Person, on_time: datetime) -> datetime | None:
    """The start of the week after a skipped one, for a prompt that moves rather than being
    skipped (the quarterly review) and falls in it; None for any other."""
    if not occ.moves_when_skipped or person.skip_week != week_name(on_time.date()):
        return None
    after = week_monday(person.skip_week) + timedelta(days=7)
    return datetime.combine(after, time(), tzinfo=on_time.tzinfo)


def skipped_because(person: Person, at: datetime) -> str | None:
    """Why a prompt reaching the person at `at` is skipped, or None when it is not."""
    if person.paused:
        return "nudges paused"
    if person.away_until is not None and at.date() < person.away_until:
        return f"away until {person.away_until.isoformat()}"
    if person.skip_week is not None and person.skip_week == week_name(at.date()):
        return f"skipped week {person.skip_week}"
    return None


def _hours(span: timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    return f"{hours} hour" + ("" if hours == 1 else "s")


def next_prompt(rule: Rule, person: Person, now: datetime) -> datetime:
    """When the person next gets this ritual's prompt, after `now` (for `schedule` and Home)."""
    today = now.astimezone(ZoneInfo(person.reach.time_zone)).date()
    for weeks in range(-1, 60):  # last period's prompt may have moved past today
        day = today + timedelta(weeks=weeks)
        occ = occurrence(rule, day)
        if occ is None:
            continue
        on_time = reachable_at(person.reach, occ.day, occ.at)
        moved = _after_skipped_week(occ, person, on_time)  # as `decide` moves it
        if weeks < 0 and on_time <= now and moved is None:
            continue  # last period's prompt was due already: it is sent or settled
        later = max((t for t in (person.snoozed_until, moved) if t is not None), default=None)
        at = reachable_at(person.reach, occ.day, occ.at, later)
        if at > now:
            return at
    raise ValueError(f"{rule.ritual} has no prompt in the next year")
