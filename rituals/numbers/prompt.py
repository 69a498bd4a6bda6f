"""The experiment's nudge: its owner hears on its look-back day, to say what happened."""

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
    Mention,
    Message,
    Note,
    Paragraph,
    rich,
)
from rituals.core.spec import PromptKind, ReminderSpec
from rituals.core.tick import Reminder, seat_mention
from rituals.numbers.store import DueExperiment, due_experiments
from storage.models import Experiment


def review_reminder(row: Experiment, kpi_name: str, to: Mention) -> Message:
    """The look-back day's DM: what happened?"""
    started = format_day(row.started_on, "en")
    return Message(
        (
            Heading(f"Experiment #{row.id}: look back"),
            Paragraph(rich(f"On {started} you set out to test, on {kpi_name}: {row.hypothesis}")),
            Actions(
                (Button("Tell what happened", f"result {row.id}", ButtonStyle.PRIMARY),),
                prompt="What happened? Whatever the number did, what you learned counts.",
            ),
            Note("Finished experiments open your next one-on-one as a win."),
        ),
        audience=Audience.DM,
        to=to,
    )


def _look_back(due: DueExperiment) -> Reminder:
    return Reminder(
        f"experiment:{due.experiment.id}",
        PromptKind.EXPERIMENT,
        due.team_id,
        due.experiment.owner_id,
        due.experiment.review_on,
        lambda seat, today: review_reminder(due.experiment, due.kpi_name, seat_mention(seat)),
    )


async def _experiments(session: AsyncSession, days: set[date]) -> list[Reminder]:
    return [_look_back(d) for d in await due_experiments(session, days)]


EXPERIMENT = ReminderSpec(kind=PromptKind.EXPERIMENT, due=_experiments)
