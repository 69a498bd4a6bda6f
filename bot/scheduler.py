"""The tick: what is due now, written once to the ledger and the outbox; and the clock that runs it.

APScheduler only ticks. Each tick recomputes, from the database, which prompts are due at this
minute for every person (their zone, working days, quiet hours, leave, snooze, budget) and
inserts them under unique keys, so two ticks, a restart or a second replica never queue one
twice, and prompts missed while the process was down go out late (within their grace) or are
recorded as missed. Jobs live in memory with fixed ids: APScheduler 3 cannot share a job
store between processes, and does not need to, because the database decides.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.delivery import Sender, Worker, only_worker
from bot.details import Asked, details, seat_mention
from bot.payload import encode
from rituals.checkins.commands import reminder
from rituals.core.context import Clock
from rituals.core.messages import Audience, Block, Message, Note
from rituals.core.nudges import Prompt, compose
from rituals.core.periods import period_of
from rituals.core.schedule import (
    Decision,
    Occurrence,
    Rule,
    Verdict,
    checkin_week,
    decide,
    digest_rule,
    occurrence,
    person_of,
    previous_day,
    team_rules,
    week_name,
)
from rituals.core.settings import RitualSettings, TeamRituals, with_overrides
from rituals.fails.commands import Vote, closing_blocks, month_of, previous_month, vote_of
from rituals.numbers.experiments import review_reminder
from rituals.pulse.commands import (
    OPEN_DAYS,
    OUR_KPIS,
    answered,
    closing_time,
    question,
    results,
    sealed_note,
)
from rituals.purpose.commands import post_blocks
from rituals.reviews.commands import REVIEW_DAYS, quarter_outcomes, summary
from storage.checkins import CommitmentRow, due_commitments
from storage.engine import make_sessionmaker
from storage.experiments import DueExperiment, due_experiments
from storage.fails import close_month, closed_among
from storage.models import Cadence, NudgeOutcome, Platform, Role
from storage.outbox import (
    LedgerRow,
    OutboxRow,
    budget_used,
    decided_keys,
    enqueue,
    prompted,
    queued_keys,
    record_nudges,
)
from storage.pulses import closing_pulses, new_pulse, open_pulses_of
from storage.purposes import answers_to, closing_purposes
from storage.reviews import active_kpis_owned_by, teams_reviewing
from storage.roster import SeatRow, TeamRow, seats_on, teams_on

log = logging.getLogger(__name__)

TICK_SECONDS = 60
# A month's Fail of the Month closed longer ago than this (the bot was down, or the ritual was
# only just switched on) is archived without a post.
STALE_NEWS = timedelta(days=7)
# Prompts that do not count against a person's weekly budget (commitment reminders neither).
UNBUDGETED = frozenset({"digest"})


@dataclass(frozen=True)
class Crew:
    """A team as one tick sees it: its people, its lead, and each rule's prompts by the
    local date they fall in."""

    team: TeamRow
    rituals: TeamRituals
    people: list[SeatRow]
    lead: SeatRow | None
    rules: list[tuple[Rule, dict[date, Occurrence]]]


@dataclass(frozen=True)
class Candidate:
    """A prompt that is due, skipped or missed for one person, not yet in the ledger."""

    key: str
    occ: Occurrence
    crew: Crew
    seat: SeatRow
    decision: Decision
    prompt: Prompt

    @property
    def team(self) -> TeamRow:
        return self.crew.team


@dataclass
class TickReport:
    queued: int = 0  # prompts put in the outbox
    messages: int = 0  # outbox rows (merged prompts share one)
    held: int = 0  # due, but the person's weekly budget is spent: they wait
    skipped: int = 0
    missed: int = 0
    seconds: float = 0.0


def _occurrences(rule: Rule, dates: set[date]) -> dict[date, Occurrence]:
    """The rule's prompt for each date and the period before it, keyed by those dates."""
    found = {}
    for today in dates:
        for day in (today, previous_day(rule, today)):
            occ = occurrence(rule, day)
            if occ is not None:
                found[day] = occ
    return found


