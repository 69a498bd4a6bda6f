"""A person's home: their KPIs beside the growth goals they serve, what waits, what comes next.

Slack shows it as the App Home tab; any platform can show it as a message (`home`). It is built
from the store every time, so it never shows a promise the data cannot keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rituals.budgets.home import budget_blocks
from rituals.checkins.store import obstacles_awaiting_commitment
from rituals.core.command import Command, mention_text
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Block,
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
)
from rituals.core.people import actor_member
from rituals.core.schedule import team_rules
from rituals.kpis.commands import describe_target
from rituals.kpis.store import kpis_of, open_votes, ready_to_activate
from rituals.reviews.prompt import review_open
from rituals.reviews.store import awaiting_review
from rituals.team.me import person_of
from rituals.team.schedule import label_of, next_sent, when_text
from rituals.team.teams import team_rituals
from storage.models import Kpi, KpiStatus, Member, Role, Team
from storage.teams import requests_to_join, seats_of

# The heading of what only this person can move forward; the dashboard shows that part first.
WAITING = "Waiting for you"


class ShowHome(Command):
    pass


async def show(ctx: Ctx, cmd: ShowHome) -> list[Reply]:
    return [await home(ctx)]


async def home(ctx: Ctx) -> Message:
    member = await actor_member(ctx)
    kpis = await kpis_of(ctx.session, ctx.actor.workspace_id, member.id, include_retired=False)
    seats = await seats_of(ctx.session, ctx.actor.workspace_id, member.id)
    teams = [team for team, _ in seats]
    led = [team for team, role in seats if role is Role.LEAD]
    blocks: list[Block] = [
        Heading(f"Hello {member.display_name}"),
        Actions((Button("Open your dashboard", "dashboard"),)),
        *_kpi_blocks(kpis),
        *await budget_blocks(ctx, teams, led),
        *await _waiting_blocks(ctx, member, kpis, teams, led),
        *_next_blocks(ctx, member, teams),
    ]
    return Message(tuple(blocks))


def _kpi_blocks(kpis: Sequence[Kpi]) -> list[Block]:
    if not kpis:
        return [
            Heading("Your KPIs"),
            Paragraph(
                rich(
                    "You have no KPIs yet. Good ones are co-created: propose one that excites "
                    "you, tied to how you want to grow."
                )
            ),
            Actions((Button("Propose a KPI", "propose", ButtonStyle.PRIMARY),)),
        ]
    blocks: list[Block] = [Heading("Your KPIs")]
    for kpi in kpis:
        target = describe_target(kpi.target, kpi.unit, kpi.cadence)
        goal = kpi.growth_goal or "not named yet"
        blocks.append(
            Fields(((f"#{kpi.id} {kpi.name}", f"{target} ({kpi.status.value})"), ("Serves", goal)))
        )
        if not kpi.growth_goal:
            blocks.append(Actions((Button("Link a growth goal", f"growth {kpi.id}"),)))
    return blocks


async def _waiting_blocks(
    ctx: Ctx, member: Member, kpis: Sequence[Kpi], teams: Sequence[Team], led: Sequence[Team]
) -> list[Block]:
    """What only this person can move forward: proposals for them, votes and reviews; for a
    lead, people asking to join, KPIs ready to activate and obstacles no commitment answers."""
    blocks: list[Block] = []
    for kpi in kpis:
        if kpi.status is KpiStatus.PROPOSED and kpi.agreed_at is None:
            blocks.append(Paragraph(rich(f"#{kpi.id} {kpi.name} was proposed for you.")))
            blocks.append(Actions((Button("Accept", f"accept {kpi.id}", ButtonStyle.PRIMARY),)))
    names = {team.id: team.name for team in led}
    asked = await requests_to_join(ctx.session, ctx.actor.workspace_id, list(names))
    for team_id, person in asked:
        who = f'{mention_text(person.platform_user_id)} in "{names[team_id]}"'
        blocks.append(Paragraph(rich(f"{person.display_name} asked to join {names[team_id]}.")))
        blocks.append(
            Actions(
                (
                    Button("Approve", f"team approve {who}", ButtonStyle.PRIMARY),
                    Button("Decline", f"team decline {who}"),
                )
            )
        )
    ready = (
        await ready_to_activate(ctx.session, ctx.actor.workspace_id, list(names)) if names else []
    )
    blocks += await _lead_blocks(ctx, names, ready)
    blocks += await _vote_blocks(ctx, member, teams, names, {kpi.id for kpi in ready})
    blocks += await _review_blocks(ctx, member, teams, names)
    return [Heading(WAITING), *blocks] if blocks else []


async def _lead_blocks(ctx: Ctx, names: dict[int, str], ready: Sequence[Kpi]) -> list[Block]:
    """A lead's to-do on the teams they lead: each item with the button that does it."""
    if not names:
        return []
    ws = ctx.actor.workspace_id
    blocks: list[Block] = []
    for kpi in ready:
        blocks.append(Paragraph(rich(f"#{kpi.id} {kpi.name} is ready to activate.")))
        blocks.append(Actions((Button("Activate", f"activate {kpi.id}", ButtonStyle.PRIMARY),)))
    for obstacle, raiser in await obstacles_awaiting_commitment(ctx.session, ws, list(names)):
        team = names[obstacle.team_id]
        blocks.append(
            Paragraph(rich(f"{raiser.display_name}'s obstacle on {team} waits for a commitment."))
        )
        blocks.append(Actions((Button("Commit to clearing it", f"commit {obstacle.id}"),)))
    return blocks


