"""The outbox's way into the console: what the worker sends, printed where it belongs."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.dispatch import REPLY
from bot.payload import decode
from bot.sender import Result, Sent
from rituals.core.messages import Actions, Audience, Message
from storage.outbox import Claimed

if TYPE_CHECKING:
    from bot.console.chat import ConsoleChat


class ConsoleSender:
    """A nudge is printed addressed and time-stamped (in its reader's own time zone, as they
    set it); a team's post as a post in its channel; a command's message to someone else as
    it was said."""

    def __init__(self, chat: ConsoleChat) -> None:
        self.chat = chat

    async def send(self, item: Claimed) -> Result:
        message = decode(item.payload)
        if item.ritual == REPLY:
            # A command's message to someone else: shown as part of its answer, its buttons
            # numbered on from the answer's when they are the speaker's and left out when not,
            # so a number never presses someone else's.
            mine = message.audience is not Audience.DM or item.target == self.chat.speaker
            self.chat.show_message(message if mine else _without_buttons(message))
            return Sent()
        if message.audience is Audience.CHANNEL:
            when = await self.chat.stamp(self.chat.speaker, "your time")
            self.chat.write(f"\n-- post: {when}in #{item.target} --")
            # Anyone in the channel may press a post's buttons (a ballot's, say).
            self.chat.show_message(message)
            return Sent()
        name = self.chat.name_of(item.target)
        when = await self.chat.stamp(item.target, "their time")
        self.chat.write(f"\n-- nudge: {when}DM to {name} --")
        message = replace(message, to=None)  # the line above says whom it is for, once
        # Numbered on from what was shown with it, so two nudges at once share no number.
        if item.target == self.chat.speaker:
            self.chat.show_message(message)
        else:  # someone else's buttons are theirs to press: show what it says, not them
            self.chat.show_message(_without_buttons(message))
        return Sent()

    async def delivered(self, item: Claimed) -> bool | None:
        return None  # a terminal keeps no history to ask


def _without_buttons(message: Message) -> Message:
    """What a message says, without the buttons only its reader may press."""
    return replace(message, blocks=tuple(b for b in message.blocks if not isinstance(b, Actions)))