@dataclass
class Planner:
    sessions: async_sessionmaker[AsyncSession]
    settings: RitualSettings
    platforms: Collection[Platform]
    last_tick: datetime | None = None
    last_report: TickReport = field(default_factory=TickReport)
    # Per tick: each zone's local date and week, worked out once rather than per person.
    _dates: dict[str, date] = field(default_factory=dict)
    _weeks: dict[str, str] = field(default_factory=dict)
    _dates_at: datetime | None = None

    async def tick(self, now: datetime) -> TickReport:
        started = time.perf_counter()
        report = TickReport()
        async with self.sessions() as session, session.begin():
            teams = await teams_on(session, self.platforms)
            seats = await seats_on(session, self.platforms)
            crews = self._crews(teams, seats, now)
            # What is settled already is skipped before any person's arithmetic is done.
            rituals = {o.ritual for c in crews for _, occs in c.rules for o in occs.values()}
            periods = {o.period for c in crews for _, occs in c.rules for o in occs.values()}
            known = await decided_keys(session, rituals, periods)
            fresh = await _nothing_to_review(session, self._candidates(crews, now, known))
            fresh = await _open_pulses(session, fresh, now)
            await self._settle(session, fresh, now, report)
            await self._remind(session, teams, seats, now, report)
            await self._post(session, teams, seats, crews, now, report)
        report.seconds = time.perf_counter() - started
        self.last_tick, self.last_report = now, report
        if report.queued or report.missed:
            log.info("tick %s: %s", now.isoformat(timespec="minutes"), report)
        return report

    def _crews(self, teams: list[TeamRow], seats: list[SeatRow], now: datetime) -> list[Crew]:
        """Each team with its people and the prompts its rules make on their local dates."""
        by_team: dict[int, list[SeatRow]] = defaultdict(list)
        for seat in seats:
            by_team[seat.team_id].append(seat)
        crews = []
        for team in teams:
            try:
                rituals = with_overrides(self.settings.rituals, team.settings)
            except ValidationError:  # one team's bad settings must not silence every team
                log.exception("team %s has settings the scheduler cannot read; skipped", team.id)
                continue
            rules = team_rules(rituals, team.created_at.date())
            digest = digest_rule(rituals)
            if digest is not None:
                rules.append(digest)
            people = by_team.get(team.id, [])
            if not rules or not people:
                continue
            dates = {self._today(s.time_zone, now) for s in people}
            crews.append(
                Crew(
                    team,
                    rituals,
                    people,
                    next((s for s in people if s.role is Role.LEAD), None),
                    [(rule, _occurrences(rule, dates)) for rule in rules],
                )
            )
        return crews

    def _candidates(self, crews: list[Crew], now: datetime, known: set[str]) -> list[Candidate]:
        out: list[Candidate] = []
        for crew in crews:
            team, lead = crew.team, crew.lead
            reports = tuple(seat_mention(s) for s in crew.people if s is not lead)
            for seat in crew.people:
                person = person_of(seat, self.settings.people.quiet_hours)
                local = self._today(seat.time_zone, now)
                for rule, occs in crew.rules:
                    if rule.ritual in ("one_on_one", "digest") and (
                        lead is None or (lead is seat and not reports)
                    ):
                        continue  # both need a lead and someone to meet or hear from
                    if rule.ritual == "digest" and seat is not lead:
                        continue  # the digest is the lead's
                    grace = timedelta(hours=self.settings.nudges.grace_hours[rule.ritual])
                    for day in (local, previous_day(rule, local)):
                        occ = occs.get(day)
                        if occ is None:
                            continue
                        key = f"{rule.ritual}:{team.id}:{seat.member_id}:{occ.period}"
                        if key in known:
                            continue
                        vote = (
                            vote_of(occ.period, crew.rituals, team.time_zone)
                            if rule.ritual == "fail_of_month"
                            else None
                        )
                        decision = decide(occ, person, now, grace, vote.opens if vote else None)
                        if decision.verdict is Verdict.WAIT or decision.at < seat.joined_at:
                            continue  # not yet; or from before they joined the team
                        if (
                            vote is not None
                            and decision.verdict is Verdict.DUE
                            and max(now, decision.at) >= vote.closes
                        ):
                            # Reachable only after the close (a weekend), or sent too late.
                            decision = Decision(Verdict.SKIPPED, decision.at, "the vote closed")
                        prompt = Prompt(
                            rule.ritual,
                            seat_mention(seat),
                            team.name,
                            lead=seat_mention(lead) if lead and lead is not seat else None,
                            reports=reports if seat is lead and rule.ritual == "one_on_one" else (),
                        )
                        out.append(Candidate(key, occ, crew, seat, decision, prompt))
        return out

    def _today(self, zone: str, now: datetime) -> date:
        if self._dates_at != now:
            self._dates, self._weeks, self._dates_at = {}, {}, now
        if zone not in self._dates:
            self._dates[zone] = now.astimezone(ZoneInfo(zone)).date()
        return self._dates[zone]

    def _budget_week(self, zone: str, now: datetime) -> str:
        """The recipient's week now: the budget is counted in their own weeks."""
        today = self._today(zone, now)  # first: it starts afresh when `now` moved
        if zone not in self._weeks:
            self._weeks[zone] = week_name(today)
        return self._weeks[zone]

    def _asked(self, c: Candidate, now: datetime) -> Asked:
        week = checkin_week(c.occ) if c.occ.ritual == "digest" else c.occ.period
        today = self._today(c.seat.time_zone, now)
        crew = c.crew
        return Asked(
            c.key,
            c.occ.ritual,
            week,
            crew.team,
            crew.rituals,
            c.seat,
            crew.lead,
            crew.people,
            today,
        )

    async def _settle(
        self, session: AsyncSession, fresh: list[Candidate], now: datetime, report: TickReport
    ) -> None:
        """Ledger first: only the prompts this tick wins get an outbox row."""
        ledger: list[LedgerRow] = []
        for c in fresh:
            if c.decision.verdict is Verdict.SKIPPED:
                ledger.append(_ledger(c, NudgeOutcome.SKIPPED, c.decision.reason, now))
            elif c.decision.verdict is Verdict.MISSED:
                ledger.append(_ledger(c, NudgeOutcome.MISSED, c.decision.reason, now))
        groups = await self._groups(
            session, [c for c in fresh if c.decision.verdict is Verdict.DUE], now, report
        )
        for group in groups:
            first = group[0].key
            for c in group:
                reason = None if c.key == first else f"merged into {first}"
                ledger.append(_ledger(c, NudgeOutcome.QUEUED, reason, now))
        won = await record_nudges(session, ledger)
        sending = [c for group in groups for c in group if c.key in won]
        said = await details(session, [self._asked(c, now) for c in sending], now)
        rows: list[OutboxRow] = []
        for group in groups:
            mine = [
                replace(c, prompt=replace(c.prompt, details=said.get(c.key, ())))
                for c in group
                if c.key in won
            ]
            if mine:
                week = (
                    None
                    if mine[0].occ.ritual in UNBUDGETED
                    else self._budget_week(mine[0].seat.time_zone, now)
                )
                rows.append(_outbox_row(mine, week, now))
                report.queued += len(mine)
        await enqueue(session, rows)
        report.messages = len(rows)
        report.skipped = sum(
            1 for c in fresh if c.decision.verdict is Verdict.SKIPPED and c.key in won
        )
        report.missed = sum(
            1 for c in fresh if c.decision.verdict is Verdict.MISSED and c.key in won
        )

    async def _remind(
        self,
        session: AsyncSession,
        teams: list[TeamRow],
        seats: list[SeatRow],
        now: datetime,
        report: TickReport,
    ) -> None:
        """A commitment's owner hears of it on its due day, and an experiment's owner on its
        look-back day, when their working day starts.

        Not counted against the nudge budget: the owner took it on, and asked to be held to it.
        """
        served = {t.id: t for t in teams}
        by_member = {s.member_id: s for s in seats}  # any of their seats tells how to reach them
        # A week back: one due on a weekend or in leave waits for the owner's next working day.
        days = {
            today - timedelta(days=back)
            for today in {self._today(s.time_zone, now) for s in seats}
            for back in range(8)
        }
        due = [
            _Reminder(
                f"commitment:{r.id}",
                "commitment",
                r.team_id,
                r.owner.member_id,
                r.due,
                functools.partial(_commitment_due, r),
            )
            for r in await due_commitments(session, days)
        ] + [
            _Reminder(
                f"experiment:{d.experiment.id}",
                "experiment",
                d.team_id,
                d.experiment.owner_id,
                d.experiment.review_on,
                functools.partial(_experiment_due, d),
            )
            for d in await due_experiments(session, days)
        ]
        # The owner's seat on the item's team, else any seat they have on a team served here.
        due = [
            r
            for r in due
            if r.member_id in by_member and (r.team_id in served or r.team_id is None)
        ]
        if not due:
            return
        known = await decided_keys(
            session, {r.ritual for r in due}, {r.day.isoformat() for r in due}
        )
        start = self.settings.people.work_hours.split("-")[0]
        outcomes = {
            Verdict.DUE: NudgeOutcome.QUEUED,
            Verdict.SKIPPED: NudgeOutcome.SKIPPED,
            Verdict.MISSED: NudgeOutcome.MISSED,
        }
        ledger: list[LedgerRow] = []
        sending: dict[str, OutboxRow] = {}
        for item in due:
            seat = by_member[item.member_id]
            grace = timedelta(hours=self.settings.nudges.grace_hours[item.ritual])
            occ = Occurrence(item.ritual, item.day.isoformat(), item.day, start)
            decision = decide(occ, person_of(seat, self.settings.people.quiet_hours), now, grace)
            if item.key in known or decision.verdict is Verdict.WAIT:
                continue
            team = served.get(item.team_id) if item.team_id is not None else None
            team = team or served[seat.team_id]
            ledger.append(
                LedgerRow(
                    team.workspace_id,
                    team.id,
                    seat.member_id,
                    item.ritual,
                    occ.period,
                    item.key,
                    outcomes[decision.verdict],
                    decision.reason or None,
                    now,
                )
            )
            if decision.verdict is Verdict.DUE:
                message = item.message(seat, self._today(seat.time_zone, now))
                sending[item.key] = _dm_row(team, seat, item.ritual, item.key, message, None, now)
        won = await record_nudges(session, ledger)
        rows = [row for key, row in sending.items() if key in won]
        await enqueue(session, rows)
        report.queued += len(rows)
        report.messages += len(rows)

    async def _post(
        self,
        session: AsyncSession,
        teams: list[TeamRow],
        seats: list[SeatRow],
        crews: list[Crew],
        now: datetime,
        report: TickReport,
    ) -> None:
        """Team posts that close a ritual: a purpose workshop's answers at its deadline, and
        the quarterly review's summary when its window ends. Each goes out once (its outbox
        key), to the team channel, or to the lead when the team has none."""
        served = {t.id: t for t in teams}
        leads = {s.team_id: s for s in seats if s.role is Role.LEAD}
        rows: list[OutboxRow] = []
        # Any team's workshop, whichever rituals it runs: one left open would block the next.
        for purpose in await closing_purposes(session, list(served), now):
            team = served[purpose.team_id]
            answers = await answers_to(session, purpose.id)
            blocks = post_blocks(team.name, purpose.text, answers)
            row = _post_row(
                team, leads.get(team.id), f"purpose:{purpose.id}", "purpose", blocks, now
            )
            if row is not None:
                rows.append(row)
            purpose.posted_at = now
        due: dict[str, tuple[TeamRow, str, datetime]] = {}
        grace = timedelta(hours=self.settings.nudges.grace_hours["review"])
        for crew in crews:
            for rule, _ in crew.rules:
                closing = (
                    _review_closes(rule, crew.team.time_zone, now, grace)
                    if rule.ritual == "review"
                    else None
                )
                if closing is not None and closing[1] >= crew.team.created_at:
                    quarter, since = closing
                    due[f"review-summary:{crew.team.id}:{quarter}"] = (crew.team, quarter, since)
        sent = await queued_keys(session, set(due))
        waiting = {key: found for key, found in due.items() if key not in sent}
        # One query finds the teams with something to say; the rest are never loaded.
        reviewing = await teams_reviewing(
            session,
            {t.id for t, _, _ in waiting.values()},
            min((s for _, _, s in waiting.values()), default=now),
        )
        for key, (team, quarter, since) in waiting.items():
            if team.id not in reviewing:
                continue
            outcomes = await quarter_outcomes(session, team, quarter, since)
            summarised = summary(team.name, quarter, outcomes).blocks
            row = _post_row(team, leads.get(team.id), key, "review", summarised, now)
            if row is not None:
                rows.append(row)
        rows += await _close_pulses(session, served, leads, now)
        rows += await _close_fail_months(session, crews, leads, now)
        await enqueue(session, rows)
        report.messages += len(rows)

    async def _groups(
        self, session: AsyncSession, due: list[Candidate], now: datetime, report: TickReport
    ) -> list[list[Candidate]]:
        """Prompts per person within their weekly budget: the most important alone, the rest
        merged into one message, and none at all once the budget is spent (they wait).

        A lead's digest is outside the budget: it is the lead's work list, asked for by their
        team's answers, and must not crowd out their own check-in or one-on-ones.
        """
        groups: list[list[Candidate]] = [[c] for c in due if c.occ.ritual in UNBUDGETED]
        by_person: dict[int, list[Candidate]] = defaultdict(list)
        for c in due:
            if c.occ.ritual not in UNBUDGETED:
                by_person[c.seat.member_id].append(c)
        weeks = {self._budget_week(cs[0].seat.time_zone, now) for cs in by_person.values()}
        used = await budget_used(session, weeks)
        budget = self.settings.nudges.weekly_budget
        for member_id, cs in by_person.items():
            left = budget - used.get((member_id, self._budget_week(cs[0].seat.time_zone, now)), 0)
            if left <= 0:
                report.held += len(cs)
                continue
            cs.sort(key=lambda c: (c.prompt.priority, c.key))
            if len(cs) <= left:
                groups += [[c] for c in cs]
            else:
                groups += [[c] for c in cs[: left - 1]] + [cs[left - 1 :]]
        return groups


