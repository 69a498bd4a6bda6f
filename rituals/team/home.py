"""A person's home: their KPIs beside the growth goals they serve, what waits, what comes next.

Slack shows it as the App Home tab; any platform can show it as a message (`home`). It is built
from the store every time, so it never shows a promise the data cannot keep.
"""

from __future__ import annotations

from collections.abc import Sequence

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
from rituals.kpis.store import kpis_of, ready_to_activate
from rituals.team.me import person_of
from rituals.team.schedule import label_of, next_sent, when_text
from rituals.team.teams import team_rituals
from storage.models import Kpi, KpiStatus, Member, Role, Team
from storage.people import requests_to_join, seats_of

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
        *await _waiting_blocks(ctx, kpis, led),
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


async def _waiting_blocks(ctx: Ctx, kpis: Sequence[Kpi], led: Sequence[Team]) -> list[Block]:
    """What only this person can move forward: proposals for them; for a lead, people asking
    to join, KPIs ready to activate and obstacles no commitment answers yet."""
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
    blocks += await _lead_blocks(ctx, names)
    return [Heading(WAITING), *blocks] if blocks else []


async def _lead_blocks(ctx: Ctx, names: dict[int, str]) -> list[Block]:
    """A lead's to-do on the teams they lead: each item with the button that does it."""
    if not names:
        return []
    ws = ctx.actor.workspace_id
    blocks: list[Block] = []
    for kpi in await ready_to_activate(ctx.session, ws, list(names)):
        blocks.append(Paragraph(rich(f"#{kpi.id} {kpi.name} is ready to activate.")))
        blocks.append(Actions((Button("Activate", f"activate {kpi.id}", ButtonStyle.PRIMARY),)))
    for obstacle, raiser in await obstacles_awaiting_commitment(ctx.session, ws, list(names)):
        team = names[obstacle.team_id]
        blocks.append(
            Paragraph(rich(f"{raiser.display_name}'s obstacle on {team} waits for a commitment."))
        )
        blocks.append(Actions((Button("Commit to clearing it", f"commit {obstacle.id}"),)))
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
    rows: list[tuple[str, str]] = []
    for team in teams:
        for rule in team_rules(team_rituals(ctx, team), team.created_at.date()):
            at, reasons = next_sent(rule, person, now)
            when = when_text(at, reasons, member.date_language)
            rows.append((f"{team.name}: {label_of(rule.ritual)}", when))
    blocks: list[Block] = [Heading("Next up")]
    blocks.append(Fields(tuple(rows)) if rows else Paragraph(rich("No rituals are switched on.")))
    blocks.append(
        Note("Times are your own. `schedule` shows each cadence; `me set` changes your hours.")
    )
    return blocks
