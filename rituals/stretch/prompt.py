"""The stretch's nudge: on its day, the person is asked how it went and what they learned."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

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
from rituals.stretch.store import DueStretch, due_stretches


def _look_back(due: DueStretch) -> Reminder:
    row = due.stretch
    return Reminder(
        f"stretch:{row.id}",
        PromptKind.STRETCH,
        row.team_id,
        row.member_id,
        row.due_on,
        lambda seat, today: Message(
            (
                Heading(f"Stretch #{row.id}: how did it go?"),
                Paragraph(rich(f"Today is the day for: {row.what} (toward {due.kpi}).")),
                Actions(
                    (Button("Tell how it went", f"stretch done {row.id}", ButtonStyle.PRIMARY),),
                    prompt="What did you do, and what can you do now that you could not?",
                ),
                Note("It opens your next one-on-one as a win, whatever the number did."),
            ),
            audience=Audience.DM,
            to=seat_mention(seat),
        ),
    )


async def _due(session: AsyncSession, days: set[date]) -> list[Reminder]:
    return [_look_back(d) for d in await due_stretches(session, days)]


STRETCH_DAY = ReminderSpec(kind=PromptKind.STRETCH, due=_due)