async def _nothing_to_review(session: AsyncSession, fresh: list[Candidate]) -> list[Candidate]:
    """A quarterly review prompt is skipped for someone with no active KPI to review, and for
    a lead whose team has none: a nudge about nothing would spend their budget."""
    due = {c.key for c in fresh if c.occ.ritual == "review" and c.decision.verdict is Verdict.DUE}
    if not due:
        return fresh
    people = {s.member_id for c in fresh if c.key in due for s in c.crew.people}
    owners = {kpi.owner_id for kpi, _ in await active_kpis_owned_by(session, people)}
    out = []
    for c in fresh:
        if c.key in due:
            mine = {s.member_id for s in c.crew.people} if c.seat is c.crew.lead else set()
            if not (mine | {c.seat.member_id}) & owners:
                nothing = Decision(Verdict.SKIPPED, c.decision.at, "no active KPI to review")
                c = replace(c, decision=nothing)
        out.append(c)
    return out


async def _open_pulses(
    session: AsyncSession, fresh: list[Candidate], now: datetime
) -> list[Candidate]:
    """A scheduled pulse opens with the first of its prompts that is due, once per team and
    period, so every prompt's buttons answer the same pulse. While a pulse the lead started is
    open, the schedule adds none: the lead's pulse asked everyone already."""
    due = [c for c in fresh if c.occ.ritual == "pulse" and c.decision.verdict is Verdict.DUE]
    if not due:
        return fresh
    due_keys = {c.key for c in due}
    found = await open_pulses_of(session, {c.team.id for c in due}, {c.occ.period for c in due})
    scheduled = {(p.team_id, p.period): p for p in found if p.period is not None}
    running = {p.team_id: p for p in found if p.closed_at is None}
    for c in due:
        key = (c.team.id, c.occ.period)
        if key in scheduled or c.team.id in running:
            continue
        rituals = c.crew.rituals
        if len(c.crew.people) < rituals.pulse_threshold:
            continue  # results could never show: its prompts are skipped below
        closes = closing_time(
            c.occ.day + timedelta(days=OPEN_DAYS), c.team.time_zone, rituals.checkin_time
        )
        pulse = new_pulse(
            c.team.workspace_id,
            c.team.id,
            question(OUR_KPIS),
            rituals.pulse_threshold,
            now,
            closes,
            period=c.occ.period,
        )
        try:
            async with session.begin_nested():  # a replica may open the same one this moment
                session.add(pulse)
        except IntegrityError:
            continue
        scheduled[key] = running[c.team.id] = pulse
    out = []
    for c in fresh:
        if c.key in due_keys:
            mine = scheduled.get((c.team.id, c.occ.period))
            if len(c.crew.people) < c.crew.rituals.pulse_threshold:
                few = Decision(Verdict.SKIPPED, c.decision.at, "fewer people than answers needed")
                c = replace(c, decision=few)
            elif mine is None and c.team.id not in running:
                continue  # opened by another process just now: the next tick sends it
            elif mine is None or mine.closed_at is not None or mine.closes_at <= now:
                why = "another pulse is open" if mine is None else "the pulse closed already"
                c = replace(c, decision=Decision(Verdict.SKIPPED, c.decision.at, why))
        out.append(c)
    return out


