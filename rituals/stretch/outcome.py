"""How a stretch went and what was learned: said by the person (or their lead), kept for
their next one-on-one, where it opens the script as a win whatever the number did."""

from __future__ import annotations

from rituals.core.context import Ctx
from rituals.core.messages import FormRequest, Reply, say
from rituals.core.permissions import may_act_for
from rituals.core.refusal import Refusal
from rituals.stretch.commands import FinishStretch
from rituals.stretch.store import stretch_by_id
from storage.models import StretchState


async def finish(ctx: Ctx, cmd: FinishStretch) -> list[Reply]:
    row = await stretch_by_id(ctx.session, ctx.actor.workspace_id, cmd.stretch)
    if row is None or not await may_act_for(ctx, row.member_id):
        raise Refusal(
            say(f"There is no stretch #{cmd.stretch} of yours here. stretches lists yours.")
        )
    if row.state is StretchState.DONE:
        raise Refusal(say(f"Stretch #{row.id} is done already: {row.outcome}"))
    if row.state is not StretchState.ACCEPTED:
        said = "has not been taken on yet" if row.state is StretchState.ASKED else "was declined"
        raise Refusal(say(f"Stretch #{row.id} {said}, so there is no outcome to record."))
    if cmd.outcome is None or cmd.learned is None:
        values = {"stretch": str(row.id)}
        values |= {k: v for k, v in (("outcome", cmd.outcome), ("learned", cmd.learned)) if v}
        return [
            FormRequest(
                "stretch done",
                values,
                f"Stretch #{row.id}: {row.what}",
                required=("outcome", "learned"),
            )
        ]
    row.outcome = cmd.outcome
    row.learned = cmd.learned
    row.state = StretchState.DONE
    row.finished_at = ctx.clock.now()
    await ctx.session.flush()
    return [
        say(
            f"Stretch #{row.id} done. Taking it on was the win: it opens the next one-on-one, "
            "with what was learned."
        )
    ]
