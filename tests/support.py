"""Helpers every kind of test uses: seeded people, a chat that speaks to the real dispatcher,
moments, members and KPIs in the store, and a check that a chart is a whole PNG."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import JSON, String, Text, event, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.config import AppConfig
from bot.dispatch import Dispatcher, Identity
from bot.grammar import Grammar, build_grammar
from bot.payload import decode
from rituals.core.context import Clock
from rituals.core.messages import Actions, Audience, Button, Form, Message, Outgoing
from storage.models import Base, Cadence, Kpi, KpiStatus, Member, Outbox, Platform, Role
from storage.people import NewMember, ensure_member, ensure_workspace
from storage.teams import ensure_membership, ensure_team

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


def channel_posts(replies: Sequence[object]) -> list[Message]:
    """The replies posted to a team's channel."""
    return [r for r in replies if isinstance(r, Message) and r.audience is Audience.CHANNEL]


def chat_at(
    sessions: async_sessionmaker[AsyncSession], config: AppConfig, clock: MovingClock
) -> Chat:
    """A chat whose dispatcher reads the time off a clock the test moves, for scenarios that
    run across days with the tick."""
    return Chat(Dispatcher(sessions, build_grammar("/kpi"), clock, config))


def about(hidden: Mapping[str, str]) -> dict[str, str]:
    """What a form is about, without how it is shown: its intro and required fields ride along
    hidden too, so that a refused form comes back as it was."""
    return {k: v for k, v in hidden.items() if not k.startswith("_")}


def at(moment: str) -> datetime:
    """ "2026-11-23 10:00" as a UTC moment, for a clock a test moves."""
    return datetime.fromisoformat(moment).replace(tzinfo=UTC)


async def member(session: AsyncSession, user: str) -> Member:
    """The member with this platform user id (the first made, should two workspaces share it)."""
    found = await session.scalar(
        select(Member).where(Member.platform_user_id == user).order_by(Member.id)
    )
    assert found is not None, user
    return found


async def read_member(sessions: async_sessionmaker[AsyncSession], user: str) -> Member:
    """The member as the store holds them now, read in a session of its own: for a test that
    holds none and wants to see what a command changed."""
    async with sessions() as session:
        return await member(session, user)


async def add_kpi(
    session: AsyncSession,
    owner: Member,
    name: str = "Qualified leads",
    *,
    agreed_at: datetime,
    unit: str = "leads",
    status: KpiStatus = KpiStatus.ACTIVE,
) -> Kpi:
    """A weekly KPI of the owner's written straight into the store, agreed at `agreed_at`: for
    tests about what is done with a KPI rather than how one comes to be."""
    kpi = Kpi(
        workspace_id=owner.workspace_id,
        owner_id=owner.id,
        proposed_by_id=owner.id,
        name=name,
        unit=unit,
        target=Decimal(10),
        cadence=Cadence.WEEKLY,
        status=status,
        growth_goal="run discovery calls on my own",
        created_at=agreed_at,
        agreed_at=agreed_at,
    )
    session.add(kpi)
    await session.flush()
    return kpi


async def proposed_kpi(
    chat: Chat,
    name: str = "Qualified leads",
    target: str = "10 leads",
    owner: str = "ana",
    growth: str = "run discovery calls alone",
) -> int:
    """A KPI the owner proposes with its growth link, as they would type it: its number."""
    said = await chat.text(owner, f'propose "{name}" target {target} per week growth "{growth}"')
    assert "Proposed #" in said, said
    return int(said.split("Proposed #")[1].split(":")[0])


async def active_kpi(
    chat: Chat,
    name: str = "Qualified leads",
    target: str = "10 leads",
    owner: str = "ana",
    growth: str = "run discovery calls alone",
) -> int:
    """A KPI the owner proposes and Growth's lead, Lea, activates: its number."""
    number = await proposed_kpi(chat, name, target, owner, growth)
    assert "Active" in await chat.text("lea", f"activate {number}")
    return number


def team_add_form(grammar: Grammar, **known: str) -> Form:
    """`team add`'s form, which the grammar does not offer yet, built as it builds any: the one
    form with a people field, for the tests of how each platform shows and reads one."""
    syntax = grammar.find("team add")
    assert syntax is not None
    assert syntax.form_title is None  # not offered as a form yet: built as the grammar builds any
    return grammar.form_for(syntax, known, intro="")


async def every_text(sessions: async_sessionmaker[AsyncSession]) -> str:
    """Every string in every table, JSON columns written out, one per line: what a search of
    the whole store for a person would see."""
    out: list[str] = []
    async with sessions() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.c if isinstance(c.type, String | Text | JSON)]
            for row in (await session.execute(select(*columns))).all() if columns else ():
                out += [v if isinstance(v, str) else json.dumps(v) for v in row if v is not None]
    return "\n".join(out)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG, (type, data) in file order, each one's CRC checked on the way."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG signature"
    chunks: list[tuple[bytes, bytes]] = []
    at = 8
    while at < len(data):
        assert at + 12 <= len(data), "a chunk header runs past the end"
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        assert len(body) == length, f"{kind!r} chunk cut short"
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC on {kind!r} chunk at byte {at}"
        chunks.append((kind, body))
        at += 12 + length
    return chunks


def assert_valid_png(data: bytes) -> tuple[int, int]:
    """Check that data is one whole chart-sized PNG; its width and height.

    Every chunk's CRC, IHDR first, IEND last, the image data decompressing to exactly the rows
    the header promises, a size about 800x400 and 2-60 KB (small enough to sit inside a Teams
    card), and for a palette image the palette it draws with.
    """
    assert 2 * 1024 <= len(data) <= 60 * 1024, f"{len(data)} bytes"
    chunks = png_chunks(data)
    assert chunks[0][0] == b"IHDR"
    assert len(chunks[0][1]) == 13
    assert chunks[-1] == (b"IEND", b"")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert 600 <= width <= 1200, width
    assert 300 <= height <= 800, height
    assert (depth, interlace) == (8, 0)
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    if colour == 3:  # a palette: 64 colours at most, each an RGB triple
        (palette,) = [body for kind, body in chunks if kind == b"PLTE"]
        assert 0 < len(palette) <= 64 * 3
        assert len(palette) % 3 == 0
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert len(pixels) == height * (1 + width * channels)  # a filter byte leads each row
    return width, height


@contextmanager
def statements(connection: AsyncConnection) -> Iterator[list[str]]:
    """The SQL sent on the test's connection meanwhile, by its first words."""
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(" ".join(str(args[2]).split()[:2]).upper())

    event.listen(connection.sync_connection, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", record)
