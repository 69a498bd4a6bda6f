"""The quarterly KPI review: is it still relevant, does it still challenge and motivate, and
keep, adjust or kill?

The owner and their lead each answer for every active KPI. Adjusting changes the target or
the name with a record of what it was and why (the lead's change waits for the owner, in
`rituals.reviews.adjustments`); killing retires the KPI with the reason, never
deletes it. At the end of the review window the team gets one post of what came of it.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.amounts import format_number
from rituals.core.command import Command, KpiRef, Name, Reason
from rituals.core.context import Ctx
from rituals.core.messages import (
    Audience,
    Block,
    Bullets,
    FormRequest,
    Heading,
    Mention,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.people import local_today
from rituals.core.periods import describe_period, period_of
from rituals.core.permissions import may_act_for, refuse
from rituals.core.refusal import Refusal
from rituals.kpis.commands import describe_target, owner_of, resolve_kpi
from rituals.kpis.store import live_kpis_of
from rituals.reviews.adjustments import Adjustment, adjustments, apply, propose
from rituals.reviews.store import quarter_of_team, saved_review
from rituals.reviews.switch import switched_on_for
from storage.models import Cadence, Kpi, KpiChange, KpiReview, KpiStatus, ReviewVerdict
from storage.roster import TeamRow

QUESTIONS = (
    "Is this KPI still relevant?",
    "Does it still challenge and motivate you?",
    "Keep, adjust or kill?",
)
# Answers are gathered this many days from the review's first day; then the team hears.
REVIEW_DAYS = 7


class YesNo(enum.StrEnum):
    YES = "yes"
    NO = "no"


class ReviewKpi(Command):
    kpi: KpiRef = Field(title="KPI")
    relevant: YesNo | None = Field(None, title=QUESTIONS[0])
    motivating: YesNo | None = Field(None, title=QUESTIONS[1])
    verdict: ReviewVerdict | None = Field(None, title=QUESTIONS[2])
    target: Decimal | None = Field(
        None,
        title="New target (to adjust)",
        description="the number to reach each period",
        max_digits=16,
        decimal_places=4,
        allow_inf_nan=False,
    )
    name: Name | None = Field(
        None, title="New name (to adjust)", description="what it measures, said better"
    )
    why: Reason | None = Field(
        None, title="Why?", description="needed to adjust or kill; kept with the KPI"
    )


async def review(ctx: Ctx, cmd: ReviewKpi) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "review")
    await switched_on_for(ctx, kpi)
    owner = await owner_of(ctx, kpi)
    if not await may_act_for(ctx, owner.id):
        raise Refusal(
            await refuse(ctx, f"review {owner.display_name}'s KPI", owner, owner_may=True)
        )
    if kpi.status is not KpiStatus.ACTIVE:
        raise Refusal(
            say(f"#{kpi.id} {kpi.name} is {kpi.status.value}; reviews are for active KPIs.")
        )
    if cmd.relevant is None or cmd.motivating is None or cmd.verdict is None:
        return [_form(kpi, cmd)]
    problem = _problem(cmd)
    if problem is None and cmd.verdict is ReviewVerdict.ADJUST and cmd.name:
        problem = await _name_taken(ctx, kpi, cmd.name)
    if problem:
        raise Refusal(say(problem), form=_form(kpi, cmd))
    quarter = period_of(Cadence.QUARTERLY, await local_today(ctx))
    now = ctx.clock.now()
    row = await saved_review(ctx.session, kpi.id, quarter.name, ctx.actor.member_id)
    if row is None:
        row = KpiReview(
            workspace_id=kpi.workspace_id,
            kpi_id=kpi.id,
            quarter=quarter.name,
            member_id=ctx.actor.member_id,
        )
        ctx.session.add(row)
    row.relevant = cmd.relevant is YesNo.YES
    row.motivating = cmd.motivating is YesNo.YES
    row.verdict = cmd.verdict
    row.why = cmd.why
    row.reviewed_at = now
    changes = adjustments(kpi, cmd.target, cmd.name)
    if cmd.verdict is ReviewVerdict.ADJUST and changes and owner.id != ctx.actor.member_id:
        assert cmd.why is not None
        return await propose(ctx, kpi, owner, changes, cmd.why)
    done = _apply(ctx, kpi, cmd, changes, describe_period(quarter))
    await ctx.session.flush()
    replies: list[Reply] = [say(done)]
    if owner.id != ctx.actor.member_id and cmd.verdict is not ReviewVerdict.KEEP:
        lead = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
        replies.append(
            Message(
                (Paragraph(rich(lead, " reviewed your KPI. ", done)),),
                audience=Audience.DM,
                to=Mention(owner.platform_user_id, owner.display_name),
            )
        )
    return replies


def _problem(cmd: ReviewKpi) -> str | None:
    if cmd.verdict is ReviewVerdict.ADJUST:
        if cmd.target is None and cmd.name is None:
            return "To adjust it, give a new target, a new name, or both."
        if cmd.why is None:
            return "Say why it changes: the record keeps the reason with the old value."
    if cmd.verdict is ReviewVerdict.KILL and cmd.why is None:
        return "Say why it goes: a retired KPI keeps its reason for good."
    return None


async def _name_taken(ctx: Ctx, kpi: Kpi, name: str) -> str | None:
    live = await live_kpis_of(ctx.session, kpi.workspace_id, kpi.owner_id)
    if any(k.id != kpi.id and k.name.lower() == name.lower() for k in live):
        return f"{name} is already the name of another of the owner's KPIs."
    return None


def _apply(ctx: Ctx, kpi: Kpi, cmd: ReviewKpi, changes: Sequence[Adjustment], quarter: str) -> str:
    """The verdict's effect on the KPI, said in one line."""
    if cmd.verdict is ReviewVerdict.KILL:
        assert cmd.why is not None
        kpi.status = KpiStatus.RETIRED
        kpi.retired_reason = f"killed in the {quarter} review: {cmd.why}"
        kpi.retired_at = ctx.clock.now()
        return f"Killed #{kpi.id} {kpi.name}. It stays in the history with the reason: {cmd.why}"
    if cmd.verdict is ReviewVerdict.KEEP:
        return f"Kept #{kpi.id} {kpi.name} as it is."
    assert cmd.why is not None
    if not changes:
        return f"#{kpi.id} {kpi.name} already reads that way; nothing changed."
    apply(ctx, kpi, changes, cmd.why, ctx.actor.member_id)
    said = "; ".join(str(c) for c in changes)
    return f"Adjusted #{kpi.id}: {said}. Why: {cmd.why}"


