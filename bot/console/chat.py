"""A chat with the bot in the terminal, like errbot's text backend, but with our whole product.

It reads lines from any source (a terminal or a piped script), so a session can be tried by
hand or replayed in a test. `:as lea` switches who is speaking, so a lead and a member can both
be tried. Forms are asked one field at a time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.console.demo import PEOPLE, WORKSPACE_ID, WORKSPACE_NAME, DemoPerson
from bot.console.fields import Reading, check, chosen, describe, reading
from bot.console.render import readable, render_message
from bot.console.sender import ConsoleSender
from bot.console.stdin import ReadLine, stdin_reader
from bot.delivery import Worker
from bot.dispatch import Dispatcher, Identity
from bot.grammar import FORM_INTRO, Parsed
from bot.scheduler import Scheduling
from rituals.core.context import ShiftedClock
from rituals.core.messages import Button, File, Form, FormField, Image, Message, Outgoing
from storage.models import Member, Platform, Workspace
from storage.teams import teams_of

__all__ = ["ConsoleChat", "ConsoleSender", "ReadLine", "stdin_reader"]

META_HELP = (
    "Console commands: ':as NAME' speak as someone else (lea is the team lead; a new name is "
    "a newcomer), ':in CHANNEL' type in a channel (':dm' back to a direct message), ':people' "
    "who is here, ':clock +7d' move the demo's time forward (m, h, d or w) to see the "
    "scheduled nudges arrive, ':quit' leave. Everything else goes to the bot; type 'help' to "
    "see what it can do, and a number to press a button."
)
CLOCK_STEP = timedelta(minutes=15)
CLOCK_LIMIT = timedelta(days=31)
SPANS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
FILL_IN = "Fill it in as a form (what you typed is kept)"


@dataclass(frozen=True)
class Left:
    """A form left for a line that is not an answer: a console command, or a bot command."""

    line: str


class ConsoleChat:
    def __init__(
        self,
        dispatcher: Dispatcher,
        read: ReadLine,
        out: TextIO,
        *,
        speaker: str,
        working_days: str,
        default_time_zone: str,
        echo: bool,
        people: Sequence[DemoPerson] = PEOPLE,
        exports: Path = Path("exports"),
        clock: ShiftedClock | None = None,
    ) -> None:
        self.exports = exports
        self.clock = clock
        # Set by the caller once the scheduler runs, so `:clock` can step it.
        self.rhythm: Scheduling | None = None
        self._worker: Worker | None = None
        self.dispatcher = dispatcher
        self.read = read
        self.out = out
        self.echo = echo
        self.people = {p.handle: p for p in people}
        self.working_days = working_days
        self.default_time_zone = default_time_zone
        self.speaker = speaker.lower()
        self.channel: str | None = None
        self.buttons: list[Button] = []
        # Forms offered rather than opened (a refused command's), by their button's number.
        self.offered: dict[int, Form] = {}
        # A line typed inside a form that was not an answer: acted on once the form is left.
        self._next: str | None = None

    def identity(self) -> Identity:
        person = self.people.get(self.speaker)
        return Identity(
            platform=Platform.CONSOLE,
            workspace_external_id=WORKSPACE_ID,
            workspace_name=WORKSPACE_NAME,
            user_id=self.speaker,
            display_name=person.name if person else self.speaker.capitalize(),
            time_zone=person.time_zone if person else self.default_time_zone,
            working_days=self.working_days,
            channel_id=self.channel,
        )

    def write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def ask(self, prompt: str) -> str | None:
        self.out.write(prompt)
        self.out.flush()
        line = await self.read()
        if line is not None and self.echo:
            self.out.write(line)
        if self.echo or line is None:
            self.out.write("\n")
        return line

    async def run(self) -> None:
        self.write(f"kpi-coach console, {WORKSPACE_NAME}. You are {self.identity().display_name}.")
        self.write(META_HELP)
        await self.show(await self.dispatcher.greet(self.identity()))
        while True:
            line = self._next
            self._next = None
            if line is None:
                where = f" in #{self.channel}" if self.channel else ""
                line = await self.ask(f"{self.speaker}{where}> ")
            if line is None:
                return
            if not await self.act(line.strip()):
                return

    async def act(self, line: str) -> bool:
        """Do what one line says; False means leave."""
        if not line:
            return True
        if line.startswith(":clock"):
            await self.move_clock(line.removeprefix(":clock").strip())
            return True
        if line.startswith(":"):
            return await self.meta(line)
        command = self.pressed(line)
        if isinstance(command, Form):
            await self.show([command])
        elif command != "":
            await self.send(command or line)
        return True

    def pressed(self, line: str) -> str | Form | None:
        """A bare number presses that button of the last reply: a command, or a form offered."""
        if not (line.isdecimal() and line.isascii()):
            return None
        if int(line) in self.offered:
            self.write(f"  -> {FILL_IN.lower()}")
            return self.offered[int(line)]
        if 1 <= int(line) <= len(self.buttons):
            command = self.buttons[int(line) - 1].command
            self.write(f"  -> {readable(command, self.name_of)}")
            return command
        shown = f"1 to {len(self.buttons)}" if self.buttons else "none"
        self.write(f"  (There is no button {line} on the last reply; buttons shown: {shown}.)")
        return ""

    async def meta(self, line: str) -> bool:
        """Handle a console command; False means leave."""
        word, _, rest = line[1:].partition(" ")
        if word in {"q", "quit", "exit"}:
            return False
        if word == "as" and rest.strip():
            handle = rest.strip().lstrip("@").lower()
            bad = not handle.replace("-", "").replace("_", "").isalnum() or len(handle) > 30
            if bad or handle.startswith("forgotten-"):
                self.write("Names are letters and digits, up to 30, e.g. ':as lea'.")
                return True
            self.speaker = handle
            self.buttons, self.offered = [], {}  # the last speaker's, not this one's to press
            standing = await self.standing(handle)
            self.write(f"You are now {self.identity().display_name}{standing}.")
            return True
        if word == "in" and rest.strip():
            channel = rest.strip().lstrip("#").lower()
            if not channel.replace("-", "").replace("_", "").isalnum() or len(channel) > 40:
                self.write("Channel names are letters, digits, - and _, e.g. ':in growth'.")
                return True
            self.channel = channel
            self.write(f"You are typing in #{channel}.")
            return True
        if word == "dm":
            self.channel = None
            self.write("You are typing in a direct message to the bot.")
            return True
        if word in {"people", "who"}:
            for p in self.people.values():
                self.write(f"  {p.handle}: {p.name}, {p.role.value}, {p.time_zone}")
            return True
        self.write(META_HELP)
        return True

    async def move_clock(self, span: str) -> None:
        """Move the demo's time forward in steps, ticking at each, so nudges arrive in order."""
        if self.clock is None or self.rhythm is None:
            self.write("The clock only moves in the demo console.")
            return
        match = re.fullmatch(r"\+?(\d{1,4})\s*([mhdw])", span.lower())
        if not span:
            self.write(f"It is {await self._speaker_time()}. Move it with ':clock +7d'.")
            return
        delta = timedelta(**{SPANS[match.group(2)]: int(match.group(1))}) if match else None
        if delta is None or not CLOCK_STEP <= delta <= CLOCK_LIMIT:
            self.write(
                "Say how far to move, 15 minutes to 31 days ahead: ':clock +30m', ':clock +2h', "
                "':clock +1d', ':clock +1w'."
            )
            return
        # What arrives now is shown in one go: its buttons numbered on from 1, never again.
        self.buttons, self.offered = [], {}
        target = self.clock.now() + delta
        while (now := self.clock.now()) < target:
            # Step on the quarter hours, so a 10:00 prompt shows up at 10:00.
            step = CLOCK_STEP - (now - now.replace(minute=0, second=0, microsecond=0)) % CLOCK_STEP
            self.clock.advance(min(step, target - now))
            await self.rhythm.planner.tick(self.clock.now())
            await self.rhythm.worker.drain()
        self.write(f"It is now {await self._speaker_time()}.")

    async def _speaker_time(self) -> str:
        assert self.clock is not None
        zone = await self.zone_of(self.speaker)
        local = self.clock.now().astimezone(ZoneInfo(zone))
        return f"{local:%a %d %b %Y %H:%M} ({zone}, {self.identity().display_name}'s time)"

    def name_of(self, handle: str) -> str:
        person = self.people.get(handle)
        return person.name if person else handle.capitalize()

    async def standing(self, handle: str) -> str:
        """Where someone stands now, read from the store: a newcomer a lead has since added
        is on that team, so the label must not keep saying they are on none."""
        async with self.dispatcher.sessions() as session:
            member = await session.scalar(
                select(Member)
                .join(Workspace, Workspace.id == Member.workspace_id)
                .where(
                    Workspace.platform == Platform.CONSOLE,
                    Workspace.external_id == WORKSPACE_ID,
                    Member.platform_user_id == handle,
                )
            )
            teams = (
                [] if member is None else await teams_of(session, member.workspace_id, member.id)
            )
        if teams:
            return "" if handle in self.people else f" (on {', '.join(t.name for t in teams)})"
        return " (new here: on no team yet)" if handle not in self.people else ""

    async def zone_of(self, handle: str) -> str:
        """The time zone this person set (`me set tz`), else the one they started with."""
        async with self.dispatcher.sessions() as session:
            zone = await session.scalar(
                select(Member.time_zone)
                .join(Workspace, Workspace.id == Member.workspace_id)
                .where(
                    Workspace.platform == Platform.CONSOLE,
                    Workspace.external_id == WORKSPACE_ID,
                    Member.platform_user_id == handle,
                )
            )
        person = self.people.get(handle)
        return zone or (person.time_zone if person else self.default_time_zone)

    async def stamp(self, handle: str, whose: str) -> str:
        """ "Mon 10:00 their time, " in this person's zone; nothing without the demo clock."""
        if self.clock is None:
            return ""
        local = self.clock.now().astimezone(ZoneInfo(await self.zone_of(handle)))
        return f"{local:%a %H:%M} {whose}, "

    async def send(self, text: str) -> None:
        typed = isinstance(self.dispatcher.grammar.parse(text), Parsed)
        await self.show(await self.dispatcher.handle_text(self.identity(), text), typed=typed)

    async def show(self, replies: Sequence[Outgoing], typed: bool = False) -> None:
        """The answer, then what the command sent to others: the outbox drained at once, so
        "(direct message to Lea)" follows the command that sent it, buttons numbered on.

        A form opens when the person asked for one; a complete command refused with its form
        (`typed`) answers with the problem and offers the form, so nobody is kept in a form
        they did not ask for.
        """
        self.buttons = []
        self.offered = {}
        for reply in replies:
            if isinstance(reply, Form) and not (typed and _problem(reply)):
                await self.deliver()
                answered = await self.fill(reply)
                if isinstance(answered, Left):
                    self._next = answered.line
                elif answered is not None:
                    await self.show(answered)
                return
            if isinstance(reply, Form):
                self.offer(reply)
            else:
                self.show_message(reply)
        await self.deliver()

    def offer(self, form: Form) -> None:
        """A refused command's problem, and its form a number away, with what was typed."""
        self.write(_problem(form))
        self.buttons.append(Button(FILL_IN, form.command))  # holds its number in the row
        self.offered[len(self.buttons)] = form
        self.write(f"  [{len(self.buttons)}] {FILL_IN}")

    async def deliver(self) -> None:
        """Send what is due in the outbox: through the scheduler's worker in the demo, else
        through one of the chat's own (a scripted session with no scheduler)."""
        if self.rhythm is not None:
            await self.rhythm.worker.drain()
            return
        if self._worker is None:
            senders = {Platform.CONSOLE: ConsoleSender(self)}
            self._worker = Worker(self.dispatcher.sessions, senders, self.dispatcher.clock, 1000.0)
        await self._worker.drain()

    def show_message(self, message: Message) -> None:
        text, buttons = render_message(message, first_number=len(self.buttons) + 1)
        self.buttons += buttons
        self.write(text)
        for block in message.blocks:
            if isinstance(block, File | Image):
                self.save(block.name, block.data)

    def save(self, name: str, data: bytes) -> None:
        """Files (an export, a chart) land in ./exports, as a download would."""
        self.exports.mkdir(exist_ok=True)
        path = self.exports / Path(name).name
        path.write_bytes(data)
        self.write(f"  saved to {path}")

    async def fill(self, form: Form) -> list[Outgoing] | Left | None:
        """Ask each field in turn; None when the person cancels or input ends, Left when they
        typed a console command or a bot command instead of an answer."""
        self.write(f"\n== {form.title} ==")
        if form.intro:
            self.write(form.intro)
        self.write(
            "(Enter keeps the value in [brackets] or skips an optional field; :cancel stops; "
            "a command leaves the form.)"
        )
        values = dict(form.hidden)
        for field in form.fields:
            answer = await self.ask_field(field)
            if answer is None:
                self.write("Form cancelled; nothing was saved.")
                return None
            if isinstance(answer, Left):
                self.write(f"Left the form {form.title!r}; nothing was saved.")
                return answer
            if answer:
                values[field.name] = answer
        return await self.dispatcher.handle_form(self.identity(), form.command, values)

    async def ask_field(self, field: FormField) -> str | Left | None:
        self.write(readable(describe(field), self.name_of))
        for i, option in enumerate(field.options, 1):
            self.write(f"  [{i}] {option}")
        while True:
            line = await self.ask("  > ")
            if line is None or line.strip() == ":cancel":
                return None
            if line.strip().startswith(":"):
                return Left(line.strip())
            if line.strip() and await self.commanded(field, line.strip()):
                return Left(line.strip())
            answer = line.strip() or (field.value or "")
            problem = check(field, answer)
            if problem is None:
                return chosen(field, answer)
            self.write(f"  {problem}")

    async def commanded(self, field: FormField, answer: str) -> bool:
        """Whether a line typed for a field is a command rather than its answer (the rule:
        `fields.reading`). Prose that starts like a command is kept as the answer, and the
        person is told how to run the command instead; nothing is asked back, since a y/N
        question would take the next piped line as its answer."""
        outcome = self.dispatcher.grammar.parse(answer)
        taken = reading(field, answer, outcome)
        if taken is Reading.PROSE and isinstance(outcome, Parsed):
            name = outcome.syntax.name
            self.write(
                f'  (Kept as your answer, though it starts like the command "{name}"; '
                "to run that command instead, type :cancel and then the command.)"
            )
        return taken is Reading.COMMAND


def _problem(form: Form) -> str:
    """What was wrong, when the form comes back refused: the intro above the form's own."""
    own = form.hidden.get(FORM_INTRO, "")
    return form.intro.removesuffix(own).strip() if form.intro != own else ""
