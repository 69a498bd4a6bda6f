"""From an edge's view of a person and their words to the ritual's replies, in one transaction.

Slack, Teams and the console all call `Dispatcher`; it resolves who is speaking (creating the
workspace and member on first contact, and welcoming them once), parses through the one
grammar, runs the handler and commits once. Nothing raises to the user: an unexpected failure
rolls back and says so, quoting the person's words so nothing they typed is lost.

Only the answer to the person who asked goes back to the edge. Every message to anyone else (a
DM to the lead, a channel post) is written to the outbox in the same transaction as the rows it
speaks of, and the outbox worker sends it: a platform that fails to take it is retried there,
and never turns into "try again" for someone whose command was saved.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.grammar import Grammar, NeedsForm, Outcome, Parsed, Problem
from bot.payload import stored
from rituals.core import people
from rituals.core.context import Actor, Clock, Ctx
from rituals.core.messages import Audience, Code, Form, FormRequest, Message, Outgoing, Reply, say
from rituals.core.refusal import Refusal
from rituals.core.settings import RitualSettings, parse_window
from rituals.core.spec import by_command
from rituals.registry import RITUALS
from rituals.team import gate, onboarding
from storage.models import Member, Platform
from storage.outbox import OutboxRow, enqueue, recipients
from storage.people import NewMember, find_workspace, member_by_platform_id, speaking_member

log = logging.getLogger(__name__)

# The outbox's name for a message a command sent, as against a ritual's scheduled prompt.
REPLY = "reply"


@dataclass(frozen=True)
class Identity:
    """Who is speaking, and where, as the platform tells us."""

    platform: Platform
    workspace_external_id: str
    workspace_name: str
    user_id: str
    display_name: str
    time_zone: str
    working_days: str
    channel_id: str | None = None  # None in a direct message with the bot
    # The post the person acted on, in `channel_id`: where a reply `in_thread` goes.
    thread: str | None = None
    # False when the platform gave no name and `display_name` is a stand-in; the default time
    # zone when `time_zone` came from the platform and may replace it (see storage.people).
    name_known: bool = True
    time_zone_default: str | None = None


def new_member(who: Identity, work_hours: tuple[str, str] | None = None) -> NewMember:
    """The person as the store keeps them, with what the platform told us of them this time;
    `work_hours` are the deployment's (app.yaml), which a newcomer starts with."""
    return NewMember(
        who.user_id,
        who.display_name,
        who.time_zone,
        who.working_days,
        who.name_known,
        who.time_zone_default,
        work_hours,
    )


def for_asker(reply: Reply | Outgoing, asker: str) -> bool:
    """Whether a reply answers the person who asked (so goes back on the request's own path),
    rather than reaching someone, or somewhere, else through the outbox."""
    if not isinstance(reply, Message):
        return True
    if reply.audience is Audience.CHANNEL:
        return False
    if reply.audience is Audience.DM and reply.to is not None:
        return reply.to.platform_user_id == asker
    return True


# Typed words longer than this come back with a refusal, so nobody retypes a long story.
GIVE_BACK = 200


