"""Helpers for tests: seeded people, and a chat that speaks to the real dispatcher."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import Dispatcher, Identity
from bot.payload import decode
from rituals.core.context import Clock
from rituals.core.messages import Actions, Audience, Button, Form, Message, Outgoing
from storage.models import Outbox, Platform, Role
from storage.people import (
    NewMember,
    ensure_member,
    ensure_membership,
    ensure_team,
    ensure_workspace,
)

ROOT = Path(__file__).resolve().parent.parent
"""The repository, for app.yaml and the command line."""
FIXTURES = ROOT / "tests" / "fixtures"
"""Real platform payloads and schemas, kept in the repository so a fresh clone can test."""

# workspace -> team -> (user id, name, role)
PEOPLE = {
    "T1": (
        "Growth",
        [("lea", "Lea", Role.LEAD), ("ana", "Ana", Role.MEMBER), ("ben", "Ben", Role.MEMBER)],
    ),
    "T2": ("Other", [("zed", "Zed", Role.LEAD), ("yan", "Yan", Role.MEMBER)]),
}


async def seed_people(session: AsyncSession, clock: Clock) -> None:
    now = clock.now()
    for external_id, (team_name, people) in PEOPLE.items():
        workspace = await ensure_workspace(session, Platform.SLACK, external_id, external_id, now)
        team = await ensure_team(session, workspace.id, team_name, "UTC", now)
        for user_id, name, role in people:
            person = NewMember(user_id, name, "UTC", "mon,tue,wed,thu,fri")
            member = await ensure_member(session, workspace.id, person, now)
            member.welcomed_at = now  # people who were here before; newcomers get a welcome
            await ensure_membership(session, team, member, role, now)


def who(user: str, workspace: str = "T1", channel: str | None = None) -> Identity:
    return Identity(
        platform=Platform.SLACK,
        workspace_external_id=workspace,
        workspace_name=workspace,
        user_id=user,
        display_name=user.capitalize(),
        time_zone="UTC",
        working_days="mon,tue,wed,thu,fri",
        channel_id=channel,
    )


def text_of(replies: Sequence[Outgoing]) -> str:
    """Everything the replies say, as plain text, forms included (title, intro, labels)."""
    out = []
    for reply in replies:
        if isinstance(reply, Form):
            out.append(" ".join([reply.title, reply.intro, *(f.label for f in reply.fields)]))
        else:
            out.append(reply.text)
    return "\n".join(out)


def buttons_of(replies: Sequence[Outgoing]) -> list[Button]:
    return [
        button
        for reply in replies
        if isinstance(reply, Message)
        for block in reply.blocks
        if isinstance(block, Actions)
        for button in block.buttons
    ]


@dataclass
class Chat:
    """Say things to the bot as someone, in a workspace; get the replies back."""

    dispatcher: Dispatcher

    async def say(
        self, user: str, text: str, workspace: str = "T1", channel: str | None = None
    ) -> list[Outgoing]:
        """The answer, then the messages to others the command queued in the outbox."""
        since = await last_queued(self.dispatcher.sessions)
        said = await self.dispatcher.handle_text(who(user, workspace, channel), text)
        return [*said, *await queued_since(self.dispatcher.sessions, since)]

    async def text(
        self, user: str, text: str, workspace: str = "T1", channel: str | None = None
    ) -> str:
        return text_of(await self.say(user, text, workspace, channel))

    async def submit(
        self, user: str, form: Form, values: dict[str, str], workspace: str = "T1"
    ) -> list[Outgoing]:
        # Like a platform: prefilled fields submit their values unless changed.
        shown = {f.name: f.value for f in form.fields if f.value is not None}
        since = await last_queued(self.dispatcher.sessions)
        said = await self.dispatcher.handle_form(
            who(user, workspace), form.command, {**form.hidden, **shown, **values}
        )
        return [*said, *await queued_since(self.dispatcher.sessions, since)]


async def last_queued(sessions: async_sessionmaker[AsyncSession]) -> int:
    """The newest outbox row's id, to tell what a command queues after it."""
    async with sessions() as session:
        return await session.scalar(select(func.max(Outbox.id))) or 0


async def queued_since(sessions: async_sessionmaker[AsyncSession], since: int) -> list[Message]:
    """The messages queued in the outbox after row `since`, in the order they were written."""
    async with sessions() as session:
        rows = await session.scalars(select(Outbox).where(Outbox.id > since).order_by(Outbox.id))
        return [decode(row.payload) for row in rows]


def dms_to(replies: Sequence[Outgoing], user: str) -> list[Message]:
    """The direct messages among the replies that go to this person."""
    return [
        r
        for r in replies
        if isinstance(r, Message)
        and r.audience is Audience.DM
        and r.to is not None
        and r.to.platform_user_id == user
    ]


@dataclass
class MovingClock:
    """A clock a test sets forward, moment by moment."""

    at: datetime

    def now(self) -> datetime:
        return self.at

    def move_to(self, at: datetime) -> None:
        assert at >= self.at, "time only moves forward"
        self.at = at


def about(hidden: Mapping[str, str]) -> dict[str, str]:
    """What a form is about, without how it is shown: its intro and required fields ride along
    hidden too, so that a refused form comes back as it was."""
    return {k: v for k, v in hidden.items() if not k.startswith("_")}
