"""A proposed KPI's way to active and, one day, to retired: the coaching questions answered,
the lead's activation once the team backs it, and retirement with the reason kept for good.
"""

from __future__ import annotations

from rituals.core.command import KpiRef
from rituals.core.context import Ctx
from rituals.core.messages import Block, Bullets, FormRequest, Message, Paragraph, Reply, rich, say
from rituals.core.permissions import is_lead_of, may_act_for, refuse
from rituals.core.refusal import Refusal
from rituals.kpis.commands import (
    ActivateKpi,
    AnswerOutcome,
    AnswerWhy,
    LinkGrowth,
    RetireKpi,
    card,
    next_steps,
    owner_of,
    resolve_kpi,
)
from rituals.kpis.proposals import put_to_vote
from rituals.kpis.store import Tally, tally
from storage.models import Kpi, KpiStatus


async def activate(ctx: Ctx, cmd: ActivateKpi) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "activate")
    if kpi.status is KpiStatus.ACTIVE:
        raise Refusal(say(f"#{kpi.id} {kpi.name} is already active."))
    if kpi.status is KpiStatus.RETIRED:
        raise Refusal(
            say(f"#{kpi.id} {kpi.name} was retired ({kpi.retired_reason}); propose it anew.")
        )
    owner = await owner_of(ctx, kpi)
    if not await is_lead_of(ctx, owner.id):
        raise Refusal(
            await refuse(ctx, f"activate {owner.display_name}'s KPI", owner, owner_may=False)
        )
    unanswered = kpi.effort_term and not kpi.outcome
    if kpi.agreed_at is None or kpi.growth_goal is None or unanswered:
        missing = next_steps(kpi)
        raise Refusal(
            Message((Paragraph(rich(f"#{kpi.id} {kpi.name} is not ready yet.")), *missing))
        )
    if kpi.shared:
        said = await tally(ctx.session, kpi.id)
        if said.backs <= said.questions:
            raise Refusal(_not_backed(kpi, said))
    kpi.status = KpiStatus.ACTIVE
    kpi.activated_at = ctx.clock.now()
    await ctx.session.flush()
    return [Message(tuple(card(kpi, owner, f"Active: #{kpi.id} {kpi.name}")))]


def _not_backed(kpi: Kpi, said: Tally) -> Message:
    """The team has not backed it (yet): what they asked, so the owner can answer first."""
    blocks: list[Block] = [
        Paragraph(
            rich(
                f"The team has not backed #{kpi.id} {kpi.name} yet ({said}). A KPI the team "
                "backs is one they will chase; answer their questions first."
            )
        )
    ]
    asked = [rich(f"{who}: {text}") for who, backs, text in said.comments if not backs]
    if asked:
        blocks.append(Bullets(tuple(asked[-10:])))
    return Message(tuple(blocks))


async def retire(ctx: Ctx, cmd: RetireKpi) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "retire")
    if kpi.status is KpiStatus.RETIRED:
        raise Refusal(say(f"#{kpi.id} {kpi.name} is already retired ({kpi.retired_reason})."))
    owner = await owner_of(ctx, kpi)
    if not await may_act_for(ctx, owner.id):
        raise Refusal(
            await refuse(ctx, f"retire {owner.display_name}'s KPI", owner, owner_may=True)
        )
    if cmd.reason is None:
        return [FormRequest("retire", {"kpi": str(kpi.id)}, required=("reason",))]
    kpi.status = KpiStatus.RETIRED
    kpi.retired_reason = cmd.reason
    kpi.retired_at = ctx.clock.now()
    await ctx.session.flush()
    return [say(f"Retired #{kpi.id} {kpi.name}. The reason stays with it: {cmd.reason}")]


async def link_growth(ctx: Ctx, cmd: LinkGrowth) -> list[Reply]:
    return await _answer(ctx, cmd.kpi, "growth", "growth_goal", cmd.goal, "Growth link saved")


async def answer_outcome(ctx: Ctx, cmd: AnswerOutcome) -> list[Reply]:
    return await _answer(ctx, cmd.kpi, "outcome", "outcome", cmd.outcome, "Outcome saved")


async def answer_why(ctx: Ctx, cmd: AnswerWhy) -> list[Reply]:
    return await _answer(ctx, cmd.kpi, "why", "excites", cmd.why, "Thanks, saved with")


async def _answer(
    ctx: Ctx, ref: KpiRef, verb: str, column: str, answer: str, saved: str
) -> list[Reply]:
    """Save an answer to one of the KPI's coaching questions, from its owner or their lead."""
    kpi = await resolve_kpi(ctx, ref, verb)
    if kpi.status is KpiStatus.RETIRED:
        raise Refusal(say(f"#{kpi.id} {kpi.name} is retired ({kpi.retired_reason})."))
    owner = await owner_of(ctx, kpi)
    if not await may_act_for(ctx, owner.id):
        doing = "link a growth goal to" if column == "growth_goal" else "answer for"
        raise Refusal(
            await refuse(ctx, f"{doing} {owner.display_name}'s KPI", owner, owner_may=True)
        )
    setattr(kpi, column, answer)
    await ctx.session.flush()
    votes = await put_to_vote(ctx, kpi, owner)  # first: a shared KPI's next step is the vote
    shown = Message((*card(kpi, owner, f"{saved}: #{kpi.id}"), *next_steps(kpi)))
    return [shown, *votes]
