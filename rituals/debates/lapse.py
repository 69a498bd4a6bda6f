"""A debate that could not find both sides: the lead hears it a week after starting it,
never right after someone passed, so a pass cannot be read off the moment the lead is told.
By then a silent invitee and one who passed look alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.core.messages import Audience, Block, Code, Heading, Message, Note, Paragraph, rich
from rituals.core.spec import PromptKind, ReminderSpec
from rituals.core.tick import Reminder, seat_mention
from rituals.debates.store import Unpaired, unpaired_between
from rituals.debates.words import SIDES, TITLE
from storage.roster import SeatRow

# How long a debate looks for its two sides before the lead hears it could not find them.
LOOKING = timedelta(days=7)


def _blocks(found: Unpaired) -> tuple[Block, ...]:
    sides = " and ".join(SIDES[s] for s in found.missing)
    return (
        Heading(f"{TITLE}: {found.kpi}"),
        Paragraph(
            rich(
                f"Debate #{found.debate.id} could not find both sides in a week: it still "
                f"needs its {sides}. Ask the team to offer, the first to offer is asked:"
            )
        ),
        *(
            Paragraph(rich(Code(f"debate volunteer {found.kpi_id} {SIDES[s]}")))
            for s in found.missing
        ),
        Note("Who was asked and what they answered stays private."),
    )


async def _unpaired(session: AsyncSession, days: set[date]) -> list[Reminder]:
    """A week after a debate started (on its team's clock), at the start of the lead's
    working day: the lead hears which side is still missing, if one is."""
    if not days:
        return []
    since = datetime.combine(min(days) - LOOKING - timedelta(days=2), time(), UTC)
    until = datetime.combine(max(days) - LOOKING + timedelta(days=2), time(), UTC)
    out: list[Reminder] = []
    for found in await unpaired_between(session, since, until):
        debate = found.debate
        day = debate.created_at.astimezone(ZoneInfo(found.zone)).date() + LOOKING
        if day not in days or not found.missing or debate.started_by_id is None:
            continue
        out.append(
            Reminder(
                f"debate-unpaired:{debate.id}",
                PromptKind.DEBATE,
                debate.team_id,
                debate.started_by_id,
                day,
                _to_lead(_blocks(found)),
            )
        )
    return out


def _to_lead(blocks: tuple[Block, ...]) -> Callable[[SeatRow, date], Message]:
    return lambda seat, today: Message(blocks, audience=Audience.DM, to=seat_mention(seat))


UNPAIRED = ReminderSpec(kind=PromptKind.DEBATE, due=_unpaired, grace_hours=72)
