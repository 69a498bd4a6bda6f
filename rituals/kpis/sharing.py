"""A KPI's owner opens its numbers to their team, or closes them again.

Numbers are their owner's: private by default, seen by the owner and their lead. Sharing is
the owner's word alone (not the lead's), and says plainly who will see what; the rule that
reads it is `rituals.kpis.visibility`.
"""

from __future__ import annotations

from pydantic import Field

from rituals.core.command import Command, KpiRef
from rituals.core.context import Ctx
from rituals.core.messages import Actions, Button, Message, Paragraph, Reply, rich, say
from rituals.core.refusal import Refusal
from rituals.kpis.commands import owner_of, resolve_kpi
from storage.models import Kpi, Team


class ShareKpi(Command):
    kpi: KpiRef = Field(title="KPI")


class UnshareKpi(Command):
    kpi: KpiRef = Field(title="KPI")


async def share(ctx: Ctx, cmd: ShareKpi) -> list[Reply]:
    kpi = await _own(ctx, cmd.kpi, "share", "share its numbers with the team")
    team = await _team_of(ctx, kpi)
    if kpi.shared:
        return [say(f"{team.name} co-created #{kpi.id} {kpi.name}: its numbers are theirs to see.")]
    undo = Button("Stop sharing", f"unshare {kpi.id}")
    if kpi.open_to_team:
        # Said plainly, so a second `share` does not read as if something changed.
        words = f"#{kpi.id} {kpi.name} was already shared with {team.name}; nothing changed."
        return [Message((Paragraph(rich(words)), Actions((undo,))))]
    kpi.open_to_team = True
    await ctx.session.flush()
    words = (
        f"{team.name} can now see the numbers and context notes of #{kpi.id} {kpi.name} "
        "(its trend, and a sharp fall posted in the team channel). Only you and your lead can "
        "start experiments on it."
    )
    return [Message((Paragraph(rich(words)), Actions((undo,))))]


async def unshare(ctx: Ctx, cmd: UnshareKpi) -> list[Reply]:
    kpi = await _own(ctx, cmd.kpi, "unshare", "stop sharing its numbers")
    if kpi.shared:
        team = await _team_of(ctx, kpi)
        raise Refusal(
            say(
                f"{team.name} co-created #{kpi.id} {kpi.name} and voted on it in the channel: its "
                "numbers stay the team's. To make a KPI of your own, propose one."
            )
        )
    if not kpi.open_to_team:
        return [
            say(
                f"#{kpi.id} {kpi.name} was already private: only you and your lead see its "
                f"numbers. To open them to your team, type share {kpi.id}."
            )
        ]
    kpi.open_to_team = False
    await ctx.session.flush()
    return [say(f"Only you and your lead see the numbers of #{kpi.id} {kpi.name} now.")]


async def _own(ctx: Ctx, ref: KpiRef, verb: str, doing: str) -> Kpi:
    """The KPI, when the person asking owns it; otherwise a refusal naming who does."""
    kpi = await resolve_kpi(ctx, ref, verb)
    owner = await owner_of(ctx, kpi)
    if owner.id != ctx.actor.member_id:
        raise Refusal(
            say(
                f"Only {owner.display_name} can {doing}: #{kpi.id} {kpi.name} is theirs. "
                f"Ask {owner.display_name} to type {verb} {kpi.id}."
            )
        )
    return kpi


async def _team_of(ctx: Ctx, kpi: Kpi) -> Team:
    team = await ctx.session.get(Team, kpi.team_id) if kpi.team_id is not None else None
    if team is None:
        raise Refusal(
            say(f"#{kpi.id} {kpi.name} belongs to no team yet, so there is nobody to share with.")
        )
    return team
