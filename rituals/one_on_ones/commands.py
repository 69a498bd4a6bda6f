"""Wins-first one-on-ones: the script, talking points before, notes and next steps after, and
the "Why did this dip?" ladder.

A script is private to its pair: a member sees only their own (with their lead), a lead only
their reports'. Admins are no exception; they lead the teams they lead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from rituals.core.command import CLEAN, Command, KpiRef, Name, PersonRef, mention_text
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Button,
    FormRequest,
    Mention,
    Message,
    Reply,
    dm,
    say,
)
from rituals.core.people import actor_member, resolve_person
from rituals.core.permissions import may_act_for
from rituals.core.refusal import Refusal
from rituals.core.settings import with_overrides
from rituals.kpis.commands import resolve_kpi
from rituals.one_on_ones.named import person_first
from rituals.one_on_ones.scripts import DIP_QUESTION, WHY_AGAIN, build, change_text
from rituals.one_on_ones.store import PairRow, cover_points, kpi_change, load_scripts, pairs_of
from rituals.team.gate import ritual_on, switched_on, team_gate
from rituals.team.teams import mention
from storage.models import DipLadder, OneOnOne, TalkingPoint, Team

PointText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500), CLEAN
]
NoteText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=3000), CLEAN
]
WhyText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500), CLEAN
]
WITH = Field(None, title="With", description="the other person; your lead if empty")
TEAM = Field(None, title="Team", description="only when you share several teams")
PRIVATE = (
    "Scripts are private to the pair: you see yours with your lead and, if you lead a team, "
    "each of your reports'."
)


class ShowScript(Command):
    person: PersonRef | None = WITH
    team: Name | None = TEAM


class AddPoint(Command):
    # Optional to the grammar, so that `point with @ana "..."` may name the person first;
    # without it, the form asks for it.
    text: PointText | None = Field(
        None, title="Talking point", description="what you want to raise"
    )
    person: PersonRef | None = WITH
    team: Name | None = TEAM

    @model_validator(mode="before")
    @classmethod
    def _person_first(cls, values: Any) -> Any:
        return person_first(values, "text")


class WriteNotes(Command):
    notes: NoteText | None = Field(None, title="Notes", description="what you talked about")
    next_steps: NoteText | None = Field(
        None, title="Next steps", description="one per line; the next script asks what came of each"
    )
    person: PersonRef | None = WITH
    team: Name | None = TEAM

    @model_validator(mode="before")
    @classmethod
    def _person_first(cls, values: Any) -> Any:
        return person_first(values, "notes")


class AnswerDip(Command):
    kpi: KpiRef = Field(title="KPI")
    why1: WhyText | None = Field(None, title=DIP_QUESTION)
    why2: WhyText | None = Field(None, title=f"{WHY_AGAIN} (2)")
    why3: WhyText | None = Field(None, title=f"{WHY_AGAIN} (3)")
    why4: WhyText | None = Field(None, title=f"{WHY_AGAIN} (4)")
    why5: WhyText | None = Field(None, title=f"{WHY_AGAIN} (5)")


# --- finding the pair -------------------------------------------------------------------------


async def find_pair(ctx: Ctx, person: PersonRef | None, team: str | None) -> PairRow:
    """The one pair the actor means: with the named person (or their lead), on the named team
    (or the only one they share that runs one-on-ones); several fit, ask which, each button
    the command as given (notes and all) with the pair added."""
    pairs = await pairs_of(ctx.session, ctx.actor.workspace_id, ctx.actor.member_id)
    if team is not None:
        named = await team_gate(ctx, team)
        pairs = [p for p in pairs if p.pair.team_id == named.id]
    pairs = await _running(ctx, pairs)
    if person is not None:
        other = await resolve_person(ctx, person)
        pairs = [p for p in pairs if other.id in (p.lead.id, p.member.id)]
    if not pairs:
        raise Refusal(say(PRIVATE))
    if len(pairs) == 1:
        return pairs[0]
    buttons = []
    for p in pairs[:20]:
        other = p.member if p.lead.id == ctx.actor.member_id else p.lead
        label = f"{other.display_name} ({p.team})"
        command = ctx.command_text
        if person is None:
            command += f" with {mention_text(other.platform_user_id)}"
        if team is None:
            command += f' in "{p.team}"'
        buttons.append(Button(label[:75], command))
    raise Refusal(Message((Actions(tuple(buttons), prompt="Which one-on-one?"),)))


async def _running(ctx: Ctx, pairs: list[PairRow]) -> list[PairRow]:
    """The actor's pairs on teams that run one-on-ones; refused, naming who can switch them on,
    when every team they have a pair on switched them off."""
    teams = {p.pair.team_id: await ctx.session.get(Team, p.pair.team_id) for p in pairs}
    running = [p for p in pairs if ritual_on(ctx, _known(teams[p.pair.team_id]))]
    if pairs and not running:
        await switched_on(ctx, _known(teams[pairs[0].pair.team_id]))
    return running


def _known(team: Team | None) -> Team:
    assert team is not None  # a pair's team: the foreign key guarantees it
    return team


def _default_since(pair: PairRow, ctx: Ctx, now: datetime) -> datetime:
    rituals = with_overrides(ctx.settings.rituals, pair.team_settings)
    return now - timedelta(weeks=rituals.one_on_one_weeks)


# --- handlers ---------------------------------------------------------------------------------


async def script(ctx: Ctx, cmd: ShowScript) -> list[Reply]:
    pair = await find_pair(ctx, cmd.person, cmd.team)
    now = ctx.clock.now()
    data = (await load_scripts(ctx.session, {pair.pair: _default_since(pair, ctx, now)}, now))[
        pair.pair
    ]
    viewer = await actor_member(ctx)
    blocks = build(
        data,
        mention(pair.lead),
        mention(pair.member),
        pair.team,
        viewer_is_lead=pair.lead.id == viewer.id,
        language=viewer.date_language,
    )
    return [Message(tuple(blocks))]


async def add_point(ctx: Ctx, cmd: AddPoint) -> list[Reply]:
    pair = await find_pair(ctx, cmd.person, cmd.team)
    other = pair.member if pair.lead.id == ctx.actor.member_id else pair.lead
    if cmd.text is None:
        values = {"person": mention_text(other.platform_user_id), "team": pair.team}
        return [
            FormRequest(
                "point",
                values,
                intro=f"For your next one-on-one with {other.display_name}.",
                required=("text",),
            )
        ]
    ctx.session.add(
        TalkingPoint(
            workspace_id=ctx.actor.workspace_id,
            team_id=pair.pair.team_id,
            lead_id=pair.lead.id,
            member_id=pair.member.id,
            author_id=ctx.actor.member_id,
            text=cmd.text,
            created_at=ctx.clock.now(),
        )
    )
    await ctx.session.flush()
    return [
        say(
            "Added to your next one-on-one with ",
            mention(other),
            ". It stays on the script until notes are written after the meeting.",
        )
    ]


async def write_notes(ctx: Ctx, cmd: WriteNotes) -> list[Reply]:
    pair = await find_pair(ctx, cmd.person, cmd.team)
    other = pair.member if pair.lead.id == ctx.actor.member_id else pair.lead
    if cmd.notes is None or cmd.next_steps is None:
        values = {"person": mention_text(other.platform_user_id), "team": pair.team}
        values.update(
            {k: v for k, v in (("notes", cmd.notes), ("next_steps", cmd.next_steps)) if v}
        )
        return [
            FormRequest(
                "notes",
                values,
                intro=f"After your one-on-one with {other.display_name}: the next script opens "
                "with these.",
                required=("notes", "next_steps"),
            )
        ]
    row = OneOnOne(
        workspace_id=ctx.actor.workspace_id,
        team_id=pair.pair.team_id,
        lead_id=pair.lead.id,
        member_id=pair.member.id,
        notes=cmd.notes,
        next_steps=cmd.next_steps,
        written_by_id=ctx.actor.member_id,
        held_at=ctx.clock.now(),
    )
    ctx.session.add(row)
    await ctx.session.flush()
    await cover_points(ctx.session, row)
    steps = [s.strip() for s in cmd.next_steps.splitlines() if s.strip()]
    author = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
    return [
        say(
            f"Saved your one-on-one notes and {len(steps)} next step"
            f"{'' if len(steps) == 1 else 's'}. The next script opens with them."
        ),
        dm(
            mention(other),
            author,
            f" wrote up your one-on-one. Next steps: {'; '.join(steps)}",
        ),
    ]


async def answer_dip(ctx: Ctx, cmd: AnswerDip) -> list[Reply]:
    kpi = await resolve_kpi(ctx, cmd.kpi, "dip")
    if kpi.team_id is not None:
        team = await ctx.session.get(Team, kpi.team_id)
        await switched_on(ctx, _known(team))
    if not await may_act_for(ctx, kpi.owner_id):
        raise Refusal(say(f"Only the owner of {kpi.name} and their lead answer why it dipped."))
    change = await kpi_change(ctx.session, kpi)
    if change is None:
        return [say(f"{kpi.name} has fewer than two values logged, so nothing to compare yet.")]
    if change.value == change.previous or change.gained:
        return [say(f"{change_text(change)}: no dip to ask about. Celebrate it instead.")]
    whys = _whys(cmd)
    if not whys:
        return [
            FormRequest(
                "dip",
                {"kpi": str(kpi.id)},
                intro=f"{change_text(change)}. Ask why, then why again, up to five "
                "times, to reach the real barrier: often fear, or an unclear process.",
                required=("why1",),
            )
        ]
    ctx.session.add(
        DipLadder(
            workspace_id=ctx.actor.workspace_id,
            kpi_id=kpi.id,
            period=change.period,
            member_id=ctx.actor.member_id,
            whys=whys,
            created_at=ctx.clock.now(),
        )
    )
    await ctx.session.flush()
    return [
        say(
            f"Saved {len(whys)} why{'s' if len(whys) != 1 else ''} for {kpi.name} "
            f"({change.period}). The root, as you found it: {whys[-1]}"
        )
    ]


def _whys(cmd: AnswerDip) -> list[str]:
    given = [cmd.why1, cmd.why2, cmd.why3, cmd.why4, cmd.why5]
    return [w for w in given if w]
