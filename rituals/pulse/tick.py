"""What the tick does for the tension pulse beyond its prompt: open the scheduled pulse its
prompts answer, and close pulses whose time is up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.messages import Block, Heading, Note, Paragraph, counted, rich
from rituals.core.schedule import Decision, Verdict
from rituals.core.settings import RitualSettings
from rituals.core.spec import PromptKind, TickHooks
from rituals.core.tick import Candidate, Crew, Post
from rituals.pulse.commands import OPEN_DAYS, OUR_KPIS, answered, closing_time, question, results
from rituals.pulse.store import closing_pulses, new_pulse, open_pulses_of
from storage.models import Pulse


def _since(c: Candidate) -> datetime:
    """Since when a pulse the lead started stands for this round of the schedule: one
    cadence back from the moment the round comes round, on the team's clock."""
    began = datetime.combine(c.occ.day, time.fromisoformat(c.occ.at), ZoneInfo(c.team.time_zone))
    return began - timedelta(weeks=c.crew.rituals.pulse_weeks)


async def _open(session: AsyncSession, mine: list[Candidate], now: datetime) -> list[Candidate]:
    """A scheduled pulse opens with the first of its prompts that is due, once per team and
    period, so every prompt's buttons answer the same pulse. While a pulse the lead started is
    open, the schedule adds none: the lead's pulse asked everyone already. Nor does it when
    the lead started one within the cadence before this round (a pulse on Friday, then the
    schedule's on Monday): the team was asked this round already, and a second pulse days
    after the first would ask for the same answers again."""
    due = [c for c in mine if c.decision.verdict is Verdict.DUE]
    if not due:
        return mine
    due_keys = {c.key for c in due}
    since = {c.key: _since(c) for c in due}
    found = await open_pulses_of(
        session, {c.team.id for c in due}, {c.occ.period for c in due}, min(since.values())
    )
    scheduled = {(p.team_id, p.period): p for p in found if p.period is not None}
    running = {p.team_id: p for p in found if p.closed_at is None}
    started: dict[int, list[datetime]] = defaultdict(list)
    for p in found:
        if p.period is None:
            started[p.team_id].append(p.opened_at)
    recent = {c.key for c in due if any(at >= since[c.key] for at in started[c.team.id])}
    for c in due:
        key = (c.team.id, c.occ.period)
        if key in scheduled or c.team.id in running or c.key in recent:
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
    for c in mine:
        if c.key in due_keys:
            opened = scheduled.get((c.team.id, c.occ.period))
            if len(c.crew.people) < c.crew.rituals.pulse_threshold:
                few = Decision(Verdict.SKIPPED, c.decision.at, "fewer people than answers needed")
                c = replace(c, decision=few)
            elif opened is None and c.key in recent and c.team.id not in running:
                weeks = c.crew.rituals.pulse_weeks
                why = f"a pulse was started within the last {counted(weeks, 'week', 'weeks')}"
                c = replace(c, decision=Decision(Verdict.SKIPPED, c.decision.at, why))
            elif opened is None and c.team.id not in running:
                continue  # opened by another process just now: the next tick sends it
            elif opened is None or opened.closed_at is not None or opened.closes_at <= now:
                why = "another pulse is open" if opened is None else "the pulse closed already"
                c = replace(c, decision=Decision(Verdict.SKIPPED, c.decision.at, why))
        out.append(c)
    return out


def sealed_note(pulse: Pulse, team: str, count: int) -> list[Block]:
    """For the lead when a pulse closes with too few answers to show."""
    more = pulse.threshold - count
    return [
        Heading(f"Tension pulse closed: {team}"),
        Paragraph(
            rich(
                f"{count} answered; results show only from {pulse.threshold}, so they stay "
                f"sealed ({more} more {'was' if more == 1 else 'were'} needed). Nobody, you "
                "included, sees these answers."
            )
        ),
        Note("Next time, ask at a team meeting, with five minutes to answer: `pulse start`."),
    ]


async def _close(
    session: AsyncSession, crews: Sequence[Crew], now: datetime, settings: RitualSettings
) -> list[Post]:
    """Pulses whose time is up: the results to the team when enough answered, else a word to
    the lead that they stay sealed."""
    served = {c.team.id: c for c in crews}
    posts = []
    for pulse in await closing_pulses(session, list(served), now):
        crew = served[pulse.team_id]
        count = answered(pulse)
        pulse.closed_at, pulse.shown = now, count >= pulse.threshold
        key = f"pulse:{pulse.id}"
        if pulse.shown:
            blocks = (await results(pulse, crew.team.name)).blocks
            posts.append(Post(crew.team, key, PromptKind.PULSE, blocks))
        elif crew.lead is not None:
            sealed = tuple(sealed_note(pulse, crew.team.name, count))
            posts.append(Post(crew.team, key, PromptKind.PULSE, sealed, to=crew.lead))
    return posts


TICK = TickHooks(open=_open, close=_close)