async def _close_pulses(
    session: AsyncSession,
    served: Mapping[int, TeamRow],
    leads: Mapping[int, SeatRow],
    now: datetime,
) -> list[OutboxRow]:
    """Pulses whose time is up: the results to the team when enough answered, else a word to
    the lead that they stay sealed."""
    rows = []
    for pulse in await closing_pulses(session, list(served), now):
        team, lead = served[pulse.team_id], leads.get(pulse.team_id)
        count = answered(pulse)
        pulse.closed_at, pulse.shown = now, count >= pulse.threshold
        key = f"pulse:{pulse.id}"
        row: OutboxRow | None = None
        if pulse.shown:
            blocks = (await results(pulse, team.name)).blocks
            row = _post_row(team, lead, key, "pulse", blocks, now)
        elif lead is not None:
            sealed = Message(
                tuple(sealed_note(pulse, team.name, count)),
                audience=Audience.DM,
                to=seat_mention(lead),
            )
            row = _dm_row(team, lead, "pulse", key, sealed, None, now)
        if row is not None:
            rows.append(row)
    return rows


async def _close_fail_months(
    session: AsyncSession, crews: list[Crew], leads: Mapping[int, SeatRow], now: datetime
) -> list[OutboxRow]:
    """Last month's Fail of the Month, once its vote closed: votes counted into the stories,
    who voted for whom forgotten, the month archived, and the trophy posted."""
    ending: dict[tuple[int, str], tuple[Crew, Vote]] = {}
    for crew in crews:
        if not any(rule.ritual == "fail_of_month" for rule, _ in crew.rules):
            continue
        team = crew.team
        this = month_of(now, team.time_zone)
        vote = vote_of(previous_month(this), crew.rituals, team.time_zone)
        if vote.closes <= now and team.created_at < vote.closes:
            ending[(team.id, vote.month)] = (crew, vote)
    done = await closed_among(session, set(ending))
    asked = await prompted(session, "fail_of_month", set(ending) - done)
    rows = []
    for (team_id, month), (crew, vote) in ending.items():
        if (team_id, month) in done:
            continue
        team = crew.team
        winners = await close_month(session, team.workspace_id, team.id, month, now)
        if winners is None:
            continue
        if now - vote.closes > STALE_NEWS:
            continue  # archived all the same; a trophy a week late is news nobody expects
        if not winners and (team_id, month) not in asked:
            continue  # no vote was ever asked for (switched on since): nothing to invite to
        blocks = closing_blocks(team.name, vote, winners)
        key = f"fail-month:{team.id}:{month}"
        row = _post_row(team, leads.get(team.id), key, "fail_of_month", blocks, now)
        if row is not None:
            rows.append(row)
    return rows