def given_back(words: str) -> list[Outgoing]:
    """A long command refused by the grammar, given back to copy, fix and send again."""
    if len(words) <= GIVE_BACK:
        return []
    return [say("Here is what you wrote, to copy and change: ", Code(words[:3900]))]


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        grammar: Grammar,
        clock: Clock,
        settings: RitualSettings,
    ) -> None:
        self.sessions = sessions
        self.grammar = grammar
        self.clock = clock
        self.settings = settings
        self.work_hours = parse_window(settings.people.work_hours)  # a newcomer's, from app.yaml
        self.rituals = by_command(RITUALS)
        # Set once an outbox worker runs in this process: what a command queued goes out now.
        self.wake: Callable[[], None] = lambda: None

    async def handle_text(
        self, who: Identity, text: str, mentioned: Sequence[Identity] = ()
    ) -> list[Outgoing]:
        """Run what someone typed. `mentioned` are people the platform vouched for in the text,
        made members first so a mention works before that person has spoken to the bot."""
        return await self._run(who, self.grammar.parse(text), text, mentioned)

    async def handle_form(
        self,
        who: Identity,
        command: str,
        values: Mapping[str, str],
        mentioned: Sequence[Identity] = (),
    ) -> list[Outgoing]:
        # What the person wrote: not the form's own bookkeeping (its intro, which fields it
        # showed), which they never typed and would not know what to do with.
        typed = {k: v for k, v in values.items() if not k.startswith("_")}
        echo = f"{command} " + " ".join(f"{k}={v!r}" for k, v in typed.items())
        outcome = self.grammar.from_form(command, values)
        return await self._run(who, outcome, echo, mentioned, submitted=values)

    async def greet(self, who: Identity) -> list[Outgoing]:
        """The app was installed or opened: welcome the person, once ever."""
        async with self.sessions() as session, session.begin():
            ctx = await self._ctx(session, who, "")
            mine, queued = await self._route(ctx, who, await onboarding.welcome_once(ctx))
        if queued:
            self.wake()
        return self._outgoing(mine)

    async def member_left(
        self, platform: Platform, workspace_external_id: str, user_id: str
    ) -> None:
        """The platform says this person left the workspace: stop everything to them."""
        async with self.sessions() as session, session.begin():
            workspace = await find_workspace(session, platform, workspace_external_id)
            if workspace is None:
                return
            member = await member_by_platform_id(session, workspace.id, user_id)
            if member is not None:
                await people.leave_workspace(session, member)

    async def _run(
        self,
        who: Identity,
        outcome: Outcome,
        words: str,
        mentioned: Sequence[Identity],
        submitted: Mapping[str, str] | None = None,
    ) -> list[Outgoing]:
        if isinstance(outcome, Problem):
            # A first "hello" is a first contact too: the person is made a member (so a lead
            # can add them) and welcomed, before being told what the bot did not understand.
            first = await self.greet(who)
            return [*first, self.grammar.problem_reply(outcome), *given_back(words)]
        if isinstance(outcome, NeedsForm):
            return [*await self.greet(who), *await self._form(who, outcome.form)]
        try:
            try:
                return await self._attempt(who, outcome, mentioned, submitted)
            except IntegrityError:
                # Two first messages from one person racing to create the same rows: the
                # loser finds them on its second try.
                return await self._attempt(who, outcome, mentioned, submitted)
        except Exception:
            log.exception("command failed: %s", outcome.syntax.name)
            return [
                say(
                    "Something broke on our side and nothing was saved. Here is what you wrote, "
                    "so you can send it again in a minute: ",
                    Code(words[:2900]),
                )
            ]

    async def _attempt(
        self,
        who: Identity,
        parsed: Parsed,
        mentioned: Sequence[Identity],
        submitted: Mapping[str, str] | None,
    ) -> list[Outgoing]:
        try:
            return await self._once(who, parsed, mentioned, submitted, None)
        except Refusal as refused:
            # Everything the command wrote is undone with its transaction. The person (made on
            # first contact) and their welcome are made again with the refusal's answer: the
            # rare refused command pays for that, not every command for a savepoint.
            return await self._once(who, parsed, mentioned, submitted, refused)

    async def _once(
        self,
        who: Identity,
        parsed: Parsed,
        mentioned: Sequence[Identity],
        submitted: Mapping[str, str] | None,
        refused: Refusal | None,
    ) -> list[Outgoing]:
        """One transaction: the command run, or, once refused, its refusal's answer."""
        async with self.sessions() as session, session.begin():
            ctx = await self._ctx(session, who, parsed.text)
            ctx = dataclasses.replace(ctx, ritual=self.rituals.get(parsed.syntax.name))
            for person in mentioned:
                await self._member(session, person)
            replies: Sequence[Reply | Outgoing]
            if refused is None:
                replies = await self._call(ctx, parsed)  # a Refusal rolls everything back
            else:
                replies = self._refused(refused, parsed, submitted)
            # After the command, so a first `team create` is welcomed as the team's lead.
            greeting = await onboarding.welcome_once(ctx)
            mine, queued = await self._route(ctx, who, [*greeting, *replies])
        if queued:
            self.wake()
        return self._outgoing(mine)

    async def _form(self, who: Identity, form: Form) -> list[Outgoing]:
        """An empty form to fill in, unless its ritual is switched off wherever the person is."""
        ritual = self.rituals.get(form.command)
        if ritual is None or not ritual.switchable:
            return [form]
        async with self.sessions() as session, session.begin():
            ctx = dataclasses.replace(await self._ctx(session, who, form.command), ritual=ritual)
            try:
                await gate.form_offered(ctx)
            except Refusal as refused:
                return self._outgoing(refused.replies)
        return [form]

    async def _route(
        self, ctx: Ctx, who: Identity, replies: Sequence[Reply | Outgoing]
    ) -> tuple[list[Reply | Outgoing], int]:
        """The replies for the asker; the rest written to the outbox in this transaction."""
        others = [r for r in replies if isinstance(r, Message) and not for_asker(r, who.user_id)]
        if others:
            await enqueue(ctx.session, await self._rows(ctx, who, others))
        return [r for r in replies if for_asker(r, who.user_id)], len(others)

    async def _rows(self, ctx: Ctx, who: Identity, messages: Sequence[Message]) -> list[OutboxRow]:
        workspace, now = ctx.actor.workspace_id, self.clock.now()
        dms = {m.to.platform_user_id for m in messages if m.to and m.audience is Audience.DM}
        members = await recipients(ctx.session, workspace, dms)
        rows = []
        for message in messages:
            thread = None
            if message.audience is Audience.DM and message.to is not None:
                target = message.to.platform_user_id
            else:
                # A post with no channel of its own goes where the person asked (or to them).
                target = message.channel_id or who.channel_id or who.user_id
                if message.in_thread and target == who.channel_id:
                    thread = who.thread
            rows.append(
                OutboxRow(
                    workspace,
                    who.platform,
                    target,
                    REPLY,
                    f"{REPLY}:{uuid.uuid4().hex}",
                    stored(message, thread),
                    now,
                    member_id=members.get(target) if message.audience is Audience.DM else None,
                )
            )
        return rows

    async def _call(self, ctx: Ctx, parsed: Parsed) -> list[Reply]:
        replies = await parsed.syntax.handler(ctx, parsed.command)
        if not replies:
            # Silence would leave the person guessing; treat it like any other failure.
            raise RuntimeError(f"{parsed.syntax.name} returned no reply")
        return replies

    def _refused(
        self, refused: Refusal, parsed: Parsed, submitted: Mapping[str, str] | None
    ) -> Sequence[Outgoing | FormRequest]:
        """The refusal's answer; for a form, the same form again with the problem on top,
        unless the answer is a choice to make (which team? which KPI?): its buttons carry the
        command with every value given, so the choice loses nothing."""
        if any(isinstance(r, Message) and r.actions for r in refused.replies):
            return refused.replies
        if refused.form is None and submitted is None:
            return refused.replies
        form = refused.form
        command = form.command if form else parsed.syntax.name
        # The submitted form says which fields it showed, when it is the one shown again.
        asked = submitted if submitted and command == parsed.syntax.name else {}
        return [self.grammar.form_again(command, asked, refused.problem, form, refused.field)]

    def _outgoing(self, replies: Sequence[Reply | Outgoing]) -> list[Outgoing]:
        """Form requests become the command's form, built by the grammar like any other."""
        out: list[Outgoing] = []
        for reply in replies:
            if isinstance(reply, FormRequest):
                syntax = self.grammar.find(reply.command)
                if syntax is None:
                    raise LookupError(f"a ritual asked for the form of unknown {reply.command!r}")
                out.append(
                    self.grammar.form_for(
                        syntax, reply.values, reply.intro, reply.required, reply.options
                    )
                )
            else:
                out.append(reply)
        return out

    async def _ctx(self, session: AsyncSession, who: Identity, text: str) -> Ctx:
        member = await self._member(session, who)
        actor = Actor(
            member.workspace_id,
            member.id,
            member.platform_user_id,
            member.display_name,
            who.channel_id,
        )
        return Ctx(session, actor, self.clock, self.settings, text, member=member)

    async def _member(self, session: AsyncSession, who: Identity) -> Member:
        return await speaking_member(
            session,
            who.platform,
            who.workspace_external_id,
            who.workspace_name,
            new_member(who, self.work_hours),
            self.clock.now(),
        )
