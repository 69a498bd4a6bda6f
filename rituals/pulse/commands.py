"""The tension pulse: "How does chasing this KPI feel right now?", 1 to 5 and a word.

Targets and tenderness clash, and naming the stress is how a team works with it. Answers are
anonymous for real: the store keeps counts and a shuffled list of words, and apart from them
who has answered (only to refuse a second answer). Results reach the team once, as an
aggregate, when the pulse closes, and only when at least the team's threshold answered: below
it nobody sees anything, since a small group's aggregate would single people out. Before the
close the lead sees only how many answered, and how many more are needed.

A lead opens one in `opening`; answering, showing and closing are here, beside what the tick
uses to open and close it on the team's cadence.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, StringConstraints

from rituals.checkins.commands import DueText
from rituals.core.charts import PULSE_WORDS, mean_score, pulse_bars, pulse_png
from rituals.core.command import CLEAN, ONE_LINE, Command, KpiRef, Name
from rituals.core.context import Ctx
from rituals.core.dates import team_moment
from rituals.core.knowing import may_know_of
from rituals.core.messages import (
    Actions,
    Audience,
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Code,
    FormRequest,
    Heading,
    Image,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
    say,
)
from rituals.core.refusal import Refusal
from rituals.pulse.store import (
    SCORES,
    PulseClosed,
    has_answered,
    latest_pulse,
    open_pulse,
    record_answer,
)
from rituals.team.gate import admit, team_gate
from rituals.team.teams import TEAM
from storage.models import Pulse, Team

Word = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), CLEAN, ONE_LINE
]
# A pulse the lead starts, or the schedule opens, takes answers this long by default.
OPEN_DAYS = 2
LONGEST_DAYS = 14
OUR_KPIS = "our KPIs"
CLOSED = "That pulse has closed; answers are no longer taken."
IN_A_DM = "Press a score in the message I sent you, or write `pulse answer <1-5>` to me there."
# What only a team's own people do, for the gate's refusal.
ANSWER = "answer its pulse"
ANONYMOUS = (
    "Anonymous: the bot keeps only the count of each score and the words, never who gave them. "
    "Results show once enough have answered that no answer can be singled out."
)


def question(kpi_name: str) -> str:
    return f"How does chasing {kpi_name} feel right now?"


class StartPulse(Command):
    kpi: KpiRef | None = Field(None, title="KPI", description="the KPI it asks about; all if empty")
    until: DueText | None = Field(
        None, title="Answers until", description=f"a day like fri; in {OPEN_DAYS} days if empty"
    )
    team: Name | None = TEAM


class AnswerPulse(Command):
    score: int | None = Field(
        None, title="How it feels", description="1 crushing to 5 energising", ge=1, le=5
    )
    word: Word | None = Field(None, title="A word for it", description="optional")
    pulse: int | None = Field(
        None, title="Pulse", ge=1, le=2**31 - 1, json_schema_extra={"carried": True}
    )
    team: Name | None = TEAM


class ShowPulse(Command):
    team: Name | None = TEAM


class ClosePulse(Command):
    team: Name | None = TEAM


def closing_time(day: date, zone: str, checkin_time: str) -> datetime:
    """A pulse closes at the team's check-in time on its last day, in the team's zone: the
    results arrive as the working day starts, not at midnight."""
    return datetime.combine(day, time.fromisoformat(checkin_time), ZoneInfo(zone))


def answer_blocks(pulse: Pulse, team: str, zone: str) -> list[Block]:
    """The question with a button per score: one click answers, anonymously."""
    buttons = tuple(
        Button(f"{score} {PULSE_WORDS[score - 1]}", f"pulse answer {score} pulse {pulse.id}")
        for score in range(1, SCORES + 1)
    )
    return [
        Heading(f"Tension pulse: {team}"),
        Paragraph(rich(pulse.question)),
        Actions(buttons),
        Actions(
            (Button("Answer with a word", f"pulse answer pulse {pulse.id}", ButtonStyle.PRIMARY),)
        ),
        Note(f"{ANONYMOUS} Open until {team_moment(pulse.closes_at, zone)}."),
    ]


async def answer(ctx: Ctx, cmd: AnswerPulse) -> list[Reply]:
    if ctx.actor.channel_id is not None:
        raise Refusal(
            say(
                "A pulse is answered in a direct message with me, not in a channel where others "
                f"see who answered what. {IN_A_DM}"
            )
        )
    pulse = await _the_pulse(ctx, cmd)
    now = ctx.clock.now()
    if pulse.closed_at is not None or pulse.closes_at <= now:
        raise Refusal(say(CLOSED))
    if cmd.score is None:
        values = {"pulse": str(pulse.id), **({"word": cmd.word} if cmd.word else {})}
        scale = ", ".join(f"{n} {word}" for n, word in enumerate(PULSE_WORDS, start=1))
        intro = f"{pulse.question} {scale}. {ANONYMOUS}"
        return [FormRequest("pulse answer", values, intro, required=("score",))]
    try:
        counted = await record_answer(
            ctx.session, pulse, ctx.actor.member_id, cmd.score, cmd.word, now=now
        )
    except PulseClosed:  # closed by the lead or the tick while this answer was on its way
        raise Refusal(say(CLOSED)) from None
    if not counted:
        raise Refusal(
            say(
                "You answered this pulse already. Answers cannot be changed: nothing links yours "
                "to you, so there is nothing to find and change."
            )
        )
    return [
        say(
            f"Thank you: {cmd.score} ({PULSE_WORDS[cmd.score - 1]}) counted, anonymously. The "
            "team sees everyone's answers together when the pulse closes."
        )
    ]


async def _the_pulse(ctx: Ctx, cmd: AnswerPulse) -> Pulse:
    """The pulse a button names, else the open pulse of the person's team."""
    if cmd.pulse is None:
        team = await team_gate(ctx, cmd.team, members_only=ANSWER)
        found = await open_pulse(ctx.session, team.id)
        if found is None:
            raise Refusal(
                say(f"{team.name} has no pulse open. Its lead starts one: ", Code("pulse start"))
            )
        return found
    pulse = await ctx.session.get(Pulse, cmd.pulse)
    if (
        pulse is None
        or pulse.workspace_id != ctx.actor.workspace_id
        or not await may_know_of(ctx, pulse.team_id, [pulse.started_by_id])
    ):
        raise Refusal(say(f"There is no pulse #{cmd.pulse} here."))
    its_team = await ctx.session.get(Team, pulse.team_id)
    assert its_team is not None
    await admit(ctx, its_team, members_only=ANSWER)
    return pulse


