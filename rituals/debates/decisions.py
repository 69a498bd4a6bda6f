"""After the meeting: the team's decision (keep, adjust or kill), posted with both lines, and
kept for the quarter's review of the KPI; and the tick's word to the two who argued and the
lead once the meeting is over."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.command import Command, Reason, row_number
from rituals.core.context import Ctx
from rituals.core.dates import team_moment
from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Bullets,
    Button,
    Code,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.periods import period_of
from rituals.core.refusal import Refusal
from rituals.core.settings import TeamRituals
from rituals.core.spec import PromptKind, ReminderSpec
from rituals.core.tick import Reminder, seat_mention
from rituals.debates.seats import found_debate
from rituals.debates.store import held_between, seats_of
from rituals.debates.words import SIDES, TITLE
from rituals.reviews.commands import REVIEW_DAYS
from rituals.reviews.prompt import opening, review_rule
from rituals.team.gate import admit
from rituals.team.teams import team_rituals
from storage.models import Cadence, Debate, DebateDecision, SeatAnswer, Side


class Decide(Command):
    debate: int = row_number("Debate")
    decision: DebateDecision | None = Field(
        None, title="The team's decision", description="keep, adjust or kill"
    )
    why: Reason | None = Field(
        None, title="Why", description="needed to adjust (what changes) or kill"
    )


async def decide(ctx: Ctx, cmd: Decide) -> list[Reply]:
    debate, kpi, team = await found_debate(ctx, cmd.debate)
    await admit(ctx, team, lead_only="record its debate's decision")
    now = ctx.clock.now()
    if debate.slot_at is None or debate.slot_at > now:
        when = team_moment(debate.slot_at, team.time_zone) if debate.slot_at else "not set yet"
        raise Refusal(say(f"Debate #{debate.id} has not been held ({when}); decide after it."))
    if debate.decision is not None:
        raise Refusal(say(f"Debate #{debate.id} was decided already: {debate.decision.value}."))
    example = Code(f'debate decide {debate.id} adjust "count calls that reached a decision maker"')
    if cmd.decision is None:
        raise Refusal(say("Say what the team decided: keep, adjust or kill, like ", example, "."))
    if cmd.decision is not DebateDecision.KEEP and cmd.why is None:
        raise Refusal(
            say(f"To {cmd.decision.value} it, say why (what changes, or why it goes): ", example)
        )
    debate.decision, debate.decision_why, debate.decided_at = cmd.decision, cmd.why, now
    debate.quarter = period_of(
        Cadence.QUARTERLY, now.astimezone(ZoneInfo(team.time_zone)).date()
    ).name
    review = next_review(team_rituals(ctx, team), team.time_zone, now)
    await ctx.session.flush()
    seats = await seats_of(ctx.session, debate.id)
    lines = [
        rich(f"{m.display_name} ({SIDES[s.side]}): {s.line}")
        for s, m in seats
        if s.answer is SeatAnswer.YES and s.line
    ]
    blocks: list[Block] = [
        Heading(f"{TITLE}: {kpi.name}"),
        Paragraph(rich(f"{debate.question} The team decided: {cmd.decision.value}.")),
    ]
    if cmd.why:
        blocks.append(Paragraph(rich(f"Why: {cmd.why}")))
    if lines:
        blocks.append(Bullets(tuple(lines)))
    blocks.append(
        Note(f"This goes to the {review} KPI review of {kpi.name}, with `review {kpi.id}`.")
    )
    post = Message(tuple(blocks), audience=Audience.CHANNEL, channel_id=team.channel_id)
    recorded = say(
        f"Recorded: {kpi.name}, {cmd.decision.value}. It goes to the {review} KPI review."
    )
    return [recorded, post] if team.channel_id else [recorded, Message(tuple(blocks))]


def next_review(rituals: TeamRituals, zone: str, now: datetime) -> str:
    """The quarter whose review reads a decision taken now: this quarter's, while its review
    has not opened or still gathers answers; else the next quarter's (it reads the quarter it
    looks back on, see review.py)."""
    day = now.astimezone(ZoneInfo(zone)).date()
    quarter = period_of(Cadence.QUARTERLY, day)
    opened = opening(review_rule(rituals, day), zone, day)
    if opened is None or now < opened[1] + timedelta(days=REVIEW_DAYS):
        return quarter.name
    return quarter.shifted(1).name


def _after(debate_id: int, kpi: str, side: Side) -> tuple[Block, ...]:
    return (
        Heading(f"{TITLE}: after the debate"),
        Paragraph(
            rich(
                f"Thank you for arguing as the {SIDES[side]} on {kpi}. One line: what did "
                "preparing the other side's case show you?"
            )
        ),
        Note(f'Write it as: debate line {debate_id} "your line"'),
    )


def _lead_after(debate_id: int, kpi: str) -> tuple[Block, ...]:
    return (
        Heading(f"{TITLE}: the team's decision on {kpi}"),
        Paragraph(rich("The debate was held. What did the team decide: keep, adjust or kill?")),
        Actions(
            tuple(
                Button(word.capitalize(), f"debate decide {debate_id} {word}")
                for word in ("keep", "adjust", "kill")
            )
        ),
        Note("Adjust and kill need a why; the decision goes to the quarter's review."),
    )


async def _after_meetings(session: AsyncSession, days: set[date]) -> list[Reminder]:
    """The day after a debate's meeting (on the team's clock), at the start of each one's
    working day: the two who argued are asked for one line, the lead who started it for the
    team's decision. Reminders, so quiet hours, working days and leave hold."""
    if not days:
        return []
    since = datetime.combine(min(days) - timedelta(days=2), time(), UTC)
    until = datetime.combine(max(days), time(), UTC)
    out: list[Reminder] = []
    for held in await held_between(session, since, until):
        debate = held.debate
        assert debate.slot_at is not None
        day = debate.slot_at.astimezone(ZoneInfo(held.zone)).date() + timedelta(days=1)
        if day not in days:
            continue
        for member_id, side in held.arguers:
            blocks = _after(debate.id, held.kpi, side)
            out.append(
                _reminder(f"debate-line:{debate.id}:{member_id}", debate, member_id, day, blocks)
            )
        if debate.started_by_id is not None:
            blocks = _lead_after(debate.id, held.kpi)
            out.append(
                _reminder(f"debate-decide:{debate.id}", debate, debate.started_by_id, day, blocks)
            )
    return out


def _reminder(
    key: str, debate: Debate, member_id: int, day: date, blocks: tuple[Block, ...]
) -> Reminder:
    return Reminder(
        key,
        PromptKind.DEBATE,
        debate.team_id,
        member_id,
        day,
        lambda seat, today: Message(blocks, audience=Audience.DM, to=seat_mention(seat)),
    )


AFTER = ReminderSpec(kind=PromptKind.DEBATE, due=_after_meetings, grace_hours=72)
