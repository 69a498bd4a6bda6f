"""What every request Slack sends to /slack/events has, checked before Bolt reads it.

Bolt and our listeners index payloads as Slack shapes them (`body["user"]["id"]`,
`event["type"]`); a body that is not UTF-8, not an object, or lacks those parts made them
raise, and the sender got a 500 and the log a traceback (Bolt parses a body before it checks
its signature, so anyone could). A request that fails here gets a 400 naming the problem.
One that passes is handed to Bolt as read here (bot.slack.http), not parsed a second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.internals import parse_body

from bot.inbound import holds_nul

# (path, the types Slack sends there, required): only what Bolt and our listeners rely on.
Rule = tuple[tuple[str | int, ...], tuple[type, ...], bool]
NAME: tuple[type, ...] = (str,)
# Slack's ids (T..., U..., C...): capitals and digits. Anything else would reach the store as a
# key (PostgreSQL refuses a NUL and anything over the column's 64 characters).
ID = re.compile(r"[A-Z0-9]{1,40}")
IDS = {"user_id", "team_id", "channel_id", "user.id", "team.id", "event.user"}
OPTIONAL_NAME: tuple[type, ...] = (str, type(None))

COMMAND: tuple[Rule, ...] = (
    (("user_id",), NAME, True),
    (("team_id",), NAME, True),
    (("channel_id",), OPTIONAL_NAME, False),
)
INTERACTION: tuple[Rule, ...] = (
    (("type",), NAME, True),
    (("user",), (dict,), True),
    (("user", "id"), NAME, True),
    (("team",), (dict, type(None)), False),
    (("team", "id"), NAME, False),
    (("response_url",), OPTIONAL_NAME, False),
    (("trigger_id",), OPTIONAL_NAME, False),
)
ACTIONS: tuple[Rule, ...] = (
    (("actions",), (list,), True),
    (("actions", 0), (dict,), True),
    (("actions", 0, "action_id"), NAME, True),
    (("actions", 0, "value"), OPTIONAL_NAME, False),
    (("channel",), (dict, type(None)), False),
    (("container",), (dict, type(None)), False),
)
VIEW: tuple[Rule, ...] = (
    (("view",), (dict,), True),
    (("view", "callback_id"), NAME, True),
    (("view", "private_metadata"), OPTIONAL_NAME, False),
    (("view", "state"), (dict, type(None)), False),
)
EVENT: tuple[Rule, ...] = (
    (("event",), (dict,), True),
    (("event", "type"), NAME, True),
    (("event", "user"), (str, dict), False),
    (("event", "text"), OPTIONAL_NAME, False),
    (("event", "channel"), OPTIONAL_NAME, False),
    (("event_id",), NAME, False),
    (("team_id",), NAME, False),
    (("authorizations",), (list,), False),
)

# Events a person causes: they name that person.
BY_A_PERSON: tuple[Rule, ...] = ((("event", "user"), NAME, True),)
PERSON_EVENTS = ("app_mention", "app_home_opened")


class Malformed(ValueError):
    """A body Slack never sends; the message names the problem in a few words."""


@dataclass(frozen=True, slots=True)
class Payload:
    """A body read once, as Bolt would read it: handed to Bolt as it is, so Bolt neither parses
    it again nor reads its ids again."""

    text: str  # as sent, decoded
    body: dict[str, Any]
    context: AsyncBoltContext  # Bolt's reading of its ids (team, person, channel, response_url)


def read(raw: bytes, content_type: str | None) -> Payload:
    """The body of a request Slack could have sent; `Malformed` when it could not be one."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("the body is not UTF-8") from None
    try:
        body: Any = parse(text, content_type)
    except ValueError:  # json's errors, a form's bad payload included
        raise Malformed("the body is not a Slack payload") from None
    if not isinstance(body, dict):
        raise Malformed("a Slack payload is a JSON object")
    if holds_nul(body):
        raise Malformed("the payload holds a NUL character")
    context = _bolt_context(body)
    _check(body, _rules(body))
    return Payload(text, body, context)


def problem(raw: bytes, content_type: str | None) -> str | None:
    """Why this body is not one Slack sends, in a few words; None when it could be."""
    try:
        read(raw, content_type)
    except Malformed as malformed:
        return str(malformed)
    return None


def parse(text: str, content_type: str | None) -> Any:
    """The body as Bolt reads it, but for one slip: Bolt takes any form with the word
    "payload" in it for an interaction's and, finding no payload field, reads it as empty, so a
    slash command whose text said "payload" was answered 404 ("dispatch_failed" in Slack)."""
    body = parse_body(text, content_type)
    if body == {} and "payload" in text and content_type != "application/json":
        body = dict(parse_qsl(text, keep_blank_values=True))
    return body


# What Bolt reads from any payload (its team, person, channel...), to authorize and route it.
CONTEXT_IDS = ("enterprise_id", "team_id", "user_id", "channel_id", "actor_team_id")


def _bolt_context(body: dict[str, Any]) -> AsyncBoltContext:
    """Bolt's own reading of the ids, done first: where it would raise (an `authorizations`
    of nulls, a `team` that is a number), or find ids that are not Slack's, we refuse."""
    try:
        context = build_async_context(AsyncBoltContext({}), body)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        raise Malformed("the payload is not shaped as Slack sends it") from None
    for key in CONTEXT_IDS:
        value = context.get(key)
        if value is not None and not (isinstance(value, str) and ID.fullmatch(value)):
            raise Malformed(f"the payload's {key} is not a Slack id")
    return context


def _rules(body: dict[str, Any]) -> tuple[Rule, ...]:
    kind = body.get("type")
    if "command" in body:
        return COMMAND
    if kind == "event_callback":
        event = body.get("event")
        person = isinstance(event, dict) and event.get("type") in PERSON_EVENTS
        return EVENT + BY_A_PERSON if person else EVENT
    if kind in ("block_actions", "interactive_message"):
        return INTERACTION + ACTIONS
    if kind in ("view_submission", "view_closed"):
        return INTERACTION + VIEW
    if "user" in body or kind in ("shortcut", "message_action", "block_suggestion"):
        return INTERACTION
    return ()


def _check(body: dict[str, Any], rules: tuple[Rule, ...]) -> None:
    for path, kinds, required in rules:
        found, value = _at(body, path)
        if not found:
            if required:
                raise Malformed(f"the payload has no {_name(path)}")
            continue
        if not isinstance(value, kinds) or (kinds == NAME and not value):
            raise Malformed(f"the payload's {_name(path)} is not what Slack sends")
        if _name(path) in IDS and isinstance(value, str) and not ID.fullmatch(value):
            raise Malformed(f"the payload's {_name(path)} is not a Slack id")


def _at(body: Any, path: tuple[str | int, ...]) -> tuple[bool, Any]:
    for key in path:
        if isinstance(key, int):
            if not isinstance(body, list) or len(body) <= key:
                return False, None
        elif not isinstance(body, dict) or key not in body:
            return False, None
        body = body[key]
    return True, body


def _name(path: tuple[str | int, ...]) -> str:
    return ".".join(str(key) for key in path)
