"""Fail of the Month: the person who learned the most from a misstep gets the trophy.

All month anyone nominates a teammate, or themself, with the misstep and what was learned. A
story about someone else stays between the nominator and its nominee until the nominee says
it may be shared; saying no is silent. In the month's last days the team votes, one vote each,
changeable until the vote closes; nobody, the lead included, can see who voted for whom. At
close the winners' stories are posted with the trophy, and the month is archived.

Months are the team's own: a story told on the 30th in Berlin belongs to that month in Berlin.

Here are its typed commands, the team's calendar of votes and the blocks the tick posts (the
tick imports them from here); the handlers are in `nominations`, `votes` and `archive`.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, StringConstraints

from rituals.core.command import CLEAN, Command, Name, PersonRef, row_number
from rituals.core.dates import team_moment
from rituals.core.messages import (
    Actions,
    Block,
    Button,
    Code,
    Heading,
    Note,
    Paragraph,
    Strong,
    rich,
)
from rituals.core.periods import Period, describe_period, named, period_of
from rituals.core.schedule import Reach, Rule, occurrence, reachable_at
from rituals.core.settings import TeamRituals
from rituals.core.spec import PromptKind
from rituals.fails.store import (
    Story,
)
from rituals.team.teams import mention
from storage.models import Cadence

FailText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=20, max_length=600), CLEAN
]
TROPHY = "🏆"
OPPORTUNITY = "Failure is not a death sentence: it is an opportunity for growth."
# Below this many voters the winner post names the winner without the tally.
FEWEST_VOTERS_FOR_A_TALLY = 5
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
    """One month's vote. It opens at check-in time on the first of the vote's days, each
    person's own time, when their ballot comes (`seen_from` their zone; the team's by default),
    and closes for everyone at once: check-in time on the next month's first day in the team's
    zone, when the winner is posted."""

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

    @property
    def first_anywhere(self) -> datetime:
        """The first moment the vote opens for anyone: where the day starts first."""
        return self.seen_from(EARLIEST_ZONE).opens

    def seen_from(self, zone: str) -> Vote:
        """The same vote for someone in `zone`: it opens on the same day at the same time,
        their own, as their ballot is due."""
        opens = datetime.combine(self.opens.date(), self.opens.time(), ZoneInfo(zone))
        return dataclasses.replace(self, opens=opens)

    def for_person(self, reach: Reach) -> Vote:
        """The vote as it opens for one person: when their ballot reaches them (their own
        time, moved past a day off or quiet hours, as the tick moves it). A ballot that could
        reach them only after the close is not waited for."""
        due = self.seen_from(reach.time_zone).opens
        opens = reachable_at(reach, due.date(), f"{due:%H:%M}")
        return dataclasses.replace(self, opens=due if opens >= self.closes else opens)


# The zone where each day starts first (UTC+14).
EARLIEST_ZONE = "Etc/GMT-14"


def ballot_rule(rituals: TeamRituals) -> Rule:
    """When the ballot comes round: at check-in time on the first of the vote's days. The
    prompt's schedule, the vote's opening and every sentence about either read this."""
    return Rule(
        PromptKind.FAIL_OF_MONTH,
        "month_end",
        at=rituals.checkin_time,
        days_before_end=rituals.vote_days,
    )


def vote_of(month: str, rituals: TeamRituals, zone: str) -> Vote:
    """The vote of a month ("2026-11") for a team with these settings, in its zone."""
    period = _month(month)
    rule = ballot_rule(rituals)
    occ = occurrence(rule, period.start)
    assert occ is not None  # a month-end rule comes round every month
    where = ZoneInfo(zone)
    at = time.fromisoformat(rule.at)
    return Vote(
        period.name,
        datetime.combine(occ.day, at, where),
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


# --- the stories ------------------------------------------------------------------------------


def _story_blocks(misstep: str, learned: str) -> list[Block]:
    return [
        Paragraph(rich(Strong("What happened:"), " ", misstep)),
        Paragraph(rich(Strong("What was learned:"), " ", learned)),
    ]


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
        blocks.append(Paragraph(rich(Strong(f"#{n.id}"), " ", mention(story.nominee))))
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
    # The winners' votes are votes of different people: when they add up to fewer than five,
    # fewer than five voted, and on a small team a tally tells who voted for whom.
    tally = sum(story.nomination.votes or 0 for story in winners) >= FEWEST_VOTERS_FOR_A_TALLY
    for story in winners:
        votes = story.nomination.votes or 0
        said = f" ({votes} vote{'' if votes == 1 else 's'})" if tally else ""
        blocks.append(Paragraph(rich(TROPHY, " ", mention(story.nominee), said)))
        blocks += _story_blocks(story.nomination.misstep, story.nomination.learned)
    blocks.append(Note(f"{OPPORTUNITY} Thank you for going first. `fails` keeps every month's."))
    return blocks
