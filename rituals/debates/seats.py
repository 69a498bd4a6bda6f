"""The people asked to argue: yes (and the prompt to prepare), no (and the next one asked,
the pass never told), and their one line after the meeting.

Once both sides said yes, the debate is set for the team's next meeting and the team hears
who argues which side.
"""

from __future__ import annotations

from pydantic import Field

from rituals.core.command import Answer, Command, row_number
from rituals.core.context import Ctx
from rituals.core.dates import team_moment
from rituals.core.knowing import may_know_of
from rituals.core.messages import Audience, Code, Message, Reply, say
from rituals.core.refusal import Refusal
from rituals.debates.commands import ask
from rituals.debates.store import candidates, debate_by_id, seats_of
from rituals.debates.words import OTHER_CASE, SIDES, announcement, next_meeting, preparation
from rituals.team.gate import admit
from rituals.team.teams import mention, team_rituals
from storage.models import Debate, DebateSeat, Kpi, Member, SeatAnswer, Side, Team


class SayYes(Command):
    debate: int = row_number("Debate")


class SayNo(Command):
    debate: int = row_number("Debate")


class OneLine(Command):
    debate: int = row_number("Debate")
    line: Answer | None = Field(
        None, title="Your one line", description="what the debate showed you, in a sentence"
    )


async def found_debate(ctx: Ctx, number: int) -> tuple[Debate, Kpi, Team]:
    """The debate a number names, for every command that takes one. Someone who may not know
    of it (`may_know_of`: not on its team, nor beside the lead who started it) hears what a
    number nobody uses gets, never its team or its KPI."""
    found = await debate_by_id(ctx.session, ctx.actor.workspace_id, number)
    if found is None or not await may_know_of(ctx, found[0].team_id, [found[0].started_by_id]):
        raise Refusal(say(f"There is no debate #{number} here. ", Code("debates"), " lists them."))
    debate, kpi = found
    team = await ctx.session.get(Team, debate.team_id)
    assert team is not None
    await admit(ctx, team, members_only="argue in its debates")
    return debate, kpi, team


async def _my_seat(ctx: Ctx, debate: Debate) -> tuple[DebateSeat, list[tuple[DebateSeat, Member]]]:
    seats = await seats_of(ctx.session, debate.id)
    mine = next((s for s, m in seats if m.id == ctx.actor.member_id), None)
    if mine is None:
        raise Refusal(
            say(
                f"You were not asked to argue in debate #{debate.id}. ",
                Code("debates"),
                " lists it.",
            )
        )
    return mine, seats


async def yes(ctx: Ctx, cmd: SayYes) -> list[Reply]:
    debate, kpi, team = await found_debate(ctx, cmd.debate)
    seat, seats = await _my_seat(ctx, debate)
    if debate.decision is not None:
        raise Refusal(say(f"Debate #{debate.id} was decided already: {debate.decision.value}."))
    if seat.answer is SeatAnswer.NO:
        raise Refusal(say("You passed on this one, and someone else was asked in your place."))
    replies: list[Reply] = [say(preparation(seat.side, kpi.name))]
    if seat.answer is SeatAnswer.YES:
        return replies
    seat.answer = SeatAnswer.YES
    await ctx.session.flush()
    agreed = {s.side: m for s, m in seats if s.answer is SeatAnswer.YES}
    if len(agreed) < 2 or debate.slot_at is not None:
        return replies
    debate.slot_at = next_meeting(team_rituals(ctx, team), team.time_zone, ctx.clock.now())
    await ctx.session.flush()
    when = team_moment(debate.slot_at, team.time_zone)
    blocks = tuple(
        announcement(
            debate, kpi.name, mention(agreed[Side.CRITIC]), mention(agreed[Side.ADVOCATE]), when
        )
    )
    replies.extend(_tell_the_pair(ctx, agreed, kpi.name, when))
    if team.channel_id is not None:
        replies.append(Message(blocks, audience=Audience.CHANNEL, channel_id=team.channel_id))
    lead = await _starter(ctx, debate)
    if team.channel_id is None and lead is not None:  # no channel: the lead tells the team
        replies.append(Message(blocks, audience=Audience.DM, to=mention(lead)))
    return replies


def _tell_the_pair(ctx: Ctx, agreed: dict[Side, Member], kpi: str, when: str) -> list[Reply]:
    """Each of the two hears, privately, when the debate is and what to prepare: the one
    who just agreed in the reply, the other by a message of their own."""
    out: list[Reply] = []
    for side, member in agreed.items():
        words = say(
            f"The debate on {kpi} is set: you argue as its {SIDES[side]} at the team meeting "
            f"{when}. Come with {OTHER_CASE[side].format(kpi=kpi)} written down, then your own "
            "side's."
        )
        if member.id == ctx.actor.member_id:
            out.append(words)
        else:
            out.append(Message(words.blocks, audience=Audience.DM, to=mention(member)))
    return out


async def _starter(ctx: Ctx, debate: Debate) -> Member | None:
    if debate.started_by_id is None:
        return None
    return await ctx.session.get(Member, debate.started_by_id)


async def no(ctx: Ctx, cmd: SayNo) -> list[Reply]:
    debate, kpi, team = await found_debate(ctx, cmd.debate)
    seat, seats = await _my_seat(ctx, debate)
    if seat.answer is not SeatAnswer.ASKED:
        said = "agreed already" if seat.answer is SeatAnswer.YES else "passed already"
        raise Refusal(say(f"You {said}; the bot keeps to the first answer."))
    seat.answer = SeatAnswer.NO
    replies: list[Reply] = [say("Thank you for saying so. Nobody is told you passed.")]
    asked = {m.id for _, m in seats}
    found = await candidates(ctx.session, team.workspace_id, team.id, kpi.id, seat.side)
    nxt = next((m for m in found if m.id not in asked), None)
    if nxt is not None:
        replies.append(await ask(ctx, debate, kpi, team, seat.side, nxt))
        await ctx.session.flush()
        return replies
    # Nobody else to ask: the lead is not told now (that would give the pass away); a
    # week after the start the tick tells them which side is missing (lapse.py).
    await ctx.session.flush()
    return replies


async def line(ctx: Ctx, cmd: OneLine) -> list[Reply]:
    debate, kpi, team = await found_debate(ctx, cmd.debate)
    seat, _ = await _my_seat(ctx, debate)
    if seat.answer is not SeatAnswer.YES:
        raise Refusal(say(f"Only the two who argued in debate #{debate.id} add a line."))
    if debate.slot_at is None or debate.slot_at > ctx.clock.now():
        when = team_moment(debate.slot_at, team.time_zone) if debate.slot_at else "once it is set"
        raise Refusal(say(f"The debate has not been held yet ({when}); your line comes after it."))
    if cmd.line is None:
        raise Refusal(
            say(
                "Write your one line after the command, like ",
                Code(f'debate line {debate.id} "the number hides the calls that matter"'),
                ".",
            )
        )
    seat.line = cmd.line
    await ctx.session.flush()
    return [say(f"Kept as your line on {kpi.name}; the team reads it beside the decision.")]
