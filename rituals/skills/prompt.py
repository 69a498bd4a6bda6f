"""A sprint's two nudges, to both of the pair: the check-in halfway, and the look-back on its
last day. They are reminders of something the two took on, on a day (like an experiment's
look-back), so they come at the start of each one's own working day, never in quiet hours,
not while they are away, and are not counted against the weekly budget."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.dates import format_day
from rituals.core.messages import (
    Actions,
    Audience,
    Button,
    ButtonStyle,
    Heading,
    Message,
    Note,
    Paragraph,
    rich,
)
from rituals.core.spec import PromptKind, ReminderSpec
from rituals.core.tick import Reminder, seat_mention
from rituals.skills.sprint_store import SprintRow, due_on
from rituals.skills.sprints import LOOK_BACK
from storage.roster import SeatRow


def _partner(row: SprintRow, member_id: int) -> str:
    """The other half of the pair, as the one reminded reads it."""
    if member_id == row.sprint.learner_id:
        return f"with your mentor {row.mentor.display_name}" if row.mentor else "on your own"
    return f"with {row.learner.display_name}"


def halfway(row: SprintRow, seat: SeatRow) -> Message:
    sprint = row.sprint
    assert sprint.ends_on is not None
    return Message(
        (
            Heading(f"Halfway: your sprint on {row.skill}"),
            Paragraph(rich(f"A week in, {_partner(row, seat.member_id)}. The goal: {sprint.goal}")),
            Paragraph(
                rich(
                    "How is it going? A word to each other now (what helped, what to try next "
                    "week) makes the second week count. It ends "
                    f"{format_day(sprint.ends_on, 'en')}."
                )
            ),
            Actions((Button("See the sprint", "sprints"),)),
        ),
        audience=Audience.DM,
        to=seat_mention(seat),
    )


def last_day(row: SprintRow, seat: SeatRow) -> Message:
    sprint = row.sprint
    return Message(
        (
            Heading(f"Look back: your sprint on {row.skill}"),
            Paragraph(rich(f"Two weeks {_partner(row, seat.member_id)}. The goal: {sprint.goal}")),
            Actions(
                (Button("Look back", f"lookback {sprint.id}", ButtonStyle.PRIMARY),),
                prompt=LOOK_BACK,
            ),
            Note("The look-back opens both your next one-on-ones as a win."),
        ),
        audience=Audience.DM,
        to=seat_mention(seat),
    )


def reminders(row: SprintRow, days: set[date]) -> list[Reminder]:
    """Who hears what of this sprint on these days: both halfway while it runs; at the end,
    each of the pair who has not looked back yet."""
    sprint = row.sprint
    pair = [m for m in (sprint.learner_id, sprint.mentor_id) if m is not None]
    out: list[Reminder] = []
    half, end = sprint.halfway_on, sprint.ends_on
    if half is not None and half in days and sprint.learner_lookback is None:
        out += [
            Reminder(
                f"mentorship:{sprint.id}:halfway:{m}",
                PromptKind.MENTORSHIP,
                sprint.team_id,
                m,
                half,
                lambda seat, today: halfway(row, seat),
            )
            for m in pair
        ]
    if end is not None and end in days:
        owing = [
            m
            for m, words in (
                (sprint.learner_id, sprint.learner_lookback),
                (sprint.mentor_id, sprint.mentor_lookback),
            )
            if m is not None and words is None
        ]
        out += [
            Reminder(
                f"mentorship:{sprint.id}:end:{m}",
                PromptKind.MENTORSHIP,
                sprint.team_id,
                m,
                end,
                lambda seat, today: last_day(row, seat),
            )
            for m in owing
        ]
    return out


async def _due(session: AsyncSession, days: set[date]) -> list[Reminder]:
    return [r for row in await due_on(session, days) for r in reminders(row, days)]


MENTORSHIP = ReminderSpec(kind=PromptKind.MENTORSHIP, due=_due)
