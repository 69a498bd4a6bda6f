"""The KPI registry's commands, how a KPI is found and described, and the lists people read.

The rules that keep it humane: no KPI without a growth link, few KPIs per person, outcome over
activity, and retirement with a reason instead of deletion. Proposing lives in `proposals`,
the way to active and retired in `lifecycle`, the team's vote in `votes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pydantic import Field

from rituals.core.amounts import amount
from rituals.core.command import Answer, Command, KpiRef, Name, PersonRef, Reason, ShortText
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Code,
    Fields,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.people import actor_member, resolve_person
from rituals.core.periods import PERIOD
from rituals.core.refusal import Refusal
from rituals.core.settings import KpiSettings
from rituals.kpis.catalogue import CATALOGUE, RoleFamily
from rituals.kpis.store import kpi_by_id, kpis_named, kpis_of
from rituals.kpis.terms import first_term, stems
from rituals.kpis.visibility import known_to, may_know_all_of
from storage.models import Cadence, Direction, Kpi, KpiStatus, Member

EXCITES_QUESTION = "How can we measure success in a way that excites you?"
GROWTH_QUESTION = "Which growth goal does this KPI feed? How does it fuel a career?"
EFFORT_CHALLENGE = "This measures effort, not impact. What outcome does it drive?"
NOT_AGREED = "Its owner has not agreed to it yet: targets are set with the owner, never for them."

# --- commands ---------------------------------------------------------------------------------


class ProposeKpi(Command):
    why: Answer | None = Field(None, title=EXCITES_QUESTION)
    name: Name = Field(
        title="KPI name", description='what you will measure, e.g. "Qualified leads"'
    )
    target: Decimal = Field(
        title="Target",
        description="the number to reach each period",
        max_digits=16,
        decimal_places=4,
        allow_inf_nan=False,
    )
    unit: ShortText = Field("", title="Unit", description='e.g. "leads", "%", "EUR"')
    cadence: Cadence = Field(title="Cadence", description="how often it is measured")
    owner: PersonRef | None = Field(None, title="Owner", description="who owns it; you if empty")
    growth: Answer | None = Field(None, title=GROWTH_QUESTION)


class ListKpis(Command):
    person: PersonRef | None = Field(None, title="Whose", description="you if empty")
    all: bool = Field(False, title="Include retired", description="also list retired KPIs")


class ActivateKpi(Command):
    kpi: KpiRef = Field(title="KPI")


class AcceptKpi(Command):
    kpi: KpiRef = Field(title="KPI")


class RetireKpi(Command):
    kpi: KpiRef = Field(title="KPI")
    # Optional so that who may retire it is checked before the form asks why.
    reason: Reason | None = Field(
        None, title="Why retire it?", description="kept with the KPI for good"
    )


class LinkGrowth(Command):
    kpi: KpiRef = Field(title="KPI")
    goal: Answer = Field(title=GROWTH_QUESTION, description="in the owner's or the lead's words")


class AnswerOutcome(Command):
    kpi: KpiRef = Field(title="KPI")
    outcome: Answer = Field(title="What outcome does it drive?")


class AnswerWhy(Command):
    kpi: KpiRef = Field(title="KPI")
    why: Answer = Field(title=EXCITES_QUESTION)


class ShowExamples(Command):
    role: RoleFamily | None = Field(None, title="Role")


# --- reading and describing -------------------------------------------------------------------


def describe_target(target: Decimal, unit: str, cadence: Cadence) -> str:
    """ "10 leads per week", "25% per month": how people say a target."""
    return f"{amount(target, unit)} per {PERIOD[cadence]}"


def better_words(direction: Direction) -> str:
    """ "lower is better": which way a KPI gets better, as the card and the catalogue say it."""
    return f"{direction.value} is better"


def one_line(kpi: Kpi) -> str:
    target = describe_target(kpi.target, kpi.unit, kpi.cadence)
    return f"#{kpi.id} {kpi.name}: {target} ({kpi.status.value})"


def find_effort_term(name: str, unit: str, settings: KpiSettings) -> str | None:
    """The effort phrase a KPI's name or unit contains, unless it also names an outcome.

    "Calls made" counts effort; "Sales call conversion" is an outcome of calls, and a share
    (a unit of %) is a rate, not a count of activity.
    """
    words = stems(f"{name} {unit}")
    if unit.strip() in {"%", "‰"} or first_term(words, settings.outcome_terms):
        return None
    return first_term(words, settings.effort_terms)


# "kpis lists yours.": what to type instead, after an answer that names no one's KPI.
YOURS = (Code("kpis"), " lists yours.")


def no_such_kpi(ref: KpiRef) -> Refusal:
    """The answer when no KPI matches, and to someone who may not know of the one that does:
    the two must read alike, or the refusal tells whose KPI it is."""
    if ref.id is not None:
        return Refusal(say(f"There is no KPI #{ref.id} here. ", *YOURS), field="kpi")
    return Refusal(
        say(f"No KPI is called {ref}. ", Code("kpis"), " lists yours with their numbers."),
        field="kpi",  # every command calls its KPI field so
    )


async def resolve_kpi(ctx: Ctx, ref: KpiRef, verb: str) -> Kpi:
    """The KPI a reference names in this workspace, among those the actor may know of;
    refused when none or several do. Every command that takes a KPI finds it here, so none
    can tell someone whose KPI a number is, or that it exists, when they may not know."""
    known = await known_to(ctx)
    if ref.id is not None:
        kpi = await kpi_by_id(ctx.session, ctx.actor.workspace_id, ref.id, known)
        if kpi is None:
            raise no_such_kpi(ref)
        return kpi
    assert ref.name is not None
    found = await kpis_named(ctx.session, ctx.actor.workspace_id, ref.name, known)
    live = [k for k in found if k.status is not KpiStatus.RETIRED] or list(found)
    if len(live) == 1:
        return live[0]
    if not live:
        raise no_such_kpi(ref)
    buttons = tuple(Button(f"#{k.id} {k.name} ({k.status.value})", f"{verb} {k.id}") for k in live)
    raise Refusal(
        Message((Actions(buttons[:10], prompt=f"Several KPIs are called {ref}. Which one?"),))
    )


async def owner_of(ctx: Ctx, kpi: Kpi) -> Member:
    owner = await ctx.session.get(Member, kpi.owner_id)
    assert owner is not None  # the foreign key guarantees it
    return owner


BACKING_RULE = (
    "Ready for the team's vote: a lead of the owner's team can activate it once more of the "
    "team back it than question it."
)


def next_steps(kpi: Kpi) -> list[Block]:
    """What still stands between a proposed KPI and activation, each with a button to do it."""
    blocks: list[Block] = []
    buttons: list[Button] = []
    if kpi.agreed_at is None:
        blocks.append(Paragraph(rich(NOT_AGREED)))
        buttons.append(Button("Accept (owner)", f"accept {kpi.id}", ButtonStyle.PRIMARY))
    if kpi.effort_term and not kpi.outcome:
        blocks.append(Paragraph(rich(f'"{kpi.effort_term}": ', EFFORT_CHALLENGE)))
        buttons.append(Button("Name the outcome", f"outcome {kpi.id}", ButtonStyle.PRIMARY))
    if not kpi.growth_goal:
        blocks.append(
            Paragraph(rich("No growth link, no KPI. ", GROWTH_QUESTION)),
        )
        buttons.append(Button("Link a growth goal", f"growth {kpi.id}", ButtonStyle.PRIMARY))
    if not kpi.excites:
        blocks.append(Paragraph(rich(EXCITES_QUESTION)))
        buttons.append(Button("Say what excites you", f"why {kpi.id}"))
    if buttons:
        blocks.append(Actions(tuple(buttons)))
    elif kpi.status is KpiStatus.PROPOSED and kpi.shared:
        # A team KPI waits for the team's vote (RITUALS: "a lead activates the ones the team
        # backs"), so promising "now" here would be refused by `activate`.
        blocks.append(Note(BACKING_RULE))
    elif kpi.status is KpiStatus.PROPOSED:
        blocks.append(Note("Ready: a lead of the owner's team can activate it now."))
        blocks.append(Actions((Button("Activate", f"activate {kpi.id}", ButtonStyle.PRIMARY),)))
    return blocks


def card(kpi: Kpi, owner: Member, title: str) -> list[Block]:
    fields = [
        ("Target", describe_target(kpi.target, kpi.unit, kpi.cadence)),
        ("Better", better_words(kpi.direction)),
        ("Owner", owner.display_name),
    ]
    fields.append(("Status", kpi.status.value))
    if kpi.growth_goal:
        fields.append(("Growth goal", kpi.growth_goal))
    if kpi.outcome:
        fields.append(("Outcome it drives", kpi.outcome))
    return [Heading(title), Fields(tuple(fields))]


# --- lists ------------------------------------------------------------------------------------


def agreed_kpis(kpis: Sequence[Kpi]) -> list[Kpi]:
    return [k for k in kpis if k.agreed_at is not None]


async def list_kpis(ctx: Ctx, cmd: ListKpis) -> list[Reply]:
    person = (
        await actor_member(ctx) if cmd.person is None else await resolve_person(ctx, cmd.person)
    )
    mine = person.id == ctx.actor.member_id
    # Someone on no team with the person sees only the KPIs of teams they are on, never that
    # the person has others, nor how many.
    beside = await may_know_all_of(ctx, person.id)
    known = None if beside else await known_to(ctx)
    kpis = await kpis_of(
        ctx.session, ctx.actor.workspace_id, person.id, include_retired=cmd.all, known=known
    )
    whose = "Your" if mine else f"{person.display_name}'s"
    if not kpis and not beside:
        return [say(f"{person.display_name} has no KPIs you may know of. ", *YOURS)]
    if not kpis:
        none = rich(f"{'You have' if mine else person.display_name + ' has'} no KPIs yet. ")
        return [say(*none, "Start from ", Code("examples"), " or ", Code("propose"), ".")]
    items = []
    for kpi in kpis:
        line = one_line(kpi)
        if kpi.status is KpiStatus.RETIRED:
            line += f", retired: {kpi.retired_reason}"
        elif kpi.agreed_at is None:
            line += ", waiting for the owner to accept"
        elif kpi.growth_goal:
            line += f", feeds: {kpi.growth_goal}"
        else:
            line += ", no growth link yet"
        items.append(rich(line))
    blocks: list[Block] = [Heading(f"{whose} KPIs"), Bullets(tuple(items))]
    if beside:
        limit = ctx.settings.kpis.max_per_member
        live = len(agreed_kpis([k for k in kpis if k.status is not KpiStatus.RETIRED]))
        blocks.append(Note(f"{live} of {limit} in use."))
    return [Message(tuple(blocks))]


async def examples(ctx: Ctx, cmd: ShowExamples) -> list[Reply]:
    if cmd.role is None:
        roles = tuple(Button(r.value.capitalize(), f"examples {r.value}") for r in RoleFamily)
        return [Message((Actions(roles, prompt="Examples for which role?"),))]
    blocks: list[Block] = [Heading(f"Example KPIs for {cmd.role.value}")]
    proposals: list[Button] = []
    for ex in CATALOGUE[cmd.role]:
        target = describe_target(ex.target, ex.unit, ex.cadence)
        better = f", {better_words(ex.direction)}" if ex.direction is Direction.LOWER else ""
        blocks.append(
            Paragraph(rich(f"{ex.kra}: {ex.name}, {target}{better}. Grows: {ex.growth}."))
        )
        command = f'propose "{ex.name}" target {target}'
        proposals.append(Button(f"Propose {ex.name}", command))
    blocks.append(Actions(tuple(proposals)))
    blocks.append(Note("A proposal is a start: tune the target with the owner, then link growth."))
    return [Message(tuple(blocks))]
