"""What the Bolt app does with each request: commands, buttons, modals and events, all through
the one dispatcher.

A slash command runs before its ack (Bolt answers when the listener returns): when its answer
is ready within `answer_within` seconds and fits one ephemeral message, it travels in the ack
itself, visible at once and with no second HTTP call; otherwise the ack goes out empty and the
same running work is delivered after it, through the backlog. At most `running` commands work at
once, so a burst waits in line for the database instead of crowding the event loop. Every other
listener acknowledges first and works after, so Slack hears back within its 3 seconds however
slow the work; a modal submission's answer (close, or show the form again with the problem)
must travel in the acknowledgement itself.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import AppConfig
from bot.dispatch import Dispatcher, Identity
from bot.slack import store
from bot.slack.backlog import Backlog, Job
from bot.slack.deliver import Courier, Place, Places, one_ephemeral
from bot.slack.middleware import BodyMiddleware
from bot.slack.people import Directory, Stranger
from bot.slack.render import (
    BUTTON_ACTION,
    FORM_CALLBACK,
    FormOrigin,
    form_values,
    render_home,
    render_unreadable_form,
)
from bot.slack.render import render_modal as modal
from rituals.core.context import Clock
from rituals.core.messages import Form, Message, Outgoing, say
from storage.models import Platform

log = logging.getLogger(__name__)

STRANGER = say(
    "kpi-coach works for the people of the workspace that installed it, and you are a guest "
    "here. Ask your own workspace's admin to install it for your team."
)


class Listeners:
    """What the bot does with each request Slack sends: a command's quick answer in its ack,
    the rest of the work after the ack in the backlog; failures reach the person as one line
    they can quote."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        config: AppConfig,
        engine: AsyncEngine,
        clock: Clock,
        backlog: Backlog,
        places: Places,
        *,
        running: int,
        answer_within: float,
    ) -> None:
        self.dispatcher = dispatcher
        self.engine = engine
        self.clock = clock
        self.slash = config.commands.slash
        self.directory = Directory(config.people)
        self.courier = Courier(dispatcher.grammar)
        self.backlog = backlog
        self.places = places
        self.running = asyncio.Semaphore(running)
        self.answer_within = answer_within

    def attach(self, app: AsyncApp, *, oauth: bool) -> None:
        """Every listener on the Bolt app; with OAuth, Bolt's own removal of revoked tokens."""
        app.middleware(BodyMiddleware(self._once_per_event))
        app.command(self.slash)(self._on_command)
        app.action(BUTTON_ACTION)(self._on_button)
        app.action(re.compile(".*"))(self._on_stale_button)
        app.view_submission(FORM_CALLBACK)(self._on_submit)
        app.view_closed(FORM_CALLBACK)(self._ack_only)
        app.event("app_home_opened")(self._on_home_opened)
        app.event("app_mention")(self._on_mention)
        app.event("message")(self._on_message)
        app.event("user_change")(self._on_user_change)
        if oauth:
            app.enable_token_revocation_listeners()
        else:
            # One workspace, one token from the environment: there is nothing stored to remove.
            app.event("app_uninstalled")(self._on_uninstalled)
            app.event("tokens_revoked")(self._on_uninstalled)
        app.error(self._on_error)

    async def _once_per_event(
        self, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Slack retries events it thinks we missed; the first arrival wins on every replica."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await store.first_sighting(self.engine, event_id, self.clock.now()):
            log.info("event %s already handled; retry ignored", event_id)
            return BoltResponse(status=200, body="")
        await next()
        return None

    async def _on_command(
        self, ack: Callable[..., Awaitable[None]], command: dict[str, Any], client: AsyncWebClient
    ) -> None:
        trigger = command.get("trigger_id")
        place = self.places.at(
            client,
            command["user_id"],
            command.get("channel_id"),
            command.get("response_url"),
            trigger,
        )
        team = command["team_id"], command.get("team_domain") or command["team_id"]
        work = asyncio.create_task(self._replies(place, team, command.get("text") or ""))
        # Time spent in line for `running` counts: a long line acks empty and answers after.
        await asyncio.wait({work}, timeout=self.answer_within)
        if not work.done():
            # Slow: the same work goes on; the backlog delivers it when it is done. The ack,
            # already late, does not wait for room in a full backlog as well.
            await ack()
            self.backlog.push(
                self._reported(
                    place, trigger, lambda: self._deliver_when_done(work, place, trigger)
                )
            )
            return
        replies = self._outcome(work, place, trigger)
        answer = one_ephemeral(replies)
        if answer is not None:
            await ack(response_type="ephemeral", text=answer.text, blocks=answer.blocks)
            return
        await ack()  # a modal, an upload, several messages: sent as before, after the ack
        await self._after_ack(place, trigger, lambda: self.courier.deliver(replies, place))

    async def _on_button(
        self, ack: Callable[..., Awaitable[None]], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        action = body["actions"][0]
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id"
        )
        place = self.places.at(
            client,
            body["user"]["id"],
            channel,
            body.get("response_url"),
            body.get("trigger_id"),
        )
        container = body.get("container") or {}
        if container.get("type") == "message":
            place.thread_ts = container.get("thread_ts") or container.get("message_ts")
        team = _team(body)
        from_home = (body.get("view") or {}).get("type") == "home"
        await self._after_ack(
            place,
            body.get("trigger_id"),
            lambda: self._run_text(place, team, action.get("value") or "", from_home),
        )

    async def _on_stale_button(
        self, ack: Callable[..., Awaitable[None]], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """A button this version of the bot did not draw: say so rather than do nothing."""
        await ack()
        place = self.places.at(client, body["user"]["id"], None, body.get("response_url"), None)
        reply = say(
            "That button belongs to an older message and no longer does anything. ",
            f"Type {self.slash} help to see what you can do now.",
        )
        await self._after_ack(
            place, body.get("trigger_id"), lambda: self.courier.deliver([reply], place)
        )

    async def _on_submit(
        self, ack: Callable[..., Awaitable[None]], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        view = body["view"]
        try:
            origin = FormOrigin.decode(view.get("private_metadata") or "")
        except ValueError as exc:
            log.warning("slack: a submitted form is not one of ours: %s", str(exc)[:120])
            typed = form_values(view.get("state") or {})
            await ack(response_action="update", view=render_unreadable_form(typed, self.slash))
            return
        values = {**origin.hidden, **form_values(view.get("state") or {})}
        user_id = body["user"]["id"]
        team_id, team_name = _team(body)
        place = self.places.at(client, user_id, origin.channel_id, origin.response_url, None)
        place.thread_ts = origin.thread_ts
        try:
            who = await self._identity(place, (team_id, team_name))
            mentioned = await self.directory.mentioned(
                client, team_id, team_name, " ".join(values.values())
            )
            replies = await self.dispatcher.handle_form(who, origin.command, values, mentioned)
        except Exception as exc:
            await ack()
            await self._report(place, body.get("trigger_id"), exc)
            return
        form = next((r for r in replies if isinstance(r, Form)), None)
        if form is not None:
            # The same modal again, values kept and the problem on top; or the next form.
            then = FormOrigin(
                form.command, form.hidden, origin.channel_id, origin.response_url, origin.thread_ts
            )
            await ack(response_action="update", view=modal(form, then))
        else:
            await ack()
        rest = [r for r in replies if r is not form]
        await self._after_ack(
            place, body.get("trigger_id"), lambda: self.courier.deliver(rest, place)
        )

    async def _ack_only(self, ack: Callable[..., Awaitable[None]]) -> None:
        await ack()

    async def _on_home_opened(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        if event.get("tab") != "home":
            return
        place, team = self.places.at(client, event["user"], None, None, None), _team(body)
        await self._after_ack(
            place, body.get("event_id"), lambda: self._home(place, team, greet=True)
        )

    async def _on_mention(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        bot = context.get("bot_user_id") or ""
        text = re.sub(rf"^\s*<@{re.escape(bot)}(\|[^>]*)?>[\s:,]*", "", event.get("text") or "")
        place, team = (
            self.places.at(client, event["user"], event.get("channel"), None, None),
            _team(body),
        )
        await self._after_ack(
            place, body.get("event_id"), lambda: self._run_text(place, team, text)
        )

    async def _on_message(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """A DM to the bot is a command without the slash; edits, bots and channels are not."""
        if (
            event.get("channel_type") != "im"
            or event.get("subtype")
            or event.get("bot_id")
            or not event.get("user")
        ):
            return
        place, team = (
            self.places.at(client, event["user"], event.get("channel"), None, None),
            _team(body),
        )
        text = event.get("text") or ""
        await self._after_ack(
            place, body.get("event_id"), lambda: self._run_text(place, team, text)
        )

    async def _on_user_change(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        user = event.get("user") or {}
        team_id = _team(body)[0]
        self.directory.learn(team_id, user)
        if user.get("deleted"):
            await self.dispatcher.member_left(Platform.SLACK, team_id, str(user["id"]))

    async def _on_uninstalled(self, body: dict[str, Any]) -> None:
        log.info("Slack says %s in %s; remove SLACK_BOT_TOKEN", body["event"]["type"], _team(body))

    async def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        log.error("slack request failed: %s: %s", type(error).__name__, error, exc_info=error)

    # --- work ---------------------------------------------------------------------------------

    async def _identity(self, place: Place, team: tuple[str, str]) -> Identity:
        who = await self.directory.identity(
            place.client, team[0], team[1], place.user_id, place.channel_id
        )
        return dataclasses.replace(who, thread=place.thread_ts)

    async def _replies(self, place: Place, team: tuple[str, str], text: str) -> list[Outgoing]:
        """What the bot answers to the text; at most `running` of these work at once, the rest
        wait in line (first come, first served) for a database connection's worth of room."""
        async with self.running:
            who = await self._identity(place, team)
            mentioned = await self.directory.mentioned(place.client, team[0], team[1], text)
            return await self.dispatcher.handle_text(who, text, mentioned)

    def _outcome(
        self, work: asyncio.Task[list[Outgoing]], place: Place, request_id: str | None
    ) -> list[Outgoing]:
        """A finished command's replies, or the one line that says it failed (or was cut off:
        a cancelled task must not take a backlog worker down with it)."""
        exc = asyncio.CancelledError() if work.cancelled() else work.exception()
        return work.result() if exc is None else [self._failure(place, request_id, exc)]

    async def _deliver_when_done(
        self, work: asyncio.Task[list[Outgoing]], place: Place, request_id: str | None
    ) -> None:
        await asyncio.wait({work})
        await self.courier.deliver(self._outcome(work, place, request_id), place)

    async def _run_text(
        self, place: Place, team: tuple[str, str], text: str, refresh_home: bool = False
    ) -> None:
        await self.courier.deliver(await self._replies(place, team, text), place)
        if refresh_home:
            await self._home(place, team, greet=False)

    async def _home(self, place: Place, team: tuple[str, str], greet: bool) -> None:
        who = await self._identity(place, team)
        if greet:
            # No channel and no response_url here: the welcome goes to the person's DM.
            await self.courier.deliver(await self.dispatcher.greet(who), place)
        replies = await self.dispatcher.handle_text(who, "home")
        home = replies[-1]
        assert isinstance(home, Message)
        await place.client.views_publish(user_id=place.user_id, view=render_home(home))

    async def _after_ack(self, place: Place, request_id: str | None, work: Job) -> None:
        """Queue the work for after the ack; a failure in it is reported, never silent. When
        the backlog is full this waits for room, and so does the ack: Slack's requests slow
        down instead of piling up in memory."""
        await self.backlog.put(self._reported(place, request_id, work))

    def _reported(self, place: Place, request_id: str | None, work: Job) -> Job:
        async def job() -> None:
            try:
                await work()
            except Exception as exc:
                await self._report(place, request_id, exc)

        return job

    async def _report(self, place: Place, request_id: str | None, exc: BaseException) -> None:
        reply = self._failure(place, request_id, exc)
        try:
            await self.courier.deliver([reply], place)
        except Exception:
            log.exception("could not tell %s about request %s", place.user_id, request_id)

    def _failure(self, place: Place, request_id: str | None, exc: BaseException) -> Message:
        """A failure reaches the log in full and the person in one short line they can quote."""
        ref = (request_id or uuid.uuid4().hex)[-8:]
        if isinstance(exc, Stranger):
            log.info("slack request %s from %s, not a person of this workspace", ref, exc)
            return STRANGER
        log.error("slack request %s from %s failed", request_id or ref, place.user_id, exc_info=exc)
        return say(
            "Something went wrong on our side while answering you. ",
            f"Please try again in a minute (reference {ref}).",
        )


def _team(body: dict[str, Any]) -> tuple[str, str]:
    """(team id, a name for it): interactions carry the domain, events only the id."""
    team = body.get("team")
    if isinstance(team, dict):
        return str(team["id"]), str(team.get("domain") or team["id"])
    team_id = str(body.get("team_id") or (body.get("user") or {}).get("team_id") or "")
    return team_id, team_id
