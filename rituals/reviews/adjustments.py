"""A change to someone else's KPI, proposed in review, waits for its owner: targets are set
with the owner, never for them. The owner accepts it (it takes effect that day) or answers in
their own words (the KPI stays as it was, and whoever proposed it hears the answer). The owner
adjusting their own KPI needs nobody's agreement.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from pydantic import Field

from rituals.core.command import Command, KpiRef, Reason
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Audience,
    Button,
    ButtonStyle,
    FormRequest,
    Mention,
    Message,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.refusal import Refusal
from rituals.kpis.commands import describe_target, owner_of, resolve_kpi
from rituals.kpis.store import live_kpis_of
from rituals.reviews.store import waiting_changes
from rituals.reviews.switch import switched_on_for
from storage.models import Kpi, KpiChange, KpiStatus, Member

ASK = "Targets are set with you, never for you. Does this change work for you?"


class Choice(enum.StrEnum):
    ACCEPT = "accept"
    ANSWER = "answer"


class AnswerAdjustment(Command):
    kpi: KpiRef = Field(title="KPI")
    choice: Choice | None = Field(None, title="Accept it, or answer?")
    words: Reason | None = Field(
        None, title="Your answer", description="told to whoever proposed the change"
    )


@dataclass(frozen=True)
class Adjustment:
    """One thing a review changes: the target (with its new number) or the name."""

    what: str  # "target" or "name"
    before: str
    after: str
    target: Decimal | None = None

    def __str__(self) -> str:
        return f"{self.what} {self.before} is now {self.after}"


def adjustments(kpi: Kpi, target: Decimal | None, name: str | None) -> list[Adjustment]:
    """What a new target and name would change, said as people read a target."""
    found = []
    if target is not None and target != kpi.target:
        before = describe_target(kpi.target, kpi.unit, kpi.cadence)
        after = describe_target(target, kpi.unit, kpi.cadence)
        found.append(Adjustment("target", before, after, target))
    if name is not None and name != kpi.name:
        found.append(Adjustment("name", kpi.name, name))
    return found


def apply(ctx: Ctx, kpi: Kpi, changes: Sequence[Adjustment], why: str, by: int) -> None:
    """Make the changes, each recorded today with what it was and why."""
    for change in changes:
        if change.target is not None:
            kpi.target = change.target
        else:
            kpi.name = change.after
        ctx.session.add(_record(kpi, change, why, by, ctx, waiting=False))


def _record(
    kpi: Kpi, change: Adjustment, why: str, by: int, ctx: Ctx, *, waiting: bool
) -> KpiChange:
    return KpiChange(
        workspace_id=kpi.workspace_id,
        kpi_id=kpi.id,
        changed_by_id=by,
        what=change.what,
        before=change.before,
        after=change.after,
        target=change.target,
        why=why,
        changed_at=ctx.clock.now(),
        waiting=waiting,
    )


def _said(changes: Sequence[Adjustment]) -> str:
    return "; ".join(f"{c.what} {c.before} to {c.after}" for c in changes)


async def propose(
    ctx: Ctx, kpi: Kpi, owner: Member, changes: Sequence[Adjustment], why: str
) -> list[Reply]:
    """Put the changes to the KPI's owner; a later proposal replaces one still waiting."""
    for earlier in await waiting_changes(ctx.session, kpi.id):
        await ctx.session.delete(earlier)
    for change in changes:
        ctx.session.add(_record(kpi, change, why, ctx.actor.member_id, ctx, waiting=True))
    await ctx.session.flush()
    lead = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
    asked = Message(
        (
            Paragraph(
                rich(
                    lead,
                    f" proposes a change to your KPI #{kpi.id} {kpi.name} in the quarterly "
                    f"review: {_said(changes)}. Why: {why}",
                )
            ),
            _buttons(kpi),
        ),
        audience=Audience.DM,
        to=Mention(owner.platform_user_id, owner.display_name),
    )
    return [
        say(
            f"Proposed to {owner.display_name}: {_said(changes)}. It takes effect when "
            f"{owner.display_name} accepts it; you will hear their answer."
        ),
        asked,
    ]


def _buttons(kpi: Kpi) -> Actions:
    return Actions(
        (
            Button("Accept", f"adjustment {kpi.id} accept", ButtonStyle.PRIMARY),
            Button("Answer", f"adjustment {kpi.id} answer"),
        ),
        prompt=ASK,
    )


