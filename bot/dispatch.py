"""From an edge's view of a person and their words to the ritual's replies, in one transaction.

Slack, Teams and the console all call `Dispatcher`; it resolves who is speaking (creating the
workspace and member on first contact), parses through the one grammar, runs the handler and
commits once. Nothing raises to the user: an unexpected failure rolls back and says so, quoting
the person's words so nothing they typed is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.grammar import Grammar, NeedsForm, Outcome, Parsed, Problem
from rituals.context import Actor, Clock, Ctx, KpiSettings
from rituals.messages import Code, Reply, say
from storage.models import Platform
from storage.people import NewMember, ensure_member, ensure_workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    """Who is speaking, as the platform tells us."""

    platform: Platform
    workspace_external_id: str
    workspace_name: str
    user_id: str
    display_name: str
    time_zone: str
    working_days: str


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        grammar: Grammar,
        clock: Clock,
        kpi_settings: KpiSettings,
    ) -> None:
        self.sessions = sessions
        self.grammar = grammar
        self.clock = clock
        self.kpi_settings = kpi_settings

    async def handle_text(self, who: Identity, text: str) -> list[Reply]:
        return await self._run(who, self.grammar.parse(text), text)

    async def handle_form(
        self, who: Identity, command: str, values: Mapping[str, str]
    ) -> list[Reply]:
        echo = f"{command} " + " ".join(f"{k}={v!r}" for k, v in values.items())
        return await self._run(who, self.grammar.from_form(command, values), echo)

    async def _run(self, who: Identity, outcome: Outcome, words: str) -> list[Reply]:
        if isinstance(outcome, Problem):
            return [self.grammar.problem_reply(outcome)]
        if isinstance(outcome, NeedsForm):
            return [outcome.form]
        try:
            async with self.sessions() as session, session.begin():
                ctx = Ctx(session, await self._actor(session, who), self.clock, self.kpi_settings)
                return await self._call(ctx, outcome)
        except Exception:
            log.exception("command failed: %s", outcome.syntax.name)
            return [
                say(
                    "Something broke on our side and nothing was saved. Here is what you wrote, "
                    "so you can send it again in a minute: ",
                    Code(words[:2900]),
                )
            ]

    async def _call(self, ctx: Ctx, parsed: Parsed) -> list[Reply]:
        replies = await parsed.syntax.handler(ctx, parsed.command)
        if not replies:
            # Silence would leave the person guessing; treat it like any other failure.
            raise RuntimeError(f"{parsed.syntax.name} returned no reply")
        return replies

    async def _actor(self, session: AsyncSession, who: Identity) -> Actor:
        now = self.clock.now()
        workspace = await ensure_workspace(
            session, who.platform, who.workspace_external_id, who.workspace_name, now
        )
        person = NewMember(who.user_id, who.display_name, who.time_zone, who.working_days)
        member = await ensure_member(session, workspace.id, person, now)
        return Actor(workspace.id, member.id, member.platform_user_id, member.display_name)
