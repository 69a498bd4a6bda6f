"""What an approved budget cost, a person's budget as it stands, and the lead's setting."""

from __future__ import annotations

from decimal import Decimal

from rituals.budgets.commands import SetBudget, ShowBudget, SpendBudget
from rituals.budgets.standing import budget_of, standing
from rituals.budgets.store import RequestRow, request_by_id, requests_where
from rituals.core.amounts import budget_text, read_amount, show_amount
from rituals.core.context import Ctx
from rituals.core.messages import (
    Block,
    Bullets,
    FormRequest,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    Rich,
    rich,
    say,
)
from rituals.core.periods import quarter_at
from rituals.core.permissions import leads_team
from rituals.core.refusal import Refusal
from rituals.team.gate import team_gate
from rituals.team.teams import save_rituals
from storage.models import BudgetState

STATES = {
    BudgetState.ASKED: "waiting for the lead",
    BudgetState.QUESTIONED: "the lead asked a question",
    BudgetState.APPROVED: "approved",
}


async def spend(ctx: Ctx, cmd: SpendBudget) -> list[Reply]:
    found = await request_by_id(ctx.session, ctx.actor.workspace_id, cmd.request)
    if found is None or found.request.member_id != ctx.actor.member_id:
        raise Refusal(say(f"You have no budget request #{cmd.request} here. budget lists yours."))
    row = found.request
    if row.state is not BudgetState.APPROVED:
        raise Refusal(say(f"Request #{row.id} is not approved yet; spend once your lead says yes."))
    form = FormRequest(
        "budget spend",
        {"request": str(row.id), **({"amount": cmd.amount} if cmd.amount else {})},
        f"Request #{row.id}: {show_amount(row.amount, row.unit)} approved. Scope: {row.scope}",
        required=("amount",),
    )
    if cmd.amount is None:
        return [form]
    try:
        amount, unit = read_amount(cmd.amount)
    except ValueError as exc:
        raise Refusal(say(f"Spent so far: {exc}."), form=form) from exc
    if unit != row.unit:
        raise Refusal(say(f"Spent so far: request #{row.id} is in {row.unit}."), form=form)
    if amount > row.amount:
        raise Refusal(
            say(
                f"Spent so far: {show_amount(amount, unit)} is more than the "
                f"{show_amount(row.amount, unit)} approved. Stay in scope, or talk to your lead "
                "before spending more."
            ),
            form=form,
        )
    before = row.spent
    if before is not None and amount == before:
        raise Refusal(
            say(
                f"Spent so far: {show_amount(amount, unit)} is what request #{row.id} has "
                "already; the amount is what it cost in all, not what to add. Give the new "
                "total."
            ),
            form=form,
        )
    row.spent, row.spent_note = amount, cmd.note or row.spent_note
    await ctx.session.flush()
    return [say(_recorded(row.id, found.experiment.id, amount, row.amount, before, unit))]


def _recorded(
    request: int,
    experiment: int,
    amount: Decimal,
    approved: Decimal,
    before: Decimal | None,
    unit: str,
) -> str:
    """What a spend says: the total in all, and a changed total always as "was X, now Y", so a
    correction is never silent."""
    total = (
        f"{show_amount(amount, unit)} of {show_amount(approved, unit)} spent on "
        f"experiment #{experiment}"
    )
    if before is None:
        head = f"Recorded: {total} in all."
    elif amount < before:
        head = (
            f"Corrected request #{request}: was {show_amount(before, unit)} spent, now {total} "
            "in all (lowered)."
        )
    else:
        was = show_amount(before, unit)
        head = f"Updated request #{request}: was {was} spent, now {total} in all."
    return (
        f"{head} Next time give the total so far, not what to add. What is not spent returns "
        "to your budget once you say what happened (result)."
    )


def line(r: RequestRow, *, who: bool = False) -> Rich:
    """One request as a person or their lead reads it."""
    req = r.request
    name = f"{r.person.display_name}, " if who else ""
    spent = f"; {show_amount(req.spent, req.unit)} spent" if req.spent is not None else ""
    result = f". Result: {r.experiment.result}" if r.experiment.result else ""
    return rich(
        f"#{req.id} {name}{show_amount(req.amount, req.unit)} for experiment "
        f"#{r.experiment.id} ({r.kpi.name}): {req.scope} ({STATES[req.state]}{spent}){result}"
    )


async def show(ctx: Ctx, cmd: ShowBudget) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="see its experiment budgets")
    mine = await standing(ctx, team, ctx.actor.member_id)
    blocks: list[Block] = [
        Heading(f"Your experiment budget on {team.name}"),
        Paragraph(rich(f"{mine.words()}.")),
    ]
    if mine.rows:
        blocks.append(Bullets(tuple(line(r) for r in mine.rows)))
    if await leads_team(ctx, team):
        waiting = await requests_where(
            ctx.session,
            ctx.actor.workspace_id,
            team_ids=[team.id],
            quarters=[mine.quarter],
            states=(BudgetState.ASKED, BudgetState.QUESTIONED),
        )
        others = [r for r in waiting if r.request.member_id != ctx.actor.member_id]
        if others:
            blocks += [
                Paragraph(rich("Waiting for you:")),
                Bullets(tuple(line(r, who=True) for r in others)),
            ]
    blocks.append(
        Note("Ask for part of it for a running experiment: budget ask <experiment> <amount>.")
    )
    return [Message(tuple(blocks))]


async def set_budget(ctx: Ctx, cmd: SetBudget) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="change its experiment budget")
    total, unit = budget_of(ctx, team)
    form = FormRequest(
        "budget set",
        {"team": team.name, "budget": cmd.budget or f"{show_amount(total, unit)}"},
        f"Each person's budget a quarter on {team.name}, to prototype a KPI hack.",
        required=("budget",),
    )
    if cmd.budget is None:
        return [form]
    try:
        text = budget_text(cmd.budget)
    except ValueError as exc:
        raise Refusal(say(f"Nothing was saved. Budget: {exc}."), form=form) from exc
    new_unit = text.split(" ", 1)[1]
    quarter = quarter_at(ctx.clock.now(), team.time_zone).name
    if new_unit != unit:
        asked = await requests_where(
            ctx.session, ctx.actor.workspace_id, team_ids=[team.id], quarters=[quarter]
        )
        if asked:
            raise Refusal(
                say(
                    f"Nothing was saved: {team.name} has {len(asked)} request(s) in {unit} this "
                    f"quarter. Change the amount in {unit} now, and the unit next quarter."
                ),
                form=form,
            )
    await save_rituals(ctx, team, {"experiment_budget": text})
    amount, _ = read_amount(text)
    change = "raised" if new_unit == unit and amount > total else "set"
    if amount == total and new_unit == unit:
        change = "kept"
    return [
        say(
            f"Experiment budget on {team.name} {change}: {text} a person a quarter, from "
            f"{quarter} on. What was approved stays approved."
        )
    ]