async def answer(ctx: Ctx, cmd: AnswerAdjustment) -> list[Reply]:
    """The owner's say on a change proposed to their KPI."""
    kpi = await resolve_kpi(ctx, cmd.kpi, "adjustment")
    await switched_on_for(ctx, kpi)
    owner = await owner_of(ctx, kpi)
    if owner.id != ctx.actor.member_id:
        raise Refusal(say(f"Only {owner.display_name} can accept or answer a change to their KPI."))
    waiting = await waiting_changes(ctx.session, kpi.id)
    if not waiting:
        raise Refusal(say(f"No change to #{kpi.id} {kpi.name} is waiting for your answer."))
    if kpi.status is not KpiStatus.ACTIVE:
        raise Refusal(say(f"#{kpi.id} {kpi.name} is {kpi.status.value}: nothing to change."))
    proposer = await ctx.session.get(Member, waiting[0].changed_by_id)
    assert proposer is not None  # the foreign key guarantees it
    said = _said([Adjustment(c.what, c.before, c.after) for c in waiting])
    if cmd.choice is None:
        about = f"{proposer.display_name} proposes for #{kpi.id} {kpi.name}: {said}."
        return [Message((Paragraph(rich(f"{about} Why: {waiting[0].why}")), _buttons(kpi)))]
    if cmd.choice is Choice.ANSWER:
        return await _answered(ctx, kpi, owner, proposer, waiting, cmd)
    return await _accepted(ctx, kpi, owner, proposer, waiting)


async def _accepted(
    ctx: Ctx, kpi: Kpi, owner: Member, proposer: Member, waiting: Sequence[KpiChange]
) -> list[Reply]:
    """The changes take effect today, measured against the KPI as it is now."""
    target = next((c.target for c in waiting if c.target is not None), None)
    name = next((c.after for c in waiting if c.what == "name"), None)
    if name is not None:
        live = await live_kpis_of(ctx.session, kpi.workspace_id, kpi.owner_id)
        if any(k.id != kpi.id and k.name.lower() == name.lower() for k in live):
            raise Refusal(say(f"{name} is already the name of another of your KPIs."))
    changes = adjustments(kpi, target, name)
    why = waiting[0].why
    for row in waiting:
        await ctx.session.delete(row)
    apply(ctx, kpi, changes, why, proposer.id)
    await ctx.session.flush()
    if not changes:
        return [say(f"#{kpi.id} {kpi.name} already reads that way; nothing changed.")]
    done = "; ".join(str(c) for c in changes)
    you = Mention(owner.platform_user_id, owner.display_name)
    return [
        say(f"Accepted for #{kpi.id}: {done}."),
        Message(
            (Paragraph(rich(you, f" accepted your change to #{kpi.id}: {done}.")),),
            audience=Audience.DM,
            to=Mention(proposer.platform_user_id, proposer.display_name),
        ),
    ]


async def _answered(
    ctx: Ctx,
    kpi: Kpi,
    owner: Member,
    proposer: Member,
    waiting: Sequence[KpiChange],
    cmd: AnswerAdjustment,
) -> list[Reply]:
    """The KPI stays as it is, and whoever proposed the change reads the owner's words."""
    said = _said([Adjustment(c.what, c.before, c.after) for c in waiting])
    if cmd.words is None:
        about = (
            f"{proposer.display_name} proposes for #{kpi.id} {kpi.name}: {said}. "
            "Your answer goes to them, and the KPI stays as it is."
        )
        return [
            FormRequest("adjustment", {"kpi": str(kpi.id), "choice": "answer"}, about, ("words",))
        ]
    for row in waiting:
        await ctx.session.delete(row)
    await ctx.session.flush()
    you = Mention(owner.platform_user_id, owner.display_name)
    return [
        say(
            f"Told {proposer.display_name}. #{kpi.id} {kpi.name} stays as it is: "
            f"{describe_target(kpi.target, kpi.unit, kpi.cadence)}."
        ),
        Message(
            (
                Paragraph(rich(you, f" answered your proposed change to #{kpi.id} ({said}):")),
                Paragraph(rich(cmd.words)),
                Paragraph(rich("The KPI stays as it is until you agree on a change together.")),
            ),
            audience=Audience.DM,
            to=Mention(proposer.platform_user_id, proposer.display_name),
        ),
    ]