@dataclass(frozen=True)
class _Reminder:
    """Something one person took on, due on a day: a commitment, an experiment's look-back."""

    key: str
    ritual: str
    team_id: int | None
    member_id: int
    day: date
    message: Callable[[SeatRow, date], Message]


def _review_closes(
    rule: Rule, zone: str, now: datetime, grace: timedelta
) -> tuple[str, datetime] | None:
    """The quarter whose review window ended by now (and not longer ago than the grace, so a
    bot started late does not post stale news), with the quarter's first moment, since when
    its changes count. In the team's zone."""
    local = now.astimezone(ZoneInfo(zone))
    occ = occurrence(rule, local.date())
    if occ is None:
        return None
    opened = datetime.combine(occ.day, day_time.fromisoformat(occ.at), ZoneInfo(zone))
    closes = opened + timedelta(days=REVIEW_DAYS)
    if not closes <= local < closes + grace:
        return None
    begun = period_of(Cadence.QUARTERLY, occ.day).start
    return occ.period, datetime.combine(begun, day_time(), ZoneInfo(zone))


def _post_row(
    team: TeamRow,
    lead: SeatRow | None,
    key: str,
    ritual: str,
    blocks: Sequence[Block],
    now: datetime,
) -> OutboxRow | None:
    """An outbox row posting to the team's channel; to the lead's DM without one; None when
    the team has neither."""
    if team.channel_id:
        message = Message(tuple(blocks), audience=Audience.CHANNEL, channel_id=team.channel_id)
        return _row(team, None, team.channel_id, ritual, key, message, None, now)
    if lead is not None:
        note = Note("Your team has no home channel, so this comes to you: `settings set channel`.")
        message = Message((*blocks, note), audience=Audience.DM, to=seat_mention(lead))
        return _dm_row(team, lead, ritual, key, message, None, now)
    return None


