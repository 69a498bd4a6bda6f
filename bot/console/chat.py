"""A chat with the bot in the terminal, like errbot's text backend, but with our whole product.

It reads lines from any source (a terminal or a piped script), so a session can be tried by
hand or replayed in a test. `:as lea` switches who is speaking, so a lead and a member can both
be tried. Forms are asked one field at a time.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.console.demo import PEOPLE, WORKSPACE_ID, WORKSPACE_NAME, DemoPerson
from bot.console.render import render_message
from bot.delivery import Result, Sent, Worker
from bot.dispatch import REPLY, Dispatcher, Identity
from bot.grammar import parse_people
from bot.payload import decode
from bot.scheduler import Scheduling
from rituals.core.context import ShiftedClock
from rituals.core.messages import (
    Actions,
    Button,
    FieldKind,
    File,
    Form,
    FormField,
    Image,
    Message,
    Outgoing,
)
from storage.models import Platform
from storage.outbox import Claimed

ReadLine = Callable[[], Awaitable[str | None]]

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


def stdin_reader(stream: TextIO = sys.stdin) -> ReadLine:
    """Lines from a stream, read by a daemon thread so Ctrl-C never waits for Enter.

    Call it inside the running loop. After the end of input every read returns None.
    """
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        try:
            for line in iter(stream.readline, ""):
                loop.call_soon_threadsafe(lines.put_nowait, line.rstrip("\n"))
            loop.call_soon_threadsafe(lines.put_nowait, None)
        except RuntimeError:  # the loop closed while we waited for input: nothing to deliver
            return

    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    ended = False

    async def read() -> str | None:
        nonlocal ended
        if ended:
            return None
        line = await lines.get()
        ended = line is None
        return line

    return read


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
            where = f" in #{self.channel}" if self.channel else ""
            line = await self.ask(f"{self.speaker}{where}> ")
            if line is None:
                return
            line = line.strip()
            if not line:
                continue
            if line.startswith(":clock"):
                await self.move_clock(line.removeprefix(":clock").strip())
                continue
            if line.startswith(":"):
                if not self.meta(line):
                    return
                continue
            command = self.pressed(line)
            if command != "":
                await self.send(command or line)

    def pressed(self, line: str) -> str | None:
        """A bare number presses that button of the last reply."""
        if not (line.isdecimal() and line.isascii()):
            return None
        if 1 <= int(line) <= len(self.buttons):
            command = self.buttons[int(line) - 1].command
            self.write(f"  -> {command}")
            return command
        shown = f"1 to {len(self.buttons)}" if self.buttons else "none"
        self.write(f"  (There is no button {line} on the last reply; buttons shown: {shown}.)")
        return ""

    def meta(self, line: str) -> bool:
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
            newcomer = "" if handle in self.people else " (new here: on no team yet)"
            self.write(f"You are now {self.identity().display_name}{newcomer}.")
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
            self.write(f"It is {self._speaker_time()}. Move it with ':clock +7d'.")
            return
        delta = timedelta(**{SPANS[match.group(2)]: int(match.group(1))}) if match else None
        if delta is None or not CLOCK_STEP <= delta <= CLOCK_LIMIT:
            self.write(
                "Say how far to move, 15 minutes to 31 days ahead: ':clock +30m', ':clock +2h', "
                "':clock +1d', ':clock +1w'."
            )
            return
        target = self.clock.now() + delta
        while (now := self.clock.now()) < target:
            # Step on the quarter hours, so a 10:00 prompt shows up at 10:00.
            step = CLOCK_STEP - (now - now.replace(minute=0, second=0, microsecond=0)) % CLOCK_STEP
            self.clock.advance(min(step, target - now))
            await self.rhythm.planner.tick(self.clock.now())
            await self.rhythm.worker.drain()
        self.write(f"It is now {self._speaker_time()}.")

    def _speaker_time(self) -> str:
        assert self.clock is not None
        who = self.identity()
        local = self.clock.now().astimezone(ZoneInfo(who.time_zone))
        return f"{local:%a %d %b %Y %H:%M} ({who.time_zone}, {who.display_name}'s time)"

    async def send(self, text: str) -> None:
        await self.show(await self.dispatcher.handle_text(self.identity(), text))

    async def show(self, replies: Sequence[Outgoing]) -> None:
        """The answer, then what the command sent to others: the outbox drained at once, so
        "(direct message to Lea)" follows the command that sent it, buttons numbered on."""
        self.buttons = []
        for reply in replies:
            if isinstance(reply, Form):
                await self.deliver()
                answered = await self.fill(reply)
                if answered is not None:
                    await self.show(answered)
                return
            self.show_message(reply)
        await self.deliver()

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

    async def fill(self, form: Form) -> list[Outgoing] | None:
        """Ask each field in turn; None when the person cancels or input ends."""
        self.write(f"\n== {form.title} ==")
        if form.intro:
            self.write(form.intro)
        self.write(
            "(Enter keeps the value in [brackets] or skips an optional field; :cancel stops.)"
        )
        values = dict(form.hidden)
        for field in form.fields:
            answer = await self.ask_field(field)
            if answer is None:
                self.write("Form cancelled; nothing was saved.")
                return None
            if answer:
                values[field.name] = answer
        return await self.dispatcher.handle_form(self.identity(), form.command, values)

    async def ask_field(self, field: FormField) -> str | None:
        self.write(_describe(field))
        for i, option in enumerate(field.options, 1):
            self.write(f"  [{i}] {option}")
        while True:
            line = await self.ask("  > ")
            if line is None or line.strip() == ":cancel":
                return None
            answer = line.strip() or (field.value or "")
            problem = _check(field, answer)
            if problem is None:
                return _chosen(field, answer)
            self.write(f"  {problem}")


def _describe(field: FormField) -> str:
    # A hint may say "optional" itself ("optional; a symbol, never money"): once is enough.
    said = {part.strip().lower() for part in field.hint.split(";")}
    notes = [] if field.required or "optional" in said else ["optional"]
    if field.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT):
        notes.append(f"up to {field.max_length} characters")
    if field.kind is FieldKind.PERSON:
        notes.append("@name")
    if field.kind is FieldKind.PEOPLE:
        notes.append(f"@names like @ana @ben, up to {field.max_length}")
    if field.hint:
        notes.insert(0, field.hint)
    current = f" [{field.value}]" if field.value else ""
    return f"{field.label} ({'; '.join(notes)}){current}" if notes else field.label + current


def _check(field: FormField, answer: str) -> str | None:
    """What is wrong with an answer that the form itself can tell, before submitting."""
    if not answer:
        return "This one is needed." if field.required else None
    if field.kind is FieldKind.PEOPLE:
        # Counted as the grammar will split them, since max_length here counts people.
        named = len(parse_people(answer))
        if not named and field.required:
            return "Name at least one person, like @ana."
        if named > field.max_length:
            return f"That is {named} people; name at most {field.max_length}."
        return None
    if len(answer) > field.max_length:
        return f"That is {len(answer)} characters; keep it to {field.max_length}."
    if field.options and _chosen(field, answer) not in field.options:
        return f"Pick a number from 1 to {len(field.options)}, or type one of the options."
    return None


def _chosen(field: FormField, answer: str) -> str:
    number = answer.isdecimal() and answer.isascii()
    if field.options and number and 1 <= int(answer) <= len(field.options):
        return field.options[int(answer) - 1]
    return answer.lower() if field.options else answer


class ConsoleSender:
    """The outbox's way into the console: a nudge is printed, addressed and time-stamped; a
    command's message to someone else as it was said."""

    def __init__(self, chat: ConsoleChat) -> None:
        self.chat = chat

    async def send(self, item: Claimed) -> Result:
        message = decode(item.payload)
        if item.ritual == REPLY:
            # A command's message to someone else: shown as part of its answer, and its buttons
            # numbered with the answer's, so `:as ben` then `1` presses Ben's.
            self.chat.show_message(message)
            return Sent()
        person = self.chat.people.get(item.target)
        name = person.name if person else item.target.capitalize()
        when = ""
        if self.chat.clock is not None:
            zone = ZoneInfo(person.time_zone if person else self.chat.default_time_zone)
            when = f"{self.chat.clock.now().astimezone(zone):%a %H:%M} their time, "
        self.chat.write(f"\n-- nudge: {when}DM to {name} --")
        if item.target == self.chat.speaker:
            self.chat.buttons = []
            self.chat.show_message(message)
        else:  # someone else's buttons are theirs to press: show what it says, not them
            blocks = tuple(b for b in message.blocks if not isinstance(b, Actions))
            self.chat.write(render_message(replace(message, blocks=blocks))[0])
        return Sent()

    async def delivered(self, item: Claimed) -> bool | None:
        return None  # a terminal keeps no history to ask
