"""What `fails` shows: this month's stories and how the vote stands, or a year's trophies.

Only the team's own people see its stories; a story still waiting for its nominee's say is
shown to its nominator alone.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rituals.core.context import Ctx
from rituals.core.messages import (
    Block,
    Bullets,
    Code,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    Rich,
    Strong,
    rich,
)
from rituals.core.people import actor_member
from rituals.fails.commands import (
    OPPORTUNITY,
    TROPHY,
    ShowFails,
    ballot_blocks,
    current_vote,
    month_words,
)
from rituals.fails.nominations import TAKE_PART
from rituals.fails.store import (
    asking_about,
    closed_months,
    nominations_by,
    stories,
    voters,
    winners_of_year,
)
from rituals.team.gate import team_gate
from rituals.team.me import person_of
from rituals.team.teams import mention, team_rituals
from storage.models import Consent, Team


async def show(ctx: Ctx, cmd: ShowFails) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only=TAKE_PART)
    now = ctx.clock.now()
    rituals = team_rituals(ctx, team)
    if cmd.year is not None:
        return [await _archive(ctx, team, cmd.year)]
    viewer = await actor_member(ctx)
    ballot = current_vote(now, rituals, team.time_zone).for_person(person_of(ctx, viewer).reach)
    found = await stories(ctx.session, [(team.id, ballot.month)])
    blocks: list[Block] = [Heading(f"Fail of the Month: {team.name}, {ballot.name}")]
    private = ctx.actor.channel_id is None
    blocks += ballot_blocks(found, ballot, ctx.actor.member_id, now, private=private)
    if ballot.opens <= now < ballot.closes and found:
        count = await voters(ctx.session, team.id, ballot.month)
        blocks.append(Note(f"{count} voted so far. Nobody sees who voted for whom."))
    mine = [
        (n, m)
        for n, m in await nominations_by(ctx.session, team.id, ballot.month, ctx.actor.member_id)
        if n.consent is not Consent.GIVEN
    ]
    if mine:
        waiting = tuple(rich(f"#{n.id} about {m.display_name}") for n, m in mine)
        blocks += [Paragraph(rich("Waiting for their say, seen only by you:")), Bullets(waiting)]
    asked = await asking_about(ctx.session, team.id, ballot.month, ctx.actor.member_id)
    if asked:
        blocks += [
            Paragraph(rich("Waiting for your say, seen only by you and who told it:")),
            Bullets(
                tuple(
                    rich(
                        f"#{n.id} from {m.display_name}: ",
                        Code(f"fail consent {n.id} yes"),
                        " or ",
                        Code("no"),
                    )
                    for n, m in asked
                )
            ),
        ]
    year = now.astimezone(ZoneInfo(team.time_zone)).year
    past = await _year_lines(ctx, team, year)
    if past:
        blocks += [Paragraph(rich(Strong(f"Trophies in {year}"))), Bullets(past)]
    blocks.append(Note("fail nominate @name (or yourself) adds a story; fails 2025 shows a year."))
    return [Message(tuple(blocks))]


async def _year_lines(ctx: Ctx, team: Team, year: int) -> tuple[Rich, ...]:
    won = await winners_of_year(ctx.session, team.id, year)
    return tuple(
        rich(
            f"{month_words(s.nomination.month)}: ",
            mention(s.nominee),
            f", who learned: {s.nomination.learned}",
        )
        for s in won
    )


async def _archive(ctx: Ctx, team: Team, year: int) -> Message:
    lines = await _year_lines(ctx, team, year)
    closed = await closed_months(ctx.session, team.id, year)
    won = {s.nomination.month for s in await winners_of_year(ctx.session, team.id, year)}
    quiet = [m for m in closed if m not in won]
    blocks: list[Block] = [Heading(f"{TROPHY} Fail of the Month: {team.name}, {year}")]
    if lines:
        blocks.append(Bullets(lines))
    else:
        blocks.append(Paragraph(rich(f"No trophies in {year}.")))
    if quiet:
        names = ", ".join(month_words(m) for m in quiet)
        blocks.append(Note(f"No stories in {names}."))
    blocks.append(Note(OPPORTUNITY))
    return Message(tuple(blocks))
