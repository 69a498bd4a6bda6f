"""An experiment asks for part of its owner's budget; the lead approves or asks a question.

Nothing is decided silently: every ask reaches the team's lead with both buttons, a question
reaches the person with a way to answer, and an approval is told to them. An ask beyond what
is left is refused with what is left and who can raise the budget. One ask per experiment:
while it waits, a second is refused naming the first, so the lead never holds two
conflicting asks and what the person first typed is not silently lost.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from rituals.budgets.commands import (
    SCOPE_LEAST,
    AnswerBudget,
    ApproveBudget,
    AskBudget,
    QuestionBudget,
)
from rituals.budgets.standing import Standing, standing
from rituals.budgets.store import RequestRow, request_by_id, request_of
from rituals.core.amounts import read_amount, show_amount, show_number
from rituals.core.context import Ctx
from rituals.core.dates import format_day
from rituals.core.knowing import may_know_of
from rituals.core.messages import (
    Actions,
    Audience,
    Button,
    ButtonStyle,
    Code,
    FormRequest,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    listing,
    rich,
    say,
)
from rituals.core.people import actor_member, local_today, nudge_day
from rituals.core.permissions import team_leads_and_admins
from rituals.core.refusal import Refusal
from rituals.core.when import read_date
from rituals.numbers.experiments import LONGEST_DAYS
from rituals.numbers.store import experiment_by_id
from rituals.team.gate import admit, team_gate
from rituals.team.teams import mention
from storage.models import BudgetRequest, BudgetState, Experiment, Kpi, Member, Team

TAKE_PART = "spend its experiment budget"


async def ask(ctx: Ctx, cmd: AskBudget) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only=TAKE_PART)
    experiment, kpi = await _running_experiment(ctx, cmd.experiment, team)
    previous = await request_of(ctx.session, experiment.id)
    if previous is not None and previous.state is BudgetState.APPROVED:
        raise Refusal(
            say(
                f"Experiment #{experiment.id}'s budget was approved already "
                f"(request #{previous.id}); say what it cost with ",
                Code(f"budget spend {previous.id} <amount>"),
                ", or ask for another experiment.",
            )
        )
    if previous is not None:
        raise await _waiting(ctx, team, experiment, previous)
    now_held = await standing(ctx, team, ctx.actor.member_id)
    form = _form(cmd, team, now_held, f"#{experiment.id} on {kpi.name}: {experiment.hypothesis}")
    if cmd.amount is None or cmd.scope is None:
        return [form]
    amount = _amount(cmd.amount, now_held, form)
    if len(cmd.scope) < SCOPE_LEAST:
        raise Refusal(
            say(
                f"Scope is too short; say what exactly it pays for, and what it does not (at "
                f"least {SCOPE_LEAST} characters)."
            ),
            form=form,
        )
    back = _look_back(cmd.back, await local_today(ctx), experiment.review_on, form)
    left = now_held.left
    if amount > left:
        raise await _over(ctx, team, amount, left, now_held, form)
    me = await actor_member(ctx)
    approver = await _approver(ctx, team, me)
    row = BudgetRequest(
        workspace_id=ctx.actor.workspace_id,
        team_id=team.id,
        experiment_id=experiment.id,
        member_id=ctx.actor.member_id,
        created_at=ctx.clock.now(),
    )
    row.amount, row.unit, row.scope, row.look_back = amount, now_held.unit, cmd.scope, back
    row.quarter, row.state = now_held.quarter, BudgetState.ASKED
    ctx.session.add(row)
    await ctx.session.flush()
    said = show_amount(amount, row.unit)
    return [
        say(
            f"Asked {approver.display_name} for {said} for experiment "
            f"#{experiment.id} (request #{row.id}). It is held from your budget until they "
            f"decide: {show_amount(left - amount, row.unit)} left besides."
        ),
        _to_lead(approver, me, row, kpi.name, experiment.hypothesis),
    ]


async def _running_experiment(ctx: Ctx, number: int, team: Team) -> tuple[Experiment, Kpi]:
    """The asker's own experiment, still running, on a KPI of this team (or of none)."""
    found = await experiment_by_id(ctx.session, ctx.actor.workspace_id, number)
    if found is None or found[0].owner_id != ctx.actor.member_id:
        raise Refusal(
            say(
                f"You have no experiment #{number} here. ",
                Code("experiments"),
                " lists yours; only an experiment's owner asks for its budget.",
            )
        )
    experiment, kpi = found
    if experiment.result is not None:
        raise Refusal(
            say(f"Experiment #{experiment.id} is finished; a budget is for one still running.")
        )
    if kpi.team_id is not None and kpi.team_id != team.id:
        raise Refusal(
            say(
                f"Experiment #{experiment.id} is on {kpi.name}, a KPI of another team: ask for "
                "that team's budget (add in <team>)."
            )
        )
    return experiment, kpi


