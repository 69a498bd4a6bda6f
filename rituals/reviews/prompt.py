"""The quarterly review's scheduled prompt: each person's active KPIs to review (a lead's adds
their team's), loaded for every due prompt of a tick at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from datetime import time as day_time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    Heading,
    Note,
    Paragraph,
    rich,
)
from rituals.core.nudges import Prompt, details_or
from rituals.core.schedule import Occurrence, Rule, occurrence
from rituals.core.settings import TeamRituals
from rituals.core.spec import PromptKind, PromptSpec, RitualName
from rituals.core.tick import Asked
from rituals.debates.review import decided_lines
from rituals.kpis.commands import describe_target
from rituals.reviews.commands import QUESTIONS, REVIEW_DAYS, Reviewable
from rituals.reviews.store import active_kpis_owned_by
from rituals.team.teams import DAY_NAMES

# The most KPIs one prompt lists, with a button each: a person's own, and a lead's team's.
MINE_SHOWN = 10
THEIRS_SHOWN = 20


def prompt_blocks(
    team: str, mine: Sequence[Reviewable], theirs: Sequence[Reviewable]
) -> list[Block]:
    """The quarter's review prompt: the questions, and the KPIs to answer them for. Each KPI
    is named in the text as well as on its button: where the buttons are not shown (a
    notification, the console showing someone else's nudge) the prompt still says what it
    asks about, and with its target, which the question of challenge is about."""
    blocks: list[Block] = [
        Heading(f"Quarterly KPI review: {team}"),
        Paragraph(rich(" ".join(QUESTIONS))),
    ]
    if mine:
        blocks += _listed(
            "Your KPIs:",
            mine[:MINE_SHOWN],
            len(mine),
            lambda k: f"#{k.id} {k.name}: {k.target}",
            lambda k: f"Review #{k.id} {k.name}",
        )
    if theirs:
        blocks += _listed(
            "Your team's, to review with each owner:",
            theirs[:THEIRS_SHOWN],
            len(theirs),
            lambda k: f"#{k.id} {k.name} ({k.owner}): {k.target}",
            lambda k: f"#{k.id} {k.name} ({k.owner})",
        )
    if not mine and not theirs:
        blocks.append(Paragraph(rich("No active KPIs to review this quarter.")))
    blocks.append(
        Note(
            f"Answers are gathered for {REVIEW_DAYS} days; then the team sees what came of it. "
            "Killed KPIs are retired with the reason, never deleted."
        )
    )
    return blocks


def _listed(
    title: str,
    shown: Sequence[Reviewable],
    every: int,
    line: Callable[[Reviewable], str],
    label: Callable[[Reviewable], str],
) -> list[Block]:
    """Some KPIs named in a list and again on a button each, and how many more there are."""
    blocks: list[Block] = [
        Paragraph(rich(title)),
        Bullets(tuple(rich(line(k)) for k in shown)),
        Actions(tuple(Button(label(k)[:75], f"review {k.id}") for k in shown)),
    ]
    more = every - len(shown)
    if more:
        blocks.append(
            Note(f"And {more} more: `review <number>` for {'it' if more == 1 else 'each'}.")
        )
    return blocks


def _review(p: Prompt) -> list[Block]:
    return details_or(
        p,
        [
            Heading(f"Quarterly KPI review: {p.team}"),
            Paragraph(rich("`review <kpi>` for each of your active KPIs: keep, adjust or kill?")),
        ],
    )


async def _kpis_to_review(
    session: AsyncSession, asked: Sequence[Asked], now: datetime
) -> dict[str, tuple[Block, ...]]:
    """Each person's active KPIs to review; a lead's prompt adds their team's."""
    if not asked:
        return {}
    owners = {a.seat.member_id for a in asked}
    owners |= {s.member_id for a in asked if a.lead is a.seat for s in a.people}
    by_owner: dict[int, list[Reviewable]] = defaultdict(list)
    for kpi, name in await active_kpis_owned_by(session, owners):
        target = describe_target(kpi.target, kpi.unit, kpi.cadence)
        by_owner[kpi.owner_id].append(Reviewable(kpi.id, kpi.name, name, target))
    # What a Servant vs Scorekeeper debate decided about any of them, beside its button.
    every = {(k.id, k.name) for kpis in by_owner.values() for k in kpis}
    debated = await decided_lines(session, every, asked[0].occ.period)
    out: dict[str, tuple[Block, ...]] = {}
    for a in asked:
        mine = by_owner.get(a.seat.member_id, [])
        theirs = (
            [k for s in a.people if s is not a.seat for k in by_owner.get(s.member_id, [])]
            if a.lead is a.seat
            else []
        )
        said = [Note(debated[k.id]) for k in [*mine, *theirs] if k.id in debated]
        out[a.key] = (*prompt_blocks(a.team.name, mine, theirs), *said)
    return out


def review_rule(rituals: TeamRituals, team_created: date) -> Rule:
    """The first check-in day of each quarter, at check-in time."""
    return Rule(PromptKind.REVIEW, "quarterly", rituals.checkin_day, rituals.checkin_time)


def opening(rule: Rule, zone: str, day: date) -> tuple[Occurrence, datetime] | None:
    """The quarter's review that a local day falls in, with the moment it opened in the
    team's zone: what the summary's close and a home's "due" both count from."""
    occ = occurrence(rule, day)
    if occ is None:
        return None
    return occ, datetime.combine(occ.day, day_time.fromisoformat(occ.at), ZoneInfo(zone))


def review_open(rituals: TeamRituals, zone: str, now: datetime) -> str | None:
    """The quarter whose review gathers answers on a team right now (from its first
    check-in day, for `REVIEW_DAYS`), or None: when a home lists reviews as due."""
    if RitualName.REVIEW not in rituals.enabled:
        return None
    local = now.astimezone(ZoneInfo(zone))
    opened = opening(review_rule(rituals, local.date()), zone, local.date())
    if opened is None or not opened[1] <= local < opened[1] + timedelta(days=REVIEW_DAYS):
        return None
    return opened[0].period


def _cadence(rituals: TeamRituals) -> str:
    return f"the first {DAY_NAMES[rituals.checkin_day]} of each quarter, at {rituals.checkin_time}"


REVIEW = PromptSpec(
    kind=PromptKind.REVIEW,
    priority=3,
    rule=review_rule,
    body=_review,
    load=_kpis_to_review,
    grace_hours=72,
    label="Quarterly review",
    cadence=_cadence,
)