def _form(kpi: Kpi, cmd: ReviewKpi) -> FormRequest:
    """The review form, with what was answered kept and the KPI and its target on top."""
    values = {"kpi": str(kpi.id)}
    for name in ("relevant", "motivating", "verdict", "name", "why"):
        value = getattr(cmd, name)
        if value is not None:
            values[name] = str(value)
    if cmd.target is not None:
        values["target"] = format_number(cmd.target)
    about = f"#{kpi.id} {kpi.name}: {describe_target(kpi.target, kpi.unit, kpi.cadence)}."
    return FormRequest("review", values, about, required=("relevant", "motivating", "verdict"))


# --- what a review shows, and the summary --------------------------------------------------


@dataclass(frozen=True)
class Reviewable:
    """A KPI as the review prompt and summary show it."""

    id: int
    name: str
    owner: str
    target: str
    shared: bool = False  # co-created with the team: the team sees it


@dataclass(frozen=True)
class Outcome:
    """What the quarter's review made of one KPI."""

    kpi: Reviewable
    verdict: ReviewVerdict | None  # None: nobody reviewed it
    why: str | None
    changes: tuple[str, ...] = ()


def summary(team: str, quarter: str, everything: Sequence[Outcome]) -> Message:
    """One post for the team: kept, adjusted, killed, and what nobody reviewed.

    Only KPIs the team co-created are named: a person's own KPI, its target and the reasons
    given stay between them and their lead, and the team hears only how many were reviewed
    and how many were not."""
    outcomes = [o for o in everything if o.kpi.shared]
    personal = [o for o in everything if not o.kpi.shared]
    kept = [o for o in outcomes if o.verdict is ReviewVerdict.KEEP]
    adjusted = [o for o in outcomes if o.verdict is ReviewVerdict.ADJUST]
    killed = [o for o in outcomes if o.verdict is ReviewVerdict.KILL]
    open_ = [o for o in outcomes if o.verdict is None]
    blocks: list[Block] = [Heading(f"{quarter} KPI review: {team}")]
    if kept:
        names = ", ".join(f"{o.kpi.name} ({o.kpi.owner})" for o in kept)
        blocks.append(Paragraph(rich(f"Kept ({len(kept)}): {names}.")))
    if adjusted:
        blocks.append(Paragraph(rich(f"Adjusted ({len(adjusted)}):")))
        blocks.append(
            Bullets(
                tuple(
                    rich(
                        f"{o.kpi.name} ({o.kpi.owner}): "
                        f"{'; '.join(o.changes) or 'as it was'}. Why: {o.why}"
                    )
                    for o in adjusted
                )
            )
        )
    if killed:
        blocks.append(Paragraph(rich(f"Killed ({len(killed)}), retired with the reason:")))
        blocks.append(
            Bullets(tuple(rich(f"{o.kpi.name} ({o.kpi.owner}): {o.why}") for o in killed))
        )
    if open_:
        names = ", ".join(f"{o.kpi.name} ({o.kpi.owner})" for o in open_)
        blocks.append(Note(f"Not reviewed: {names}. They carry on as they are."))
    blocks += _personal(personal)
    blocks.append(Note("KPIs are tools for growth: keep what helps, change what doesn't."))
    return Message(tuple(blocks), audience=Audience.CHANNEL)