async def _waiting(ctx: Ctx, team: Team, experiment: Experiment, row: BudgetRequest) -> Refusal:
    """A second ask while the first waits: the first stands, and the person is told which it
    is and what they can do, since there is no command to change or withdraw a request."""
    asked = f"Experiment #{experiment.id} already asked for {show_amount(row.amount, row.unit)} "
    lead = await ctx.session.get(Member, row.decided_by_id) if row.decided_by_id else None
    if row.state is BudgetState.QUESTIONED and lead is not None:
        return Refusal(
            say(
                f"{asked}(request #{row.id}), waiting for your answer to {lead.display_name}'s "
                f"question: {row.question} Scope: {row.scope}. Nothing was changed. Answer "
                "with ",
                Code(f"budget answer {row.id}"),
                "; your answer can say what should change.",
            )
        )
    lead = lead or await _approver(ctx, team, await actor_member(ctx))
    return Refusal(
        say(
            f"{asked}(request #{row.id}), waiting for {lead.display_name}. Scope: {row.scope}. "
            "Nothing was changed: a request cannot be changed or withdrawn once sent, so "
            "wait for their answer, or ask them. If it needs less, spend only what it needs: "
            "the rest returns to your budget once the experiment has its result."
        )
    )


async def _approver(ctx: Ctx, team: Team, me: Member) -> Member:
    """Who decides: the team's lead, or an admin; never the asker themself."""
    others = [m for m in await team_leads_and_admins(ctx, team) if m.id != me.id]
    if not others:
        raise Refusal(
            say(
                f"Nobody else on {team.name} can approve a budget: an admin or a lead decides, "
                "and the team has neither besides you. An admin can name another lead with "
                "team lead."
            )
        )
    return others[0]


def _form(cmd: AskBudget, team: Team, now: Standing, about: str) -> FormRequest:
    values = {"experiment": str(cmd.experiment), "team": team.name}
    for name in ("amount", "scope", "back"):
        if getattr(cmd, name):
            values[name] = getattr(cmd, name)
    intro = f"{about}. Your budget on {team.name}: {now.words()}."
    return FormRequest("budget ask", values, intro, required=("amount", "scope"))


def _amount(text: str, now: Standing, form: FormRequest) -> Decimal:
    try:
        amount, unit = read_amount(text)
    except ValueError as exc:
        raise Refusal(say(f"How much: {exc}."), form=form) from exc
    if unit != now.unit:
        raise Refusal(
            say(
                f"How much: {now.team.name}'s budget is kept in {now.unit}; ask in {now.unit}, "
                f"like {show_amount(Decimal(2), now.unit)}."
            ),
            form=form,
        )
    if amount <= 0:
        raise Refusal(say("How much: ask for more than nothing."), form=form)
    return amount


def _look_back(text: str | None, today: date, review_on: date, form: FormRequest) -> date:
    if not text:
        return max(review_on, today + timedelta(days=1))
    try:
        day = read_date(text, today)
    except ValueError as exc:
        raise Refusal(say(f"Look back on: {exc}."), form=form) from exc
    if not today < day <= today + timedelta(LONGEST_DAYS):
        raise Refusal(
            say(
                f"Look back on: give a day after today and within {LONGEST_DAYS // 7} weeks; "
                "a budget is for a short test."
            ),
            form=form,
        )
    return day


async def _over(
    ctx: Ctx, team: Team, amount: Decimal, left: Decimal, now: Standing, form: FormRequest
) -> Refusal:
    """Over budget: what is left, and who can raise it."""
    who = [mention(m) for m in await team_leads_and_admins(ctx, team)]
    raise_it = Code(f'budget set <amount> in "{team.name}"')
    return Refusal(
        say(
            f"That is more than is left: you asked for {show_amount(amount, now.unit)}, and "
            f"{show_number(left)} of your {show_amount(now.total, now.unit)} are left "
            f"on {team.name} in {now.quarter}. Ask for less, or ",
            *(listing(who, "or") if who else ["an admin"]),
            " can raise the budget: ",
            raise_it,
            ".",
        ),
        form=form,
    )


def _to_lead(lead: Member, me: Member, row: BudgetRequest, kpi: str, idea: str) -> Message:
    return Message(
        (
            Heading(f"Experiment budget: request #{row.id}"),
            Paragraph(
                rich(
                    mention(me),
                    f" asks for {show_amount(row.amount, row.unit)} to test, on {kpi}: {idea}",
                )
            ),
            Paragraph(rich(f"Scope: {row.scope}")),
            Paragraph(rich(f"Look back on {format_day(row.look_back, 'en')}.")),
            Actions(
                (
                    Button("Approve", f"budget approve {row.id}", ButtonStyle.PRIMARY),
                    Button("Ask a question", f"budget question {row.id}"),
                )
            ),
            Note("Approve it or ask a question: they hear either way."),
        ),
        audience=Audience.DM,
        to=mention(lead),
    )


