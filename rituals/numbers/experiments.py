"""Experiments: the answer to a celebrated decline, "What wild idea will we test this week?"

An experiment is a hypothesis on one KPI with a day to look back. On that day its owner is
asked what happened; a finished experiment is a win in the next one-on-one, whatever the
number did, because trying is the behaviour worth repeating.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import Field, StringConstraints

from rituals.checkins.commands import DueText, read_due
from rituals.core.command import CLEAN, Answer, Command, KpiRef, row_number
from rituals.core.context import Ctx
from rituals.core.dates import format_day
from rituals.core.knowing import may_know_of
from rituals.core.messages import (
    Audience,
    Block,
    Bullets,
    Code,
    FormRequest,
    Heading,
    Mention,
    Message,
    Paragraph,
    Reply,
    Rich,
    rich,
    say,
)
from rituals.core.people import actor_member, local_today, nudge_day
from rituals.core.permissions import may_act_for, refuse
from rituals.core.refusal import Refusal
from rituals.kpis.commands import owner_of, resolve_kpi
from rituals.kpis.visibility import may_steer
from rituals.numbers.declines import WILD_IDEA
from rituals.numbers.store import experiment_by_id, experiments_of
from storage.models import Experiment, Kpi, KpiStatus

Idea = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=12, max_length=500), CLEAN
]
# A week is the usual test; longer ones are allowed, up to two months, then it is a project.
DEFAULT_DAYS = 7
LONGEST_DAYS = 56


class StartExperiment(Command):
    kpi: KpiRef = Field(title="KPI")
    idea: Idea | None = Field(
        None, title=WILD_IDEA, description="the hypothesis: if we try this, the number gets better"
    )
    review: DueText | None = Field(
        None, title="Look back on", description="in 7 days if empty; a day like fri, or YYYY-MM-DD"
    )


class FinishExperiment(Command):
    experiment: int = row_number("Experiment")
    result: Answer | None = Field(
        None, title="What happened?", description="what you tried, what moved, what you learned"
    )


class ListExperiments(Command):
    pass


async def start(ctx: Ctx, cmd: StartExperiment) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "experiment")
    if kpi.status is not KpiStatus.ACTIVE:
        raise Refusal(say(f"#{kpi.id} {kpi.name} is not active; experiments are for live numbers."))
    if not await may_steer(ctx, kpi):
        owner = await owner_of(ctx, kpi)
        doing = f"start an experiment on {owner.display_name}'s KPI #{kpi.id} {kpi.name}"
        raise Refusal(await refuse(ctx, doing, owner, owner_may=True))
    if cmd.idea is None:
        return [_form(kpi, cmd)]
    today = await local_today(ctx)
    try:
        review = read_due(cmd.review, today) if cmd.review else today + timedelta(DEFAULT_DAYS)
    except ValueError as exc:
        raise Refusal(say(f"Look back on: {exc}."), form=_form(kpi, cmd)) from exc
    if not today < review <= today + timedelta(LONGEST_DAYS):
        raise Refusal(
            say(
                f"Look back on: give a day after today and within {LONGEST_DAYS // 7} weeks; "
                "a longer test is a project."
            ),
            form=_form(kpi, cmd),
        )
    row = Experiment(
        workspace_id=kpi.workspace_id,
        kpi_id=kpi.id,
        owner_id=ctx.actor.member_id,
        hypothesis=cmd.idea,
        started_on=today,
        review_on=review,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(row)
    await ctx.session.flush()
    # The owner is asked when the tick reaches them: a weekend day moves to their next working day.
    when = format_day(nudge_day(ctx, await actor_member(ctx), review), "en")
    replies: list[Reply] = [
        say(
            f"Experiment #{row.id} on {kpi.name}: {row.hypothesis.rstrip('.!')}. I'll ask what "
            "happened on "
            f"{when}."
        )
    ]
    if kpi.owner_id != ctx.actor.member_id:
        owner = await owner_of(ctx, kpi)
        starter = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
        replies.append(
            Message(
                (Paragraph(rich(starter, f" is testing an idea on {kpi.name}: {row.hypothesis}")),),
                audience=Audience.DM,
                to=Mention(owner.platform_user_id, owner.display_name),
            )
        )
    return replies


def _form(kpi: Kpi, cmd: StartExperiment) -> FormRequest:
    """The experiment form, with what was typed kept and the KPI on top."""
    values = {"kpi": str(kpi.id)}
    if cmd.idea:
        values["idea"] = cmd.idea
    if cmd.review:
        values["review"] = cmd.review
    return FormRequest("experiment", values, f"#{kpi.id} {kpi.name}.", required=("idea",))


async def finish(ctx: Ctx, cmd: FinishExperiment) -> list[Reply]:
    found = await experiment_by_id(ctx.session, ctx.actor.workspace_id, cmd.experiment)
    # Someone who may not know of it hears what a number nobody uses gets.
    if found is None or not await may_know_of(
        ctx, found[1].team_id, [found[0].owner_id, found[1].owner_id]
    ):
        raise Refusal(
            say(f"There is no experiment #{cmd.experiment} here. ", Code("experiments"), ".")
        )
    row, kpi = found
    if row.owner_id != ctx.actor.member_id and not await may_act_for(ctx, kpi.owner_id):
        raise Refusal(
            say(f"Experiment #{row.id} is someone else's; its owner tells what happened.")
        )
    if row.result is not None:
        raise Refusal(say(f"Experiment #{row.id} is finished already: {row.result}"))
    if cmd.result is None:
        return [
            FormRequest(
                "result",
                {"experiment": str(row.id)},
                f"#{row.id} on {kpi.name}: {row.hypothesis}",
                required=("result",),
            )
        ]
    row.result = cmd.result
    row.finished_at = ctx.clock.now()
    await ctx.session.flush()
    return [
        say(
            f"Experiment #{row.id} finished. Trying was the win, whatever the number did: it "
            "opens your next one-on-one."
        )
    ]


def running_line(experiment: Experiment, kpi_name: str) -> Rich:
    """A running experiment in one line, as `experiments` and the dashboard both list it."""
    day = format_day(experiment.review_on, "en")
    return rich(f"#{experiment.id} {kpi_name}: {experiment.hypothesis} (look back {day})")


async def list_experiments(ctx: Ctx, cmd: ListExperiments) -> list[Reply]:
    rows = await experiments_of(ctx.session, ctx.actor.workspace_id, ctx.actor.member_id)
    if not rows:
        return [
            say(
                "No experiments yet. When a number falls, I ask what wild idea to test; or start "
                "one with ",
                Code("experiment <kpi> <idea>"),
                ".",
            )
        ]
    open_items = [running_line(e, name) for e, name in rows if e.result is None]
    done = [
        rich(f"#{e.id} {name}: {e.hypothesis} Result: {e.result}") for e, name in rows if e.result
    ]
    blocks: list[Block] = [Heading("Your experiments")]
    if open_items:
        blocks += [Paragraph(rich("Running:")), Bullets(tuple(open_items))]
    if done:
        blocks += [Paragraph(rich("Finished:")), Bullets(tuple(done[-10:]))]
    return [Message(tuple(blocks))]
