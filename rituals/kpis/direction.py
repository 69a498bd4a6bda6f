"""Which way a KPI gets better. Most rise to their target; time to restore, cost, churn and
their kind fall to it, and for those a drop is the win and a rise is the fall that asks for a
wild idea. Inferred from the name and unit when proposed (app.yaml's word lists), shown on the
KPI's card, and turned by its owner, who knows best.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from rituals.core.command import Command, KpiRef
from rituals.core.context import Ctx
from rituals.core.messages import Actions, Button, Message, Paragraph, Reply, rich, say
from rituals.core.refusal import Refusal
from rituals.core.settings import KpiSettings
from rituals.kpis.commands import better_words, owner_of, resolve_kpi
from rituals.kpis.terms import first_term, stems
from storage.models import Direction, KpiStatus

DIRECTION_WORDS = {"up": "higher", "high": "higher", "down": "lower", "low": "lower"}


def infer_direction(name: str, unit: str, settings: KpiSettings) -> Direction:
    """Lower is better when the name or unit says so ("Time to restore service"), unless it
    also says the opposite ("Error-free orders")."""
    words = stems(f"{name} {unit}")
    if first_term(words, settings.lower_terms) and not first_term(words, settings.higher_terms):
        return Direction.LOWER
    return Direction.HIGHER


def improved(before: Decimal, after: Decimal, direction: Direction) -> bool:
    """Whether going from one value to the other is a gain for a KPI of this direction."""
    return after < before if direction is Direction.LOWER else after > before


def worse_percent(value: Decimal, reference: Decimal, direction: Direction) -> Decimal:
    """How much worse than the reference, in percent of it; 0 when it is not worse, or the
    reference is not positive (a change from zero or below has no size in percent)."""
    if reference <= 0:
        return Decimal(0)
    gap = value - reference if direction is Direction.LOWER else reference - value
    return max(gap, Decimal(0)) * 100 / reference


class SetDirection(Command):
    kpi: KpiRef = Field(title="KPI")
    better: Direction | None = Field(None, title="Which way is better?")


async def set_direction(ctx: Ctx, cmd: SetDirection) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "direction")
    owner = await owner_of(ctx, kpi)
    now = f"#{kpi.id} {kpi.name}: {better_words(kpi.direction)}"
    if owner.id != ctx.actor.member_id:
        raise Refusal(say(f"{now}. Only {owner.display_name} can turn it: the KPI is theirs."))
    if kpi.status is KpiStatus.RETIRED:
        raise Refusal(say(f"#{kpi.id} {kpi.name} was retired ({kpi.retired_reason})."))
    if cmd.better is None:
        other = Direction.LOWER if kpi.direction is Direction.HIGHER else Direction.HIGHER
        flip = Button(f"{other.value.capitalize()} is better", f"direction {kpi.id} {other}")
        return [Message((Paragraph(rich(f"{now}.")), Actions((flip,))))]
    kpi.direction = cmd.better
    await ctx.session.flush()
    gain, fall = ("drop", "rise") if cmd.better is Direction.LOWER else ("rise", "drop")
    return [
        say(
            f"#{kpi.id} {kpi.name}: {better_words(kpi.direction)} now. A {gain} counts as a win; "
            f"a sharp {fall} asks what wild idea to test."
        )
    ]
