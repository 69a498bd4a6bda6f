"""What debates say, in one place: the sides, the invitation, the prompt to prepare, the
team's post, and the next team meeting a debate is held in."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from rituals.core.messages import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Heading,
    Mention,
    Note,
    Paragraph,
    rich,
)
from rituals.core.settings import WEEKDAYS, TeamRituals
from storage.models import Debate, Side

TITLE = "Servant vs Scorekeeper"
SIDES = {Side.CRITIC: "critic", Side.ADVOCATE: "advocate"}
CASES = {
    Side.CRITIC: "what the number misses, what it costs people, what it makes us chase",
    Side.ADVOCATE: "what the number helps us see, whom it serves, why it is worth keeping",
}
# The other side's case, which each prepares: argue against the real thing, not a straw man.
OTHER_CASE = {
    Side.CRITIC: "the strongest case for keeping {kpi} as it is",
    Side.ADVOCATE: "the strongest case against {kpi}",
}
# Who would make that other case best: the critic prepares the advocate's, and back.
OTHER_VOICE = {Side.CRITIC: "its best advocate", Side.ADVOCATE: "its sharpest critic"}
PRIVATE = "Only you see this. If you pass, nobody is told; the bot asks someone else."
# The debate needs a day at least to prepare: a meeting sooner is the next one's.
PREPARE = timedelta(hours=24)


def invitation(debate: Debate, kpi: str, side: Side, lead: str, team: str) -> list[Block]:
    """The private question to someone the bot would pair: will you argue this side?"""
    return [
        Heading(f"{TITLE}: {team}"),
        Paragraph(
            rich(
                f"{lead} asked the team to debate: {debate.question} The bot would like you "
                f"to argue as its {SIDES[side]}: {CASES[side]}. Will you?"
            )
        ),
        Actions(
            (
                Button("Yes, I'll argue it", f"debate yes {debate.id}", ButtonStyle.PRIMARY),
                Button("Not this time", f"debate no {debate.id}"),
            )
        ),
        Note(PRIVATE),
    ]


def preparation(side: Side, kpi: str) -> str:
    """The prompt to prepare, given to each who agreed."""
    return (
        f"Thank you. To prepare, write down {OTHER_CASE[side].format(kpi=kpi)}: the other "
        f"side's best argument, as {OTHER_VOICE[side]} would make it. Then argue your own "
        "side knowing it. After the meeting the bot asks you for one line."
    )


def announcement(
    debate: Debate, kpi: str, critic: Mention, advocate: Mention, when: str
) -> list[Block]:
    """The team's post once both agreed."""
    return [
        Heading(f"{TITLE}: {kpi}"),
        Paragraph(rich(debate.question)),
        Paragraph(
            rich(
                critic,
                " argues as its critic, ",
                advocate,
                f" as its advocate, at the team meeting {when}. Each has prepared the "
                "strongest case for the other side.",
            )
        ),
        Note("Afterwards the team decides: keep, adjust or kill. It goes to the quarter's review."),
    ]


def next_meeting(rituals: TeamRituals, zone: str, now: datetime) -> datetime:
    """The team's next meeting slot (its check-in day and time) at least a day away."""
    local = now.astimezone(ZoneInfo(zone))
    at = time.fromisoformat(rituals.checkin_time)
    weekday = WEEKDAYS.index(rituals.checkin_day)
    day = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    slot = datetime.combine(day, at, ZoneInfo(zone))
    while slot < now + PREPARE:
        slot += timedelta(days=7)
    return slot