async def _decided(ctx: Ctx, number: int) -> tuple[RequestRow, Team]:
    """The request a lead decides on, once they may: the team's lead or an admin."""
    found = await request_by_id(ctx.session, ctx.actor.workspace_id, number)
    # Someone who may not know of it hears what a number nobody uses gets, not its team.
    if found is None or not await may_know_of(
        ctx, found.request.team_id, [found.request.member_id]
    ):
        raise Refusal(say(f"There is no budget request #{number} here."))
    team = await ctx.session.get(Team, found.request.team_id)
    assert team is not None
    await admit(ctx, team, lead_only="decide on its experiment budgets")
    if found.request.state is BudgetState.APPROVED:
        raise Refusal(say(f"Request #{number} is approved already."))
    return found, team


async def approve(ctx: Ctx, cmd: ApproveBudget) -> list[Reply]:
    found, _ = await _decided(ctx, cmd.request)
    row = found.request
    row.state, row.decided_by_id, row.decided_at = (
        BudgetState.APPROVED,
        ctx.actor.member_id,
        ctx.clock.now(),
    )
    await ctx.session.flush()
    said = show_amount(row.amount, row.unit)
    tell = Message(
        (
            Paragraph(
                rich(
                    f"Approved: {said} for experiment #{found.experiment.id} "
                    f"(request #{row.id}). Scope: {row.scope}"
                )
            ),
            Note(
                f"Say what it cost with budget spend {row.id} <amount>; I'll ask what happened "
                f"on {format_day(nudge_day(ctx, found.person, found.experiment.review_on), 'en')}. "
                "When the quarter ends, the "
                "team sees its budgeted experiments and what came of them in one post."
            ),
        ),
        audience=Audience.DM,
        to=mention(found.person),
    )
    return [say(f"Approved request #{row.id}: {said} for {found.person.display_name}."), tell]


async def question(ctx: Ctx, cmd: QuestionBudget) -> list[Reply]:
    found, _ = await _decided(ctx, cmd.request)
    row = found.request
    if cmd.question is None:
        return [
            FormRequest(
                "budget question",
                {"request": str(row.id)},
                f"Request #{row.id}: {show_amount(row.amount, row.unit)}. Scope: {row.scope}",
                required=("question",),
            )
        ]
    row.state, row.question, row.answer = BudgetState.QUESTIONED, cmd.question, None
    row.decided_by_id = ctx.actor.member_id
    await ctx.session.flush()
    me = await actor_member(ctx)
    ask = Message(
        (
            Paragraph(
                rich(
                    mention(me),
                    f" has a question about request #{row.id} "
                    f"({show_amount(row.amount, row.unit)}): {cmd.question}",
                )
            ),
            Actions((Button("Answer", f"budget answer {row.id}", ButtonStyle.PRIMARY),)),
            Note("It stays held from your budget until they decide."),
        ),
        audience=Audience.DM,
        to=mention(found.person),
    )
    return [say(f"Asked {found.person.display_name} your question about request #{row.id}."), ask]


async def answer(ctx: Ctx, cmd: AnswerBudget) -> list[Reply]:
    found = await request_by_id(ctx.session, ctx.actor.workspace_id, cmd.request)
    if found is None or found.request.member_id != ctx.actor.member_id:
        raise Refusal(say(f"You have no budget request #{cmd.request} here."))
    row = found.request
    if row.state is not BudgetState.QUESTIONED:
        raise Refusal(say(f"Request #{row.id} has no question waiting for you."))
    if cmd.answer is None:
        return [
            FormRequest(
                "budget answer",
                {"request": str(row.id)},
                f"The question: {row.question}",
                required=("answer",),
            )
        ]
    row.state, row.answer = BudgetState.ASKED, cmd.answer
    await ctx.session.flush()
    me = await actor_member(ctx)
    asker = await ctx.session.get(Member, row.decided_by_id) if row.decided_by_id else None
    replies: list[Reply] = [say(f"Sent your answer; request #{row.id} is back with your lead.")]
    if asker is not None and asker.is_active:
        message = _to_lead(asker, me, row, found.kpi.name, found.experiment.hypothesis)
        blocks = (
            *message.blocks[:3],
            Paragraph(rich(f"You asked: {row.question} They answer: {cmd.answer}")),
            *message.blocks[3:],
        )
        replies.append(Message(blocks, audience=Audience.DM, to=message.to))
    return replies