async def show(ctx: Ctx, cmd: ShowPulse) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, members_only="see its pulse")
    pulse = await latest_pulse(ctx.session, team.id)
    if pulse is None:
        return [
            say(
                f"{team.name} has had no tension pulse yet. Its lead starts one: ",
                Code("pulse start"),
            )
        ]
    if pulse.closed_at is not None:
        if pulse.shown:
            return [await results(pulse, team.name)]
        return [
            say(f"{team.name}'s last pulse closed with too few answers to show; they stay sealed.")
        ]
    count = answered(pulse)
    blocks: list[Block] = [Heading(f"Tension pulse: {team.name}"), Paragraph(rich(pulse.question))]
    blocks.append(Paragraph(rich(f"{count} answered so far. {_needed(pulse, count)}")))
    if await has_answered(ctx.session, pulse.id, ctx.actor.member_id):
        blocks.append(Note("You have answered."))
    elif ctx.actor.channel_id is None:
        blocks += answer_blocks(pulse, team.name, team.time_zone)[2:4]
    else:  # answer() refuses anything pressed or typed in a channel: no buttons here
        blocks.append(Note(IN_A_DM))
    blocks.append(Note(f"Open until {team_moment(pulse.closes_at, team.time_zone)}."))
    return [Message(tuple(blocks))]


def answered(pulse: Pulse) -> int:
    """How many answered: the answers counted. Not the list of who answered, which loses a
    person who asked to be forgotten while their anonymous answer stays in the counts; the
    tick closes by the counts too, so `pulse`, `pulse close` and the tick agree."""
    return sum(pulse.counts)


def _needed(pulse: Pulse, count: int) -> str:
    more = pulse.threshold - count
    if more <= 0:
        return "Enough to show results when it closes."
    return f"Results need {pulse.threshold}: {more} more."


async def close(ctx: Ctx, cmd: ClosePulse) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="close its tension pulse")
    # Locked: an answer on its way is counted before, or refused after, never lost between.
    pulse = await open_pulse(ctx.session, team.id, lock=True)
    if pulse is None:
        raise Refusal(say(f"{team.name} has no pulse open."))
    count = answered(pulse)
    if count < pulse.threshold:
        more = pulse.threshold - count
        raise Refusal(
            say(
                f"{count} answered; results show only from {pulse.threshold}, so {more} more "
                f"{'is' if more == 1 else 'are'} needed. It stays open until "
                f"{team_moment(pulse.closes_at, team.time_zone)}."
            )
        )
    pulse.closed_at, pulse.shown = ctx.clock.now(), True
    await ctx.session.flush()
    post = await results(pulse, team.name)
    if team.channel_id is None:
        return [post]
    return [
        say("Closed; the results are posted to the team."),
        Message(post.blocks, audience=Audience.CHANNEL, channel_id=team.channel_id),
    ]


async def results(pulse: Pulse, team: str) -> Message:
    """The aggregate: how many gave each score, the mean, the words, and a chart."""
    counts = list(pulse.counts)
    total = sum(counts)
    mean = mean_score(counts)
    title = f"{team}: {pulse.question}"
    picture = await asyncio.to_thread(pulse_png, title, counts)
    lines = tuple(
        rich(f"{score} {PULSE_WORDS[score - 1]}: {counts[score - 1]}")
        for score in range(SCORES, 0, -1)
    )
    blocks: list[Block] = [
        Heading(f"Tension pulse: {team}"),
        Paragraph(rich(pulse.question)),
        Image(
            f"pulse-{pulse.id}.png",
            picture,
            f"{total} answers, mean {mean:.1f} of 5",
            title,
            pulse_bars(counts),
        ),
        Bullets(lines),
        Paragraph(rich(f"{total} answered; mean {mean:.1f} of 5.")),
    ]
    if pulse.words:
        blocks.append(Paragraph(rich("In a word: ", ", ".join(sorted(pulse.words, key=str.lower)))))
    blocks.append(
        Note(
            "Name the stress: spend five minutes on it at your next meeting. Nobody's answer "
            "can be singled out."
        )
    )
    return Message(tuple(blocks))