def _personal(personal: Sequence[Outcome]) -> list[Block]:
    """How many personal KPIs were reviewed, counting only those with a review, and how many
    were not: a KPI nobody answered for was not reviewed, whatever else happened to it."""
    reviewed = sum(o.verdict is not None for o in personal)
    left = len(personal) - reviewed
    blocks: list[Block] = []
    if reviewed:
        kpis = "KPI was" if reviewed == 1 else "KPIs were"
        blocks.append(
            Paragraph(rich(f"{reviewed} personal {kpis} reviewed between owners and their lead."))
        )
    if left:
        kpis = "KPI was" if left == 1 else "KPIs were"
        blocks.append(Note(f"{left} personal {kpis} not reviewed; they carry on as they are."))
    return blocks


async def quarter_outcomes(
    session: AsyncSession, team: TeamRow, quarter: str, opened: datetime
) -> list[Outcome]:
    """What the quarter's review made of each of the team's KPIs, for its summary."""
    kpis, reviews, changes = await quarter_of_team(
        session, team.workspace_id, team.id, quarter, opened
    )
    outcomes = []
    for kpi, owner in kpis:
        target = describe_target(kpi.target, kpi.unit, kpi.cadence)
        shown = Reviewable(kpi.id, kpi.name, owner, target, kpi.shared)
        outcomes.append(_outcome(shown, kpi, reviews.get(kpi.id, []), changes.get(kpi.id, [])))
    return outcomes


def _outcome(
    shown: Reviewable, kpi: Kpi, reviews: Sequence[KpiReview], changes: Sequence[KpiChange]
) -> Outcome:
    """What came of it, whoever said what: a kill stands, then an adjustment made, then the
    last word."""
    killed = [r for r in reviews if r.verdict is ReviewVerdict.KILL]
    if killed and kpi.status is KpiStatus.RETIRED:
        return Outcome(shown, ReviewVerdict.KILL, killed[-1].why)
    if changes:
        said = tuple(f"{c.what} {c.before} is now {c.after}" for c in changes)
        return Outcome(shown, ReviewVerdict.ADJUST, changes[-1].why, said)
    last = reviews[-1] if reviews else None
    return Outcome(shown, last.verdict if last else None, last.why if last else None)