def _commitment_due(row: CommitmentRow, seat: SeatRow, today: date) -> Message:
    return reminder(row, today)


def _experiment_due(due: DueExperiment, seat: SeatRow, today: date) -> Message:
    return review_reminder(due.experiment, due.kpi_name, seat_mention(seat))


def _ledger(c: Candidate, outcome: NudgeOutcome, reason: str | None, now: datetime) -> LedgerRow:
    return LedgerRow(
        c.team.workspace_id,
        c.team.id,
        c.seat.member_id,
        c.occ.ritual,
        c.occ.period,
        c.key,
        outcome,
        reason,
        now,
    )


def _outbox_row(group: list[Candidate], budget_week: str | None, now: datetime) -> OutboxRow:
    first = group[0]
    message = compose([c.prompt for c in group])
    return _dm_row(first.team, first.seat, first.occ.ritual, first.key, message, budget_week, now)


def _dm_row(
    team: TeamRow,
    seat: SeatRow,
    ritual: str,
    key: str,
    message: Message,
    budget_week: str | None,
    now: datetime,
) -> OutboxRow:
    """An outbox row for a DM to one person on one team, due now."""
    target = seat.platform_user_id
    return _row(team, seat.member_id, target, ritual, key, message, budget_week, now)


def _row(
    team: TeamRow,
    member_id: int | None,
    target: str,
    ritual: str,
    key: str,
    message: Message,
    budget_week: str | None,
    now: datetime,
) -> OutboxRow:
    return OutboxRow(
        team.workspace_id,
        team.platform,
        target,
        ritual,
        key,
        encode(message),
        now,
        member_id=member_id,
        budget_week=budget_week,
    )


