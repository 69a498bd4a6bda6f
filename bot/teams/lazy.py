"""Teams as the server holds it from start: botbuilder is loaded when it is first needed.

botbuilder, msrest, requests, msal, jwt and cryptography hold some 20 MiB resident, and an
idle Teams process used none of it: the adapter is needed only to take an activity at
/api/messages or to send an outbox row into Teams. So the server starts with this stand-in,
which loads `bot.teams.app` at the first of those (in a thread, about half a second, so the
loop keeps answering everything else meanwhile) and hands that and every later call to it.
Tokens are still checked from the first request on: the first one waits for the load.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import AppConfig, Settings
from bot.delivery import LATER_SECONDS
from bot.dispatch import Dispatcher
from bot.sender import CannotAsk, Later, Result
from bot.teams.pace import ConversationPace
from rituals.core.context import Clock
from storage.outbox import Claimed

if TYPE_CHECKING:
    from bot.teams.app import TeamsBot

log = logging.getLogger(__name__)


def _load() -> type[TeamsBot]:
    from bot.teams.app import TeamsBot

    return TeamsBot


class Teams:
    """The one Teams bot of a process, built at its first activity or send; shared after."""

    def __init__(
        self,
        settings: Settings,
        config: AppConfig,
        dispatcher: Dispatcher,
        engine: AsyncEngine,
        clock: Clock,
    ) -> None:
        self.settings = settings
        self.config = config
        self.dispatcher = dispatcher
        self.engine = engine
        self.clock = clock
        # Teams' limits per conversation, kept from start: the built bot paces with this one.
        self.pace = ConversationPace()
        self._bot: TeamsBot | None = None
        self._loading: asyncio.Future[TeamsBot] | None = None

    @property
    def loaded(self) -> bool:
        return self._bot is not None

    async def bot(self) -> TeamsBot:
        """The bot, built once; concurrent first callers all wait for the same build."""
        if self._bot is not None:
            return self._bot
        loading = self._loading
        if loading is None or (loading.done() and (loading.cancelled() or loading.exception())):
            # A build that failed (an import error, say) is tried again by the next caller.
            loading = self._loading = asyncio.ensure_future(self._build())
        return await asyncio.shield(loading)

    async def _build(self) -> TeamsBot:
        bot_class = await asyncio.to_thread(_load)
        self._bot = bot_class(
            self.settings, self.config, self.dispatcher, self.engine, self.clock, self.pace
        )
        return self._bot

    async def endpoint(self, request: web.Request) -> web.StreamResponse:
        return await (await self.bot()).endpoint(request)

    def sender(self) -> LazySender:
        return LazySender(self)

    async def close(self) -> None:
        if self._loading is not None and not self._loading.done():
            await asyncio.wait([self._loading])
        if self._bot is not None:
            await self._bot.close()


class LazySender:
    """The outbox's way into Teams, built with the bot at the first row it sends."""

    def __init__(self, teams: Teams) -> None:
        self.teams = teams

    async def send(self, item: Claimed) -> Result:
        try:
            bot = await self.teams.bot()
        except Exception as exc:
            # Nothing went out: the row waits, costing no attempt and raising no doubt, and
            # the next send tries the build again.
            log.exception("Teams could not be loaded; outbox %s waits", item.id)
            return Later(LATER_SECONDS, f"Teams could not be loaded: {type(exc).__name__}")
        return await bot.sender().send(item)

    async def delivered(self, item: Claimed) -> bool | None:
        try:
            bot = await self.teams.bot()
        except Exception as exc:
            raise CannotAsk(
                f"Teams could not be loaded: {type(exc).__name__}", LATER_SECONDS
            ) from exc
        return await bot.sender().delivered(item)
