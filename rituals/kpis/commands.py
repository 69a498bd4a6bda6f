"""The KPI registry: propose, link to growth, answer the effort challenge, activate, retire.

The rules that keep it humane live here: no KPI without a growth link, few KPIs per person,
outcome over activity, and retirement with a reason instead of deletion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from pydantic import Field

from rituals.core.command import Answer, Command, KpiRef, Name, PersonRef, Reason, ShortText
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Code,
    Fields,
    Heading,
    Mention,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.people import actor_member, resolve_person
from rituals.core.periods import PERIOD
from rituals.core.permissions import is_lead_of, may_act_for, may_propose_for, refuse
from rituals.core.refusal import Refusal
from rituals.core.settings import KpiSettings
from rituals.kpis.catalogue import CATALOGUE, RoleFamily
from storage.kpis import kpi_by_id, kpis_named, kpis_of, live_kpis_of
from storage.models import Cadence, Kpi, KpiStatus, Member, Team
from storage.people import team_ids_of
from storage.votes import Tally, tally

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
    reason: Reason = Field(title="Why retire it?", description="kept with the KPI for good")


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


def format_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def amount(value: Decimal, unit: str) -> str:
    """ "12 leads", "34%", "1200 EUR": a value as people say it."""
    number = format_number(value)
    return f"{number}{unit}" if unit in {"%", "‰"} else f"{number} {unit}".strip()


def describe_target(target: Decimal, unit: str, cadence: Cadence) -> str:
    """ "10 leads per week", "25% per month": how people say a target."""
    return f"{amount(target, unit)} per {PERIOD[cadence]}"


def one_line(kpi: Kpi) -> str:
    target = describe_target(kpi.target, kpi.unit, kpi.cadence)
    return f"#{kpi.id} {kpi.name}: {target} ({kpi.status.value})"


def _stems(text: str) -> list[str]:
    """Words without case, hyphens or a plural s: "Hours-worked" -> ["hour", "worked"]."""
    return [
        w[:-1] if len(w) > 3 and w.endswith("s") else w for w in re.findall(r"\w+", text.lower())
    ]


def _contains(words: list[str], term: str) -> bool:
    wanted = _stems(term)
    size = len(wanted)
    return any(words[i : i + size] == wanted for i in range(len(words) - size + 1))


def find_effort_term(name: str, unit: str, settings: KpiSettings) -> str | None:
    """The effort phrase a KPI's name or unit contains, unless it also names an outcome.

    "Calls made" counts effort; "Sales call conversion" is an outcome of calls, and a share
    (a unit of %) is a rate, not a count of activity.
    """
    words = _stems(f"{name} {unit}")
    if unit.strip() in {"%", "‰"} or any(_contains(words, t) for t in settings.outcome_terms):
        return None
    for term in sorted(settings.effort_terms, key=len, reverse=True):
        if _contains(words, term):
            return term
    return None


async def resolve_kpi(ctx: Ctx, ref: KpiRef, verb: str) -> Kpi:
    """The KPI a reference names in this workspace; refused when none or several do."""
    if ref.id is not None:
        kpi = await kpi_by_id(ctx.session, ctx.actor.workspace_id, ref.id)
        if kpi is None:
            raise Refusal(say(f"There is no KPI #{ref.id} here. ", Code("kpis"), " lists yours."))
        return kpi
    assert ref.name is not None
    found = await kpis_named(ctx.session, ctx.actor.workspace_id, ref.name)
    live = [k for k in found if k.status is not KpiStatus.RETIRED] or list(found)
    if len(live) == 1:
        return live[0]
    if not live:
        raise Refusal(
            say(f"No KPI is called {ref}. ", Code("kpis"), " lists yours with their numbers.")
        )
    buttons = tuple(Button(f"#{k.id} {k.name} ({k.status.value})", f"{verb} {k.id}") for k in live)
    raise Refusal(
        Message((Actions(buttons[:10], prompt=f"Several KPIs are called {ref}. Which one?"),))
    )


async def owner_of(ctx: Ctx, kpi: Kpi) -> Member:
    owner = await ctx.session.get(Member, kpi.owner_id)
    assert owner is not None  # the foreign key guarantees it
    return owner


def _next_steps(kpi: Kpi) -> list[Block]:
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
    elif kpi.status is KpiStatus.PROPOSED:
        blocks.append(Note("Ready: a lead of the owner's team can activate it now."))
        blocks.append(Actions((Button("Activate", f"activate {kpi.id}", ButtonStyle.PRIMARY),)))
    return blocks


def _card(kpi: Kpi, owner: Member, title: str) -> list[Block]:
    fields = [
        ("Target", describe_target(kpi.target, kpi.unit, kpi.cadence)),
        ("Owner", owner.display_name),
    ]
    fields.append(("Status", kpi.status.value))
    if kpi.growth_goal:
        fields.append(("Growth goal", kpi.growth_goal))
    if kpi.outcome:
        fields.append(("Outcome it drives", kpi.outcome))
    return [Heading(title), Fields(tuple(fields))]


# --- handlers ---------------------------------------------------------------------------------


async def propose(ctx: Ctx, cmd: ProposeKpi) -> list[Reply]:
    owner = await actor_member(ctx) if cmd.owner is None else await resolve_person(ctx, cmd.owner)
    if not isinstance(owner, Member):
        return [owner]
    mine = owner.id == ctx.actor.member_id
    if not await may_propose_for(ctx, owner.id):
        return [
            say(
                "You can propose KPIs for people on your teams; "
                f"{owner.display_name} is not on one with you."
            )
        ]
    live = await live_kpis_of(ctx.session, ctx.actor.workspace_id, owner.id)
    same = [k for k in live if k.name.lower() == cmd.name.lower()]
    if same:
        return [say(f"{owner.display_name} already has {one_line(same[0])}. Pick another name.")]
    # Only what the owner agreed to counts toward their cap; a proposal for them waits.
    if mine and len(agreed := _agreed(live)) >= ctx.settings.kpis.max_per_member:
        return [_cap_refusal(ctx, owner, agreed)]
    team_ids = await team_ids_of(ctx.session, ctx.actor.workspace_id, owner.id)
    now = ctx.clock.now()
    kpi = Kpi(
        workspace_id=ctx.actor.workspace_id,
        team_id=team_ids[0] if len(team_ids) == 1 else None,
        owner_id=owner.id,
        proposed_by_id=ctx.actor.member_id,
        name=cmd.name,
        unit=cmd.unit,
        target=cmd.target,
        cadence=cmd.cadence,
        status=KpiStatus.PROPOSED,
        excites=cmd.why,
        growth_goal=cmd.growth,
        effort_term=find_effort_term(cmd.name, cmd.unit, ctx.settings.kpis),
        created_at=now,
        agreed_at=now if mine else None,
    )
    ctx.session.add(kpi)
    await ctx.session.flush()
    replies: list[Reply] = [
        Message((*_card(kpi, owner, f"Proposed #{kpi.id}: {kpi.name}"), *_next_steps(kpi)))
    ]
    if not mine:
        replies.append(_ask_owner(ctx, kpi, owner))
    return replies + await put_to_vote(ctx, kpi, owner)


async def put_to_vote(ctx: Ctx, kpi: Kpi, owner: Member) -> list[Reply]:
    """Post the proposal to its team's channel for the team to back or question, once the
    proposer has said what excites them about it. From then on it is the team's KPI: they
    see its numbers."""
    if kpi.shared or not kpi.excites or kpi.team_id is None or kpi.status is not KpiStatus.PROPOSED:
        return []
    team = await ctx.session.get(Team, kpi.team_id)
    if team is None or not team.channel_id:
        return []
    kpi.shared = True
    await ctx.session.flush()
    proposer = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
    post = (
        Heading(f"Proposed KPI #{kpi.id}: {kpi.name}"),
        Fields(
            (
                ("Target", describe_target(kpi.target, kpi.unit, kpi.cadence)),
                ("Owner", owner.display_name),
            )
        ),
        Paragraph(rich(proposer, f' answered "{EXCITES_QUESTION}"')),
        Paragraph(rich(kpi.excites)),
        Actions(
            (
                Button("Back it", f"vote {kpi.id} back", ButtonStyle.PRIMARY),
                Button("Question it", f"vote {kpi.id}"),  # the form, for the question
            ),
            prompt="Does this measure success in a way that excites us?",
        ),
        Note(
            "A lead activates the KPIs the team backs, with the owner's agreement. The team "
            "co-creates it, so the team sees its numbers."
        ),
    )
    return [Message(post, audience=Audience.CHANNEL, channel_id=team.channel_id)]


def _ask_owner(ctx: Ctx, kpi: Kpi, owner: Member) -> Message:
    """The owner hears of a KPI proposed for them, and decides."""
    return Message(
        (
            Paragraph(
                rich(
                    Mention(ctx.actor.platform_user_id, ctx.actor.display_name),
                    f" proposed a KPI for you: {kpi.name}, "
                    f"{describe_target(kpi.target, kpi.unit, kpi.cadence)}.",
                )
            ),
            Actions(
                (
                    Button("Accept", f"accept {kpi.id}", ButtonStyle.PRIMARY),
                    Button("Not for me", f"retire {kpi.id}"),
                ),
                prompt="Targets are set with you, never for you. Is this one yours?",
            ),
        ),
        audience=Audience.DM,
        to=Mention(owner.platform_user_id, owner.display_name),
    )


def _agreed(kpis: Sequence[Kpi]) -> list[Kpi]:
    return [k for k in kpis if k.agreed_at is not None]


async def accept(ctx: Ctx, cmd: AcceptKpi) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "accept")
    if not isinstance(kpi, Kpi):
        return [kpi]
    owner = await owner_of(ctx, kpi)
    if owner.id != ctx.actor.member_id:
        return [say(f"Only {owner.display_name} can accept their own KPI.")]
    if kpi.status is KpiStatus.RETIRED:
        return [say(f"#{kpi.id} {kpi.name} was retired ({kpi.retired_reason}).")]
    if kpi.agreed_at is not None:
        return [say(f"You already agreed to #{kpi.id} {kpi.name}.")]
    live = await live_kpis_of(ctx.session, ctx.actor.workspace_id, owner.id)
    if len(agreed := _agreed(live)) >= ctx.settings.kpis.max_per_member:
        return [_cap_refusal(ctx, owner, agreed)]
    kpi.agreed_at = ctx.clock.now()
    await ctx.session.flush()
    return [Message((*_card(kpi, owner, f"Accepted #{kpi.id}: {kpi.name}"), *_next_steps(kpi)))]


def _cap_refusal(ctx: Ctx, owner: Member, live: Sequence[Kpi]) -> Message:
    cap = ctx.settings.kpis.max_per_member
    whose = "You have" if owner.id == ctx.actor.member_id else f"{owner.display_name} has"
    return Message(
        (
            Paragraph(rich(f"{whose} {len(live)} KPIs already; the cap is {cap}. Few KPIs, kept.")),
            Bullets(tuple(rich(one_line(k)) for k in live)),
            Actions(
                tuple(Button(f"Retire #{k.id} {k.name}", f"retire {k.id}") for k in live),
                prompt="Which one will you retire to make room?",
            ),
        )
    )


async def list_kpis(ctx: Ctx, cmd: ListKpis) -> list[Reply]:
    person = (
        await actor_member(ctx) if cmd.person is None else await resolve_person(ctx, cmd.person)
    )
    if not isinstance(person, Member):
        return [person]
    kpis = await kpis_of(ctx.session, ctx.actor.workspace_id, person.id, include_retired=cmd.all)
    mine = person.id == ctx.actor.member_id
    whose = "Your" if mine else f"{person.display_name}'s"
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
    limit = ctx.settings.kpis.max_per_member
    live = len(_agreed([k for k in kpis if k.status is not KpiStatus.RETIRED]))
    return [
        Message(
            (Heading(f"{whose} KPIs"), Bullets(tuple(items)), Note(f"{live} of {limit} in use."))
        )
    ]


async def activate(ctx: Ctx, cmd: ActivateKpi) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "activate")
    if not isinstance(kpi, Kpi):
        return [kpi]
    if kpi.status is KpiStatus.ACTIVE:
        return [say(f"#{kpi.id} {kpi.name} is already active.")]
    if kpi.status is KpiStatus.RETIRED:
        return [say(f"#{kpi.id} {kpi.name} was retired ({kpi.retired_reason}); propose it anew.")]
    owner = await owner_of(ctx, kpi)
    if not await is_lead_of(ctx, owner.id):
        return [await refuse(ctx, f"activate {owner.display_name}'s KPI", owner, owner_may=False)]
    missing = _next_steps(kpi)
    unanswered = kpi.effort_term and not kpi.outcome
    if kpi.agreed_at is None or kpi.growth_goal is None or unanswered:
        return [Message((Paragraph(rich(f"#{kpi.id} {kpi.name} is not ready yet.")), *missing))]
    if kpi.shared:
        said = await tally(ctx.session, kpi.id)
        if said.backs <= said.questions:
            return [_not_backed(kpi, said)]
    kpi.status = KpiStatus.ACTIVE
    kpi.activated_at = ctx.clock.now()
    await ctx.session.flush()
    return [Message(tuple(_card(kpi, owner, f"Active: #{kpi.id} {kpi.name}")))]


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
    if not isinstance(kpi, Kpi):
        return [kpi]
    if kpi.status is KpiStatus.RETIRED:
        return [say(f"#{kpi.id} {kpi.name} is already retired ({kpi.retired_reason}).")]
    owner = await owner_of(ctx, kpi)
    if not await may_act_for(ctx, owner.id):
        return [await refuse(ctx, f"retire {owner.display_name}'s KPI", owner, owner_may=True)]
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
    if not isinstance(kpi, Kpi):
        return [kpi]
    if kpi.status is KpiStatus.RETIRED:
        return [say(f"#{kpi.id} {kpi.name} is retired ({kpi.retired_reason}).")]
    owner = await owner_of(ctx, kpi)
    if not await may_act_for(ctx, owner.id):
        doing = "link a growth goal to" if column == "growth_goal" else "answer for"
        return [await refuse(ctx, f"{doing} {owner.display_name}'s KPI", owner, owner_may=True)]
    setattr(kpi, column, answer)
    await ctx.session.flush()
    card = Message((*_card(kpi, owner, f"{saved}: #{kpi.id}"), *_next_steps(kpi)))
    return [card, *await put_to_vote(ctx, kpi, owner)]


async def examples(ctx: Ctx, cmd: ShowExamples) -> list[Reply]:
    if cmd.role is None:
        roles = tuple(Button(r.value.capitalize(), f"examples {r.value}") for r in RoleFamily)
        return [Message((Actions(roles, prompt="Examples for which role?"),))]
    blocks: list[Block] = [Heading(f"Example KPIs for {cmd.role.value}")]
    proposals: list[Button] = []
    for ex in CATALOGUE[cmd.role]:
        target = describe_target(ex.target, ex.unit, ex.cadence)
        blocks.append(Paragraph(rich(f"{ex.kra}: {ex.name}, {target}. Grows: {ex.growth}.")))
        command = f'propose "{ex.name}" target {target}'
        proposals.append(Button(f"Propose {ex.name}", command))
    blocks.append(Actions(tuple(proposals)))
    blocks.append(Note("A proposal is a start: tune the target with the owner, then link growth."))
    return [Message(tuple(blocks))]
