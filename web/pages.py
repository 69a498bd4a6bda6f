"""What each page shows, gathered as the session's person.

Whatever the chat already says (commitments, the one-on-one script, the schedule, the team's
purpose, pulse and Fail of the Month) is asked of the dispatcher with the same command a person
would type, so the page can show nothing the chat would refuse them. What the chat has no
command for (the KPI cards, the team's shared KPIs, kudos, a lead's reports) comes from
`web.store`, filtered by the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.dispatch import Identity
from rituals.budgets.home import HEADING as BUDGET
from rituals.core.command import mention_text
from rituals.core.messages import Block, Bullets, Form, Heading, Message, Outgoing
from rituals.core.settings import with_overrides
from rituals.core.spec import RitualName
from rituals.kpis.commands import better_words, describe_target
from rituals.kpis.store import kpis_of
from rituals.numbers.experiments import running_line
from rituals.numbers.store import experiments_of
from rituals.team.home import WAITING
from storage.models import Kpi, KpiStatus, Member, Role, Team, Workspace
from storage.sign_ins import member_of_session
from storage.teams import shares_team_as, teams_of
from web import store
from web.app import Dashboard


@dataclass(frozen=True)
class Viewer:
    """The signed-in person, as the dispatcher knows them, and their session's secret."""

    member: Member
    identity: Identity
    secret: str
    token: str


async def viewer_of(dashboard: Dashboard, secret: str) -> Viewer | None:
    async with dashboard.dispatcher.sessions() as session:
        member = await member_of_session(session, secret, dashboard.clock.now())
        if member is None:
            return None
        workspace = await session.get(Workspace, member.workspace_id)
    assert workspace is not None
    identity = Identity(
        platform=workspace.platform,
        workspace_external_id=workspace.external_id,
        workspace_name=workspace.name,
        user_id=member.platform_user_id,
        display_name=member.display_name,
        time_zone=member.time_zone,
        working_days=member.working_days,
    )
    return Viewer(member, identity, secret, dashboard.keys.form_token(secret))


@dataclass(frozen=True)
class Card:
    """One KPI as the page shows it, with the forms that act on it."""

    kpi: Kpi
    target: str
    direction: str
    charted: bool
    owner: str = ""
    forms: tuple[Form, ...] = field(default=())


@dataclass(frozen=True)
class Section:
    title: str
    answers: tuple[Outgoing, ...]


async def _asked(dashboard: Dashboard, viewer: Viewer, title: str, command: str) -> Section:
    return Section(title, tuple(await dashboard.dispatcher.handle_text(viewer.identity, command)))


async def _home(dashboard: Dashboard, viewer: Viewer, *headings: str) -> list[list[Message]]:
    """Parts of `home`, each the blocks under one of `headings`, with their buttons: what only
    this person can move forward (WAITING), what is left of their experiment budget (BUDGET).
    One `home` for all of them, so the page says what the chat says."""
    answers = await dashboard.dispatcher.handle_text(viewer.identity, "home")
    found = []
    for heading in headings:
        parts = [_under(a.blocks, heading) for a in answers if isinstance(a, Message)]
        found.append([Message(tuple(blocks)) for blocks in parts if blocks])
    return found


async def _experiments(
    dashboard: Dashboard, viewer: Viewer, budget: list[Message]
) -> list[Section]:
    """My open experiments, as `experiments` lists them running, and what is left of my
    experiment budget this quarter on each team running budgets (for a lead, with the requests
    waiting on them): `budget`, the part of `home` that says it."""
    ws, me = viewer.member.workspace_id, viewer.member.id
    async with dashboard.dispatcher.sessions() as session:
        rows = await experiments_of(session, ws, me)
    running = tuple(running_line(e, name) for e, name in rows if e.result is None)
    sections = []
    if running:
        sections.append(Section("Your open experiments", (Message((Bullets(running),)),)))
    if budget:
        sections.append(Section(BUDGET, tuple(budget)))
    return sections


async def _skills(dashboard: Dashboard, viewer: Viewer, teams: Sequence[Team]) -> list[Section]:
    """Each of my teams' skills heat-map where the team runs the skills ritual, exactly as
    `skills` shows it to me: who can teach, the rows people chose to show, my own ratings."""
    settings = dashboard.dispatcher.settings.rituals
    running = [
        t for t in teams if RitualName.SKILLS in with_overrides(settings, t.settings).enabled
    ]
    return [
        await _asked(dashboard, viewer, "Skills heat-map", f'skills in "{t.name}"') for t in running
    ]


def _under(blocks: Sequence[Block], heading: str) -> list[Block]:
    """The blocks under `heading`, up to the next heading."""
    found: list[Block] | None = None
    for block in blocks:
        if isinstance(block, Heading):
            if found is not None:
                break
            if block.text == heading:
                found = []
        elif found is not None:
            found.append(block)
    return found or []


