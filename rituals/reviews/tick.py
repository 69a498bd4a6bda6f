"""What the tick does for the quarterly review beyond its prompt: skip a prompt with no KPI to
review, and post the quarter's summary to the team when its review window ends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from datetime import time as day_time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.messages import Bullets, rich
from rituals.core.periods import period_of
from rituals.core.schedule import Decision, Rule, Verdict
from rituals.core.settings import RitualSettings
from rituals.core.spec import PromptKind, TickHooks
from rituals.core.tick import Candidate, Crew, Post
from rituals.debates.review import decided_lines
from rituals.reviews.commands import REVIEW_DAYS, quarter_outcomes, summary
from rituals.reviews.prompt import opening, review_rule
from rituals.reviews.store import active_kpis_owned_by, teams_reviewing
from storage.models import Cadence
from storage.outbox import queued_keys


async def _nothing_to_review(
    session: AsyncSession, mine: list[Candidate], now: datetime
) -> list[Candidate]:
    """A quarterly review prompt is skipped for someone with no active KPI to review, and for
    a lead whose team has none: a nudge about nothing would spend their budget."""
    due = {c.key for c in mine if c.decision.verdict is Verdict.DUE}
    if not due:
        return mine
    people = {s.member_id for c in mine if c.key in due for s in c.crew.people}
    owners = {kpi.owner_id for kpi, _ in await active_kpis_owned_by(session, people)}
    out = []
    for c in mine:
        if c.key in due:
            theirs = {s.member_id for s in c.crew.people} if c.seat is c.crew.lead else set()
            if not (theirs | {c.seat.member_id}) & owners:
                nothing = Decision(Verdict.SKIPPED, c.decision.at, "no active KPI to review")
                c = replace(c, decision=nothing)
        out.append(c)
    return out


def _review_closes(
    rule: Rule, zone: str, now: datetime, grace: timedelta
) -> tuple[str, datetime] | None:
    """The quarter whose review window ended by now (and not longer ago than the grace, so a
    bot started late does not post stale news), with the quarter's first moment, since when
    its changes count. In the team's zone."""
    local = now.astimezone(ZoneInfo(zone))
    found = opening(rule, zone, local.date())
    if found is None:
        return None
    occ, opened = found
    closes = opened + timedelta(days=REVIEW_DAYS)
    if not closes <= local < closes + grace:
        return None
    begun = period_of(Cadence.QUARTERLY, occ.day).start
    return occ.period, datetime.combine(begun, day_time(), ZoneInfo(zone))


async def _post_summaries(
    session: AsyncSession, crews: Sequence[Crew], now: datetime, settings: RitualSettings
) -> list[Post]:
    """The quarter's summary, once its review window ends, to each team that reviewed."""
    grace = timedelta(hours=settings.nudges.grace_hours[PromptKind.REVIEW])
    due: dict[str, tuple[Crew, str, datetime]] = {}
    for crew in crews:
        rule = review_rule(crew.rituals, crew.team.created_at.date())
        closing = _review_closes(rule, crew.team.time_zone, now, grace)
        if closing is not None and closing[1] >= crew.team.created_at:
            quarter, since = closing
            due[f"review-summary:{crew.team.id}:{quarter}"] = (crew, quarter, since)
    sent = await queued_keys(session, set(due))
    waiting = {key: found for key, found in due.items() if key not in sent}
    # One query finds the teams with something to say; the rest are never loaded.
    reviewing = await teams_reviewing(
        session,
        {c.team.id for c, _, _ in waiting.values()},
        min((s for _, _, s in waiting.values()), default=now),
    )
    posts = []
    for key, (crew, quarter, since) in waiting.items():
        if crew.team.id not in reviewing:
            continue
        outcomes = await quarter_outcomes(session, crew.team, quarter, since)
        blocks = summary(crew.team.name, quarter, outcomes).blocks
        # The team's own debates fed this review. A decision is the team's whether or not
        # the KPI's numbers are shared: the debate and its decision were posted to the team,
        # and the line holds no number.
        every = {(o.kpi.id, o.kpi.name) for o in outcomes}
        debated = await decided_lines(session, every, quarter)
        if debated:
            blocks = (*blocks[:-1], Bullets(tuple(rich(t) for t in debated.values())), blocks[-1])
        posts.append(Post(crew.team, key, PromptKind.REVIEW, blocks))
    return posts


TICK = TickHooks(skip=_nothing_to_review, close=_post_summaries)
