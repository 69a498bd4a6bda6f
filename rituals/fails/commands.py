"""Fail of the Month: the person who learned the most from a misstep gets the trophy.

All month anyone nominates a teammate, or themself, with the misstep and what was learned. A
story about someone else stays between the nominator and its nominee until the nominee says
it may be shared; saying no is silent. In the month's last days the team votes, one vote each,
changeable until the vote closes; nobody, the lead included, can see who voted for whom. At
close the winners' stories are posted with the trophy, and the month is archived.

Months are the team's own: a story told on the 30th in Berlin belongs to that month in Berlin.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, StringConstraints

from rituals.core.command import CLEAN, Command, Name, PersonRef, row_number
from rituals.core.context import Ctx
from rituals.core.dates import team_moment
from rituals.core.mentions import with_mentions
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
    Mention,
    Message,
    Note,
    Paragraph,
    Reply,
    Rich,
    Strong,
    rich,
    say,
)
from rituals.core.people import resolve_person
from rituals.core.periods import Period, describe_period, named, period_of
from rituals.core.settings import TeamRituals
from rituals.team.teams import mention, pick_team, team_rituals
from storage.fails import (
    Story,
    cast_vote,
    closed_months,
    is_closed,
    nominations_by,
    stories,
    voters,
    winners_of_year,
)
from storage.models import Cadence, Consent, FailNomination, Member, Team
from storage.people import membership

FailText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=20, max_length=600), CLEAN
]
TROPHY = "🏆"
OPPORTUNITY = "Failure is not a death sentence: it is an opportunity for growth."
SELF = frozenset({"me", "myself", "self"})
FIRST_YEAR = 2000


class Nominate(Command):
    person: PersonRef | None = Field(
        None, title="Who", description="a teammate, or empty for yourself"
    )
    misstep: FailText | None = Field(None, title="The misstep", description="what happened")
    learned: FailText | None = Field(
        None, title="What was learned", description="what they (or you) do differently now"
    )
    team: Name | None = Field(None, title="Team", description="its name; yours if you are on one")


class YesNo(enum.StrEnum):
    YES = "yes"
    NO = "no"


class Consenting(Command):
    nomination: int = row_number("Story")
    answer: YesNo = Field(title="Share it with the team?")


class VoteFail(Command):
    nomination: int = row_number("Story", "the story's number, from the ballot")


class ShowFails(Command):
    year: int | None = Field(None, title="Year", ge=FIRST_YEAR, le=2100)
    team: Name | None = Field(None, title="Team")


# --- the team's calendar ------------------------------------------------------------------------


@dataclass(frozen=True)
class Vote:
    """One month's vote, in the team's time zone: it opens at the start of the vote's first
    day and closes at check-in time on the next month's first day, when the winner is posted."""

    month: str  # "2026-11"
    opens: datetime
    closes: datetime

    @property
    def name(self) -> str:
        """ "November 2026" """
        return month_words(self.month)

    @property
    def opening(self) -> str:
        return team_moment(self.opens, str(self.opens.tzinfo))

    @property
    def closing(self) -> str:
        return team_moment(self.closes, str(self.closes.tzinfo))


def vote_of(month: str, rituals: TeamRituals, zone: str) -> Vote:
    """The vote of a month ("2026-11") for a team with these settings, in its zone."""
    period = _month(month)
    first_vote_day = period.end - timedelta(days=rituals.vote_days - 1)
    where = ZoneInfo(zone)
    at = time.fromisoformat(rituals.checkin_time)
    return Vote(
        period.name,
        datetime.combine(first_vote_day, time(), where),
        datetime.combine(period.end + timedelta(days=1), at, where),
    )


def month_of(now: datetime, zone: str) -> str:
    """The team's month now, "2026-11"."""
    return period_of(Cadence.MONTHLY, now.astimezone(ZoneInfo(zone)).date()).name


def previous_month(month: str) -> str:
    """ "2026-01" -> "2025-12" """
    return _month(month).shifted(-1).name


def current_vote(now: datetime, rituals: TeamRituals, zone: str) -> Vote:
    """The vote people act on now: last month's until it closes, then this month's."""
    this = period_of(Cadence.MONTHLY, now.astimezone(ZoneInfo(zone)).date())
    last = vote_of(this.shifted(-1).name, rituals, zone)
    return last if now < last.closes else vote_of(this.name, rituals, zone)


def month_words(month: str) -> str:
    """ "2026-11" -> "November 2026" """
    return describe_period(_month(month))