def _form(dashboard: Dashboard, command: str, known: dict[str, str], intro: str = "") -> Form:
    grammar = dashboard.dispatcher.grammar
    syntax = grammar.find(command)
    if syntax is None:
        raise LookupError(f"the page offers a form for unknown {command!r}")
    return grammar.form_for(syntax, known, intro)


def _cards(dashboard: Dashboard, kpis: list[Kpi], charted: set[int], *, own: bool) -> list[Card]:
    cards = []
    for kpi in kpis:
        forms: list[Form] = []
        if own and not kpi.growth_goal:
            forms.append(
                _form(
                    dashboard,
                    "growth",
                    {"kpi": str(kpi.id)},
                    "Every KPI serves someone's growth: name the goal this one feeds.",
                )
            )
        if own and kpi.status is KpiStatus.ACTIVE:
            forms.append(_form(dashboard, "log", {"kpi": str(kpi.id)}))
        cards.append(
            Card(
                kpi,
                describe_target(kpi.target, kpi.unit, kpi.cadence),
                better_words(kpi.direction),
                kpi.id in charted,
                forms=tuple(forms),
            )
        )
    # A KPI that serves no growth goal yet comes first: that gap is the first thing to fix.
    return sorted(cards, key=lambda c: bool(c.kpi.growth_goal))


async def mine(dashboard: Dashboard, viewer: Viewer) -> dict[str, object]:
    """Mine, my team and (for a lead) my reports."""
    ws, me = viewer.member.workspace_id, viewer.member.id
    async with dashboard.dispatcher.sessions() as session:
        kpis = list(await kpis_of(session, ws, me, include_retired=False))
        on = await teams_of(session, ws, me)
        teams = [t.id for t in on]
        shared = await store.shared_team_kpis(session, ws, teams, me)
        charted = await store.with_values(
            session, ws, [k.id for k in kpis] + [k.id for k, _, _ in shared]
        )
        kudos = await store.recent_kudos(session, ws, teams)
        reports = await store.reports(session, ws, me)
    team_cards = [
        Card(
            kpi,
            describe_target(kpi.target, kpi.unit, kpi.cadence),
            better_words(kpi.direction),
            kpi.id in charted,
            owner=f"{owner.display_name}, {team.name}",
        )
        for kpi, owner, team in shared
    ]
    waiting, budget = await _home(dashboard, viewer, WAITING, BUDGET)
    return {
        "viewer": viewer,
        "waiting": waiting,
        "cards": _cards(dashboard, kpis, charted, own=True),
        "propose": _form(dashboard, "propose", {}),
        "mine": [
            await _asked(dashboard, viewer, "Commitments", "commitments"),
            *await _experiments(dashboard, viewer, budget),
            await _asked(dashboard, viewer, "Your next one-on-one", "script"),
            await _asked(dashboard, viewer, "Your next rituals", "schedule"),
        ],
        "on_a_team": bool(teams),
        "team_cards": team_cards,
        "team": [
            await _asked(dashboard, viewer, "Purpose", "purpose"),
            await _asked(dashboard, viewer, "Tension pulse", "pulse"),
            await _asked(dashboard, viewer, "Fail of the Month", "fails"),
            *await _skills(dashboard, viewer, on),
        ]
        if teams
        else [],
        "kudos": kudos,
        "reports": reports,
        # A lead's week: every obstacle, who is clear, what is overdue (the digest's words).
        "lead": [await _asked(dashboard, viewer, "This week's check-ins", "digest")]
        if reports
        else [],
    }


async def reports_of(dashboard: Dashboard, viewer: Viewer) -> list[Member]:
    async with dashboard.dispatcher.sessions() as session:
        return await store.reports(session, viewer.member.workspace_id, viewer.member.id)


async def report(dashboard: Dashboard, viewer: Viewer, member_id: int) -> dict[str, object] | None:
    """A report's page for their lead: what the chat shows the lead, never pulse answers or
    anonymous feedback (no command here reads them). None unless the viewer leads them."""
    ws = viewer.member.workspace_id
    async with dashboard.dispatcher.sessions() as session:
        person = await session.get(Member, member_id)
        if (
            person is None
            or person.workspace_id != ws
            or person.id == viewer.member.id
            or not person.is_active
            or not await shares_team_as(session, ws, viewer.member.id, person.id, Role.LEAD)
        ):
            return None
        kpis = list(await kpis_of(session, ws, person.id, include_retired=False))
        charted = await store.with_values(session, ws, [k.id for k in kpis])
    handle = mention_text(person.platform_user_id)
    return {
        "viewer": viewer,
        "person": person,
        "cards": _cards(dashboard, kpis, charted, own=False),
        "sections": [
            await _asked(dashboard, viewer, "Their one-on-one script", f"script {handle}"),
        ],
    }
