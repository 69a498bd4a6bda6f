"""Who the rotation would stretch next, and the quarter's stretches as the lead or the
person sees them. A suggestion is a turn in a rotation, never a ranking: the order is fewest
stretches this quarter, then longest since the last one."""

from __future__ import annotations

from datetime import date

from rituals.core.command import mention_text
from rituals.core.context import Ctx
from rituals.core.dates import format_day
from rituals.core.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    Rich,
    rich,
    say,
)
from rituals.core.people import local_today
from rituals.core.permissions import leads_team
from rituals.stretch.commands import ROTATION_RULE, ShowStretches, SuggestStretch, in_private
from rituals.stretch.lag import lag_words, rotation_of
from rituals.stretch.store import StretchRow, lapsed, next_in_turn, stretches_where
from rituals.team.gate import team_gate
from storage.models import Member, StretchState

STATES = {
    StretchState.ASKED: "asked, waiting for a yes",
    StretchState.ACCEPTED: "under way",
    StretchState.DECLINED: "not this time",
    StretchState.DONE: "done",
}


async def suggest(ctx: Ctx, cmd: SuggestStretch) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="ask who the rotation would stretch")
    if ctx.actor.channel_id is not None:
        raise in_private("Who to stretch")
    rotation = await rotation_of(ctx, team, await local_today(ctx))
    lagging = [m for m in rotation.eligible if rotation.lagging.get(m)]
    order = next_in_turn(rotation.turns, lagging)
    if not order:
        return [
            say(
                f"Nobody on {team.name} has a KPI that lags its target and a turn left this "
                "quarter: no stretch to suggest. Anyone can open one for themself."
            )
        ]
    person_id = order[0]
    person = await ctx.session.get(Member, person_id)
    assert person is not None
    lags = rotation.lagging[person_id]
    turns = rotation.turns.get(person_id)
    had = f"{turns.taken} this quarter" if turns and turns.taken else "no stretch this quarter yet"
    since = (
        f", last one taken on {format_day(turns.last.date(), 'en')}" if turns and turns.last else ""
    )
    who = f'{mention_text(person.platform_user_id)} {lags[0].kpi.id} in "{team.name}"'
    return [
        Message(
            (
                Heading(f"Next in {team.name}'s stretch rotation ({rotation.quarter})"),
                Paragraph(rich(f"{person.display_name}: {had}{since}.")),
                Bullets(
                    tuple(rich(f"#{lag.kpi.id} {lag.kpi.name}: {lag_words(lag)}") for lag in lags)
                ),
                Actions(
                    (
                        Button(
                            f"Open a stretch for {person.display_name}",
                            f"stretch {who}",
                            ButtonStyle.PRIMARY,
                        ),
                    )
                ),
                Note(f"They say yes or no in private. {ROTATION_RULE}"),
            )
        )
    ]


async def show(ctx: Ctx, cmd: ShowStretches) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="see its stretches")
    ws = ctx.actor.workspace_id
    today = await local_today(ctx)
    if not await leads_team(ctx, team):
        rows = await stretches_where(
            ctx.session, ws, team_id=team.id, member_id=ctx.actor.member_id
        )
        if not rows:
            return [
                say(
                    "No stretch assignments yet. Open one toward a KPI that lags: stretch me "
                    "<kpi> <what> by <day> support @teammate."
                )
            ]
        return [
            Message(
                (
                    Heading("Your stretch assignments"),
                    Bullets(tuple(_line(r, today) for r in rows)),
                )
            )
        ]
    if ctx.actor.channel_id is not None:
        raise in_private("The team's stretch rotation")
    rotation = await rotation_of(ctx, team, today)
    rows = [
        r
        for r in await stretches_where(ctx.session, ws, team_id=team.id, member_id=None)
        if r.stretch.quarter == rotation.quarter
    ]
    blocks: list[Block] = [Heading(f"{team.name}'s stretches, {rotation.quarter}")]
    blocks.append(
        Bullets(tuple(_line(r, today) for r in rows)) if rows else Paragraph(rich("None yet."))
    )
    turns = rotation.turns
    had = [m for m in rotation.eligible if m in turns and turns[m].firsts]
    passed = [m for m in rotation.eligible if m in turns and turns[m].declined]
    asked = [m for m in rotation.eligible if m in turns and turns[m].open and m not in had + passed]
    wait = [m for m in rotation.eligible if m not in had + passed + asked]
    for label, ids in (
        ("Had a first", had),
        ("Asked, waiting for a yes", asked),
        ("Still waiting for a first", wait),
        ("Said not this time", passed),
    ):
        if ids:
            names = ", ".join(rotation.people[m].display_name for m in ids)
            blocks.append(Paragraph(rich(f"{label}: {names}")))
    blocks.append(Note(f"Only you see this. {ROTATION_RULE}"))
    return [Message(tuple(blocks))]


def _line(row: StretchRow, today: date) -> Rich:
    s = row.stretch
    state = "lapsed, not answered by its day" if lapsed(s, today) else STATES[s.state]
    text = (
        f"#{s.id} {row.person.display_name}: {s.what} (toward {row.kpi}, by "
        f"{format_day(s.due_on, 'en')}; {state})"
    )
    if s.state is StretchState.DONE:
        text += f". Learned: {s.learned}"
    return rich(text)