def _month(month: str) -> Period:
    """A month the store names ("2026-11"), which it only ever names rightly."""
    found = named(Cadence.MONTHLY, month)
    assert found is not None, month
    return found


# --- nominating ---------------------------------------------------------------------------------


async def _fail_team(ctx: Ctx, name: str | None) -> Team | Reply:
    """The team, when Fail of the Month is switched on for it and the person is on it."""
    team = await pick_team(ctx, name)
    if not isinstance(team, Team):
        return team
    if await membership(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id) is None:
        return say(f"You are not on {team.name}; its Fail of the Month is its people's.")
    if "fail_of_month" not in team_rituals(ctx, team).enabled:
        return say(
            f"Fail of the Month is not switched on for {team.name}. Its lead switches it on: ",
            Code("settings set rituals checkin,fail_of_month,..."),
        )
    return team


async def nominate(ctx: Ctx, cmd: Nominate) -> list[Reply]:
    team = await _fail_team(ctx, cmd.team)
    if not isinstance(team, Team):
        return [team]
    if cmd.misstep is None or cmd.learned is None:
        values = {"team": team.name}
        for name in ("misstep", "learned"):
            if getattr(cmd, name):
                values[name] = getattr(cmd, name)
        if cmd.person is not None:
            values["person"] = cmd.person.typed
        intro = (
            "Who learned the most from a misstep this month? Nominate a teammate, or yourself: "
            "what happened, and what was learned."
        )
        return [FormRequest("fail nominate", values, intro, required=("misstep", "learned"))]
    nominee = await _nominee(ctx, cmd.person)
    if not isinstance(nominee, Member):
        hint = say(
            "Name who first, or me for yourself; quote the story: ",
            Code('fail nominate me "what happened" learned "what was learned"'),
        )
        return [nominee, hint]
    if await membership(ctx.session, ctx.actor.workspace_id, team.id, nominee.id) is None:
        return [say(f"{nominee.display_name} is not on {team.name}; nominate a teammate.")]
    if nominee.id != ctx.actor.member_id and ctx.actor.channel_id is not None:
        return [_in_private(f"A story about {nominee.display_name} waits for their yes")]
    _, misstep = await with_mentions(ctx, cmd.misstep)
    _, learned = await with_mentions(ctx, cmd.learned)
    own = nominee.id == ctx.actor.member_id
    month = month_of(ctx.clock.now(), team.time_zone)
    row = FailNomination(
        workspace_id=ctx.actor.workspace_id,
        team_id=team.id,
        month=month,
        nominee_id=nominee.id,
        nominator_id=ctx.actor.member_id,
        misstep=misstep,
        learned=learned,
        consent=Consent.GIVEN if own else Consent.ASKED,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(row)
    await ctx.session.flush()
    vote = vote_of(month, team_rituals(ctx, team), team.time_zone)
    if own:
        when = (
            f"is open until {vote.closing}"
            if vote.opens <= ctx.clock.now()
            else f"opens {vote.opening}"
        )
        return [
            say(
                f"Your story is on {team.name}'s ballot for {vote.name} (#{row.id}). The vote "
                f"{when}. Thank you for going first: {OPPORTUNITY}"
            )
        ]
    nominator = Mention(ctx.actor.platform_user_id, ctx.actor.display_name)
    ask = Message(
        (
            Heading(f"Fail of the Month: {team.name}"),
            Paragraph(
                rich(nominator, f" nominated you for {vote.name}'s trophy, for learning from this:")
            ),
            *_story_blocks(misstep, learned),
            Paragraph(
                rich("May it go on the team's ballot? Nobody else sees it unless you agree.")
            ),
            Actions(
                (
                    Button("Yes, share it", f"fail consent {row.id} yes", ButtonStyle.PRIMARY),
                    Button("No, keep it private", f"fail consent {row.id} no"),
                )
            ),
            Note(f"{OPPORTUNITY} Saying no is fine, and nobody is told."),
        ),
        audience=Audience.DM,
        to=mention(nominee),
    )
    return [
        say(
            f"Asked {nominee.display_name} whether your story (#{row.id}) may go on "
            f"{team.name}'s ballot for {vote.name}. Until they agree, only you and they see it."
        ),
        ask,
    ]


def _in_private(what: str) -> Message:
    """Said in a channel, where everyone sees who wrote what: asked again in private."""
    return say(
        f"{what}, so it is said in a direct message with me, not in a channel where everyone "
        "sees it. Press the button in the message I sent you, or send the same words to me."
    )


async def _nominee(ctx: Ctx, ref: PersonRef | None) -> Member | Reply:
    if ref is None or (ref.name or "").lower() in SELF:
        me = await ctx.session.get(Member, ctx.actor.member_id)
        assert me is not None
        return me
    return await resolve_person(ctx, ref)


def _story_blocks(misstep: str, learned: str) -> list[Block]:
    return [
        Paragraph(rich(Strong("What happened: "), misstep)),
        Paragraph(rich(Strong("What was learned: "), learned)),
    ]


async def consent(ctx: Ctx, cmd: Consenting) -> list[Reply]:
    if ctx.actor.channel_id is not None:
        return [_in_private("Whether a story about you is shared is yours to say")]
    row = await ctx.session.get(FailNomination, cmd.nomination)
    if (
        row is None
        or row.workspace_id != ctx.actor.workspace_id
        or row.nominee_id != ctx.actor.member_id
    ):
        return [say(f"There is no story #{cmd.nomination} about you here.")]
    if cmd.answer is YesNo.NO:
        shared = row.consent is Consent.GIVEN
        row.consent = Consent.DECLINED
        await ctx.session.flush()
        if shared:
            return [
                say(
                    "Taken back: it leaves the ballot and the archive, and nobody is told why. "
                    "Anything already posted in the channel stays there."
                )
            ]
        return [say("Kept private. Nobody else will see it, and nobody is told you said no.")]
    if row.consent is Consent.GIVEN:
        return [say(f"Story #{row.id} is on the ballot already.")]
    team = await ctx.session.get(Team, row.team_id)
    assert team is not None
    rituals = team_rituals(ctx, team)
    if row.votes is not None:
        # Counted when its month closed, then taken back: it returns to that month, where it
        # was told (and won, or not). The nominator heard of the first yes and never of the
        # no, so they hear nothing now.
        row.consent = Consent.GIVEN
        await ctx.session.flush()
        return [
            say(
                f"Shared again: story #{row.id} is back among {team.name}'s stories of "
                f"{month_words(row.month)}. Thank you. {OPPORTUNITY}"
            )
        ]
    vote = current_vote(ctx.clock.now(), rituals, team.time_zone)
    if await is_closed(ctx.session, team.id, row.month) or row.month < vote.month:
        row.month = vote.month  # its own month's vote has closed: it joins the next one
    row.consent = Consent.GIVEN
    await ctx.session.flush()
    month = vote_of(row.month, rituals, team.time_zone)
    replies: list[Reply] = [
        say(
            f"Shared: story #{row.id} is on {team.name}'s ballot for {month.name}. "
            f"Thank you. {OPPORTUNITY}"
        )
    ]
    nominator = await ctx.session.get(Member, row.nominator_id) if row.nominator_id else None
    if nominator is not None and nominator.is_active and nominator.id != row.nominee_id:
        replies.append(
            Message(
                (
                    Paragraph(
                        rich(
                            Mention(ctx.actor.platform_user_id, ctx.actor.display_name),
                            f" agreed: your story #{row.id} is on {team.name}'s ballot for "
                            f"{month.name}.",
                        )
                    ),
                ),
                audience=Audience.DM,
                to=mention(nominator),
            )
        )
    return replies


# --- voting -------------------------------------------------------------------------------------


async def vote(ctx: Ctx, cmd: VoteFail) -> list[Reply]:
    if ctx.actor.channel_id is not None:
        return [_in_private("A vote is secret")]
    row = await ctx.session.get(FailNomination, cmd.nomination)
    if (
        row is None
        or row.workspace_id != ctx.actor.workspace_id
        or row.consent is not Consent.GIVEN
    ):
        return [say(f"There is no story #{cmd.nomination} on a ballot here. ", Code("fails"))]
    team = await ctx.session.get(Team, row.team_id)
    assert team is not None
    if await membership(ctx.session, ctx.actor.workspace_id, team.id, ctx.actor.member_id) is None:
        return [say(f"Only {team.name}'s people vote for its Fail of the Month.")]
    if row.nominee_id == ctx.actor.member_id:
        return [say("That story is yours: vote for a teammate's.")]
    now = ctx.clock.now()
    ballot = vote_of(row.month, team_rituals(ctx, team), team.time_zone)
    if now < ballot.opens:
        return [say(f"The vote for {ballot.name} opens {ballot.opening}.")]
    if now >= ballot.closes or await is_closed(ctx.session, team.id, row.month):
        return [say(f"The vote for {ballot.name} has closed. ", Code("fails"), " shows who won.")]
    changed = await cast_vote(ctx.session, row, ctx.actor.member_id)
    if changed is None:
        return [say(f"The vote for {ballot.name} has closed. ", Code("fails"), " shows who won.")]
    nominee = await ctx.session.get(Member, row.nominee_id)
    assert nominee is not None
    verb = "Changed your vote to" if changed else "Voted for"
    return [
        say(
            f"{verb} {nominee.display_name}'s story (#{row.id}). Change it any time until "
            f"{ballot.closing}; nobody, the lead included, sees who voted for whom."
        )
    ]


# --- showing ------------------------------------------------------------------------------------


async def show(ctx: Ctx, cmd: ShowFails) -> list[Reply]:
    team = await _fail_team(ctx, cmd.team)
    if not isinstance(team, Team):
        return [team]
    now = ctx.clock.now()
    rituals = team_rituals(ctx, team)
    if cmd.year is not None:
        return [await _archive(ctx, team, cmd.year)]
    ballot = current_vote(now, rituals, team.time_zone)
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
    year = now.astimezone(ZoneInfo(team.time_zone)).year
    past = await _year_lines(ctx, team, year)
    if past:
        blocks += [Paragraph(rich(Strong(f"Trophies in {year}"))), Bullets(past)]
    blocks.append(Note("fail nominate @name (or yourself) adds a story; fails 2025 shows a year."))
    return [Message(tuple(blocks))]


def ballot_blocks(
    found: Sequence[Story], vote: Vote, voter_id: int, now: datetime, *, private: bool = True
) -> list[Block]:
    """The month's stories with a vote button each (none on one's own), or an invitation.

    Not `private` (asked in a channel), the buttons are left out: a vote is cast in a DM."""
    if not found:
        return [
            Paragraph(
                rich(
                    f"No stories for {vote.name} yet. Who learned the most from a misstep? "
                    "Nominate a teammate, or yourself: ",
                    Code("fail nominate"),
                )
            )
        ]
    voting = vote.opens <= now < vote.closes
    blocks: list[Block] = []
    for story in found:
        n = story.nomination
        blocks.append(Paragraph(rich(Strong(f"#{n.id} "), mention(story.nominee))))
        blocks += _story_blocks(n.misstep, n.learned)
        if voting and private and story.nominee.id != voter_id:
            blocks.append(
                Actions(
                    (Button(f"Vote for {story.nominee.display_name}"[:75], f"fail vote {n.id}"),)
                )
            )
    if voting and not private:
        blocks.append(Note("Vote in a direct message with me: fail vote <number>."))
    elif voting:
        blocks.append(Note(f"One vote each; change it until {vote.closing}."))
    elif now >= vote.closes:  # a prompt that reached someone only after the close
        blocks.append(
            Note(f"The vote closed {vote.closing}; `fails {vote.month[:4]}` shows who won.")
        )
    else:
        blocks.append(Note(f"The vote opens {vote.opening}."))
    return blocks


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


# --- closing ------------------------------------------------------------------------------------


def closing_blocks(team: str, vote: Vote, winners: Sequence[Story]) -> list[Block]:
    """The post when the vote closes: the trophy and the learning, or an invitation."""
    if not winners:
        return [
            Heading(f"Fail of the Month: {team}, {vote.name}"),
            Paragraph(
                rich(
                    "No stories this month, and that is fine. Every team slips; the ones that "
                    "say so learn fastest. Next month, nominate a teammate or yourself: what "
                    "happened, and what it taught. ",
                    Code("fail nominate"),
                )
            ),
            Note(OPPORTUNITY),
        ]
    blocks: list[Block] = [Heading(f"{TROPHY} Fail of the Month: {team}, {vote.name}")]
    if not any(story.nomination.votes for story in winners):
        blocks.append(Paragraph(rich("Nobody voted this time, so every story shares the trophy.")))
    elif len(winners) > 1:
        blocks.append(Paragraph(rich("A shared trophy: the vote was tied between these.")))
    for story in winners:
        votes = story.nomination.votes or 0
        said = f" ({votes} vote{'' if votes == 1 else 's'})" if votes else ""
        blocks.append(Paragraph(rich(TROPHY, " ", mention(story.nominee), said)))
        blocks += _story_blocks(story.nomination.misstep, story.nomination.learned)
    blocks.append(Note(f"{OPPORTUNITY} Thank you for going first. `fails` keeps every month's."))
    return blocks
