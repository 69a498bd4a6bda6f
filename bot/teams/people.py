"""Who is speaking in a Teams activity, and who they mentioned.

A person is their AAD object id (the same in every chat and team of the tenant); the tenant is
the workspace. Mentions arrive as `<at>Name</at>` with the person's Teams id: those are looked
up once (an hour's cache) for their AAD id, and handed to the grammar as `<@aad-id|Name>`, the
same shape Slack's escaped mentions have, so one grammar reads both.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity

from bot.dispatch import Identity
from bot.teams.send import judge, with_retries
from bot.teams.typed import defused
from storage.models import Platform

log = logging.getLogger(__name__)

CACHE_SECONDS = 3600
MAX_MENTIONS = 20
EMULATOR_TENANT = "local"
GROUPS = {"channel", "groupChat"}
STAND_IN = "someone"  # a person's name until an activity carries theirs


@dataclass(frozen=True)
class Said:
    """A message's text for the grammar, and the people it mentioned."""

    text: str
    mentioned: list[Identity]
    # Each mentioned person's Teams id by AAD id: enough to open a chat with them later.
    teams_ids: dict[str, str]


def tenant_of(activity: Activity) -> str:
    """The tenant Teams names in channelData, or the conversation's `tenantId` (which botbuilder
    keeps only among unknown properties: its schema spells it `tenantID`)."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    conversation = activity.conversation
    tenant = (data.get("tenant") or {}).get("id") or _extra(conversation).get("tenantId")
    return str(tenant or getattr(conversation, "tenant_id", None) or EMULATOR_TENANT)


def channel_of(activity: Activity) -> str | None:
    """The channel (or group chat) a message came from; None in a chat with the bot alone,
    including the Emulator's, which names no conversation type."""
    conversation = activity.conversation
    kind = getattr(conversation, "conversation_type", None)
    if kind not in GROUPS or conversation is None:
        return None
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    channel = (data.get("channel") or {}).get("id") or data.get("teamsChannelId")
    return str(channel or conversation.id.split(";", 1)[0])


def channel_name_of(activity: Activity) -> str | None:
    """The channel's name as Teams gives it in channelData. A team's first channel comes
    unnamed: its id is the team's, and Teams calls it "General" everywhere."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    channel = data.get("channel") or {}
    name = " ".join(str(channel.get("name") or "").split())[:120]
    if name:
        return name
    team = data.get("team") or {}
    return "General" if channel.get("id") and channel.get("id") == team.get("id") else None


def _time_zone(activity: Activity) -> str | None:
    """The client's time zone (`localTimezone`, or the clientInfo entity's), if it named a
    real one."""
    named = activity.local_timezone
    for entity in activity.entities or []:
        if (entity.type or "").lower() == "clientinfo":
            named = named or _extra(entity).get("timezone")
    try:
        return str(ZoneInfo(str(named))) if named else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _extra(entity: Any) -> dict[str, Any]:
    extra = getattr(entity, "additional_properties", None)
    return extra if isinstance(extra, dict) else {}


def identity_of(activity: Activity, default_time_zone: str, working_days: str) -> Identity:
    person = activity.from_property
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = tenant_of(activity)
    zone = _time_zone(activity)
    name = " ".join(str(person.name or "").split())[:120]
    return Identity(
        platform=Platform.TEAMS,
        workspace_external_id=tenant,
        workspace_name=str((data.get("team") or {}).get("name") or tenant),
        user_id=str(person.aad_object_id or person.id),
        display_name=name or STAND_IN,
        time_zone=zone or default_time_zone,
        working_days=working_days,
        channel_id=channel_of(activity),
        # Installs and conversation updates often carry no name: a later message will.
        name_known=bool(name),
        time_zone_default=default_time_zone if zone else None,
    )


class Directory:
    """Teams ids to AAD object ids, asked of Teams once an hour per person."""

    def __init__(self, default_time_zone: str, working_days: str) -> None:
        self.default_time_zone = default_time_zone
        self.working_days = working_days
        self._known: dict[tuple[str, str], tuple[float, Identity | None]] = {}

    async def read(self, turn: TurnContext) -> Said:
        """The text with the bot's own mention removed and everyone else's made an id."""
        activity = turn.activity
        text = defused(activity.text or "")  # only Teams' own mention entities name people
        mentioned: list[Identity] = []
        teams_ids: dict[str, str] = {}
        mentions = [e for e in activity.entities or [] if (e.type or "").lower() == "mention"]
        for entity in mentions[:MAX_MENTIONS]:
            extra = _extra(entity)
            who = extra.get("mentioned")
            who = who if isinstance(who, dict) else {}  # a mention names someone, or no one
            tag = str(extra.get("text") or f"<at>{who.get('name', '')}</at>")
            if who.get("id") == activity.recipient.id:
                text = text.replace(tag, " ")
                continue
            person = await self._lookup(turn, str(who.get("id") or ""))
            name = re.sub(r"[|<>]", "", str(who.get("name") or "someone"))
            if person is None:
                text = text.replace(tag, f"@{name.split()[0] if name.split() else name}")
                continue
            mentioned.append(person)
            teams_ids[person.user_id] = str(who.get("id"))
            text = text.replace(tag, f"<@{person.user_id}|{name}>")
        return Said(" ".join(text.split()), mentioned, teams_ids)

    async def named(self, turn: TurnContext, who: Identity) -> Identity:
        """`who`, with their name asked of Teams when the activity carried none (an install
        often does not): a welcome to "someone" is the first thing a person would read."""
        if who.name_known:
            return who
        person = await self._lookup(turn, str(turn.activity.from_property.id or ""))
        if person is None or not person.name_known or person.user_id != who.user_id:
            return who
        return dataclasses.replace(who, display_name=person.display_name, name_known=True)

    async def _lookup(self, turn: TurnContext, teams_id: str) -> Identity | None:
        if not teams_id:
            return None  # nobody to ask Teams about (botbuilder refuses an empty id)
        tenant = tenant_of(turn.activity)
        key = (tenant, teams_id)
        cached = self._known.get(key)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            account = await with_retries(lambda: TeamsInfo.get_member(turn, teams_id))
        except Exception as exc:
            if judge(exc) is None:
                raise
            log.info("teams: could not look up %s: %s", teams_id, exc)
            return None
        person = None
        if account.aad_object_id:
            person = Identity(
                platform=Platform.TEAMS,
                workspace_external_id=tenant,
                workspace_name=tenant,
                user_id=str(account.aad_object_id),
                display_name=str(account.name or STAND_IN)[:120],
                time_zone=self.default_time_zone,
                working_days=self.working_days,
                name_known=bool(account.name),
            )
        self._known[key] = (time.monotonic() + CACHE_SECONDS, person)
        return person