async def _vote_blocks(
    ctx: Ctx, member: Member, teams: Sequence[Team], led: dict[int, str], ready: set[int]
) -> list[Block]:
    """Proposals put to a team's vote: one without this person's say asks for it; for their
    lead, one the team has not yet backed says how it stands (the lead acts once it is)."""
    names = {team.id: team.name for team in teams}
    ws = ctx.actor.workspace_id
    blocks: list[Block] = []
    for vote in await open_votes(ctx.session, ws, list(names), member.id):
        kpi, team = vote.kpi, names[vote.kpi.team_id or 0]
        if kpi.id in ready:
            continue  # the team carried it: what is left is the lead's Activate, shown above
        if vote.mine is None and kpi.owner_id != member.id:
            blocks.append(Paragraph(rich(f"#{kpi.id} {kpi.name} is put to {team}'s vote.")))
            blocks.append(
                Actions(
                    (
                        Button("Back it", f"vote {kpi.id} back", ButtonStyle.PRIMARY),
                        Button("Question it", f"vote {kpi.id}"),
                    )
                )
            )
        elif kpi.team_id in led and vote.backs <= vote.questions:
            standing = f"{vote.backs} back it, {vote.questions} question it"
            blocks.append(
                Paragraph(rich(f"#{kpi.id} {kpi.name} waits on {team}'s vote ({standing})."))
            )
            if vote.mine is not None:
                blocks.append(Actions((Button("Change your vote", f"vote {kpi.id}"),)))
    return blocks


async def _review_blocks(
    ctx: Ctx, member: Member, teams: Sequence[Team], led: dict[int, str]
) -> list[Block]:
    """While a quarter's review gathers answers: each of this person's active KPIs, and for
    a lead their team's, that they have not reviewed yet, each with its `review` button."""
    now = ctx.clock.now()
    open_on = {t.id: q for t in teams if (q := review_open(team_rituals(ctx, t), t.time_zone, now))}
    if not open_on:
        return []
    quarter = max(open_on.values())
    led_open = [team_id for team_id in led if team_id in open_on]
    ws = ctx.actor.workspace_id
    blocks: list[Block] = []
    for kpi, owner in await awaiting_review(ctx.session, ws, member.id, led_open, quarter):
        if kpi.owner_id == member.id:
            said = f"Your #{kpi.id} {kpi.name} is due its quarterly review."
        else:
            said = f"{owner}'s #{kpi.id} {kpi.name} is due your quarterly review."
        blocks.append(Paragraph(rich(said)))
        blocks.append(Actions((Button("Review it", f"review {kpi.id}", ButtonStyle.PRIMARY),)))
    return blocks


def _next_blocks(ctx: Ctx, member: Member, teams: Sequence[Team]) -> list[Block]:
    """Each team's scheduled rituals, when they next reach this person, as the scheduler will."""
    if not teams:
        return [
            Heading("Next up"),
            Paragraph(
                rich("You are not on a team yet. Ask to join one with ", Code("team join"), ".")
            ),
        ]
    person = person_of(ctx, member)
    now = ctx.clock.now()
    timed: list[tuple[datetime | None, str, str]] = []
    for team in teams:
        for rule in team_rules(team_rituals(ctx, team), team.created_at.date()):
            at, reasons = next_sent(rule, person, now)
            when = when_text(at, reasons, member.date_language)
            timed.append((at, f"{team.name}: {label_of(rule.ritual)}", when))
    # Soonest first, as they will come; what is not coming for now goes last.
    timed.sort(key=lambda row: (row[0] is None, row[0] or now))
    rows = [(label, when) for _, label, when in timed]
    blocks: list[Block] = [Heading("Next up")]
    blocks.append(Fields(tuple(rows)) if rows else Paragraph(rich("No rituals are switched on.")))
    blocks.append(
        Note("Times are your own. `schedule` shows each cadence; `me set` changes your hours.")
    )
    return blocks