def start_scheduler(
    jobs: dict[str, tuple[Callable[[], Awaitable[object]], float]],
) -> AsyncIOScheduler:
    """Run each job every so many seconds. One instance of a job at a time, and runs missed
    while the loop was busy merge into one."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    for job_id, (job, seconds) in jobs.items():
        scheduler.add_job(
            job,
            "interval",
            seconds=seconds,
            id=job_id,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(seconds),
            replace_existing=True,
        )
    scheduler.start()
    return scheduler


@dataclass
class Scheduling:
    """The tick and the worker of one process, as the server and the console run them."""

    planner: Planner
    worker: Worker
    clock: Clock

    async def tick(self) -> TickReport:
        report = await self.planner.tick(self.clock.now())
        if report.messages:
            self.worker.wake()
        return report


@contextlib.asynccontextmanager
async def scheduling(
    engine: AsyncEngine,
    config: AppConfig,
    senders: Mapping[Platform, Sender],
    clock: Clock,
    extra_jobs: Mapping[str, tuple[Callable[[], Awaitable[object]], float]] | None = None,
) -> AsyncIterator[Scheduling]:
    """Tick every minute and deliver until the block ends; on SQLite, as the only process."""
    with only_worker(engine.url.render_as_string(hide_password=False)) as exclusive:
        sessions = make_sessionmaker(engine)
        rhythm = Scheduling(
            Planner(sessions, config, list(senders)),
            Worker(
                sessions,
                senders,
                clock,
                config.delivery.per_workspace_per_second,
                exclusive=exclusive,
            ),
            clock,
        )
        try:
            await rhythm.tick()  # at once: catch up on what came due while we were down
        except Exception:
            log.exception("the first tick failed; the next one will try again")
        delivering = asyncio.create_task(rhythm.worker.run(), name="outbox-worker")
        scheduler = start_scheduler({"tick": (rhythm.tick, TICK_SECONDS), **(extra_jobs or {})})
        try:
            yield rhythm
        finally:
            scheduler.shutdown(wait=False)
            delivering.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await delivering
