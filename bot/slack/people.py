"""Who a Slack user is: `users.info`, asked once and remembered for an hour.

A person's display name and time zone come from Slack on first contact; mentioned people are
looked up too, so `/kpi team add @ben` works before Ben has ever spoken to the bot. Someone from
another workspace (a Slack Connect guest), a bot or a deactivated account is never made a member.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import available_timezones

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.dispatch import Identity
from bot.slack.render import MENTION
from rituals.core.settings import PeopleDefaults
from storage.models import Platform

ZONES = available_timezones()
# Mentions looked up per request at most: a pasted wall of ids cannot stall the answer.
MAX_MENTIONS = 20
CACHE_SIZE = 10_000


class Stranger(Exception):
    """Someone Slack says is not a person of this workspace: a bot, or a Slack Connect guest."""


@dataclass(frozen=True)
class Profile:
    user_id: str
    team_id: str
    display_name: str
    time_zone: str | None
    is_person: bool  # not a bot, not deactivated


def _profile(user: dict[str, object]) -> Profile:
    profile = user.get("profile")
    names = profile if isinstance(profile, dict) else {}
    display = (
        names.get("display_name") or names.get("real_name") or user.get("real_name") or user["id"]
    )
    tz = user.get("tz")
    return Profile(
        user_id=str(user["id"]),
        team_id=str(user.get("team_id") or ""),
        display_name=str(display)[:120],
        time_zone=tz if isinstance(tz, str) and tz in ZONES else None,
        is_person=not user.get("is_bot") and not user.get("deleted"),
    )


class Directory:
    """A small cache in front of users.info; an hour is short enough for renamed people."""

    def __init__(
        self, defaults: PeopleDefaults, ttl: float = 3600, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.defaults = defaults
        self.ttl = ttl
        self.now = now
        self._cache: dict[tuple[str, str], tuple[float, Profile | None]] = {}

    async def profile(self, client: AsyncWebClient, team_id: str, user_id: str) -> Profile | None:
        key = (team_id, user_id)
        hit = self._cache.get(key)
        if hit is not None and self.now() - hit[0] < self.ttl:
            return hit[1]
        try:
            response = await client.users_info(user=user_id)
            found: Profile | None = _profile(response["user"])
        except SlackApiError as exc:
            if exc.response.get("error") not in {"user_not_found", "user_not_visible"}:
                raise
            found = None
        if len(self._cache) >= CACHE_SIZE:
            self._cache = {k: v for k, v in self._cache.items() if self.now() - v[0] < self.ttl}
        self._cache[key] = (self.now(), found)
        return found

    def forget(self, team_id: str, user_id: str) -> None:
        self._cache.pop((team_id, user_id), None)

    def learn(self, team_id: str, user: dict[str, object]) -> None:
        """A profile an event carried (`user_change`): fresher than any cached one, so it
        replaces it, and the member's row follows on their next request (storage.people)."""
        if isinstance(user.get("id"), str) and isinstance(user.get("profile"), dict):
            self._cache[(team_id, str(user["id"]))] = (self.now(), _profile(user))
        else:
            self.forget(team_id, str(user.get("id")))

    async def identity(
        self,
        client: AsyncWebClient,
        team_id: str,
        team_name: str,
        user_id: str,
        channel_id: str | None,
    ) -> Identity:
        """The speaker; if Slack cannot tell us more, their id stands in for their name."""
        profile = await self.profile(client, team_id, user_id)
        if profile is not None and not _belongs(profile, team_id):
            raise Stranger(user_id)
        return Identity(
            platform=Platform.SLACK,
            workspace_external_id=team_id,
            workspace_name=team_name,
            user_id=user_id,
            display_name=profile.display_name if profile else user_id,
            time_zone=(profile and profile.time_zone) or self.defaults.default_time_zone,
            name_known=profile is not None,
            time_zone_default=(
                self.defaults.default_time_zone if profile and profile.time_zone else None
            ),
            working_days=",".join(self.defaults.working_days),
            # A DM's id starts with D: there is no team channel to infer a team from.
            channel_id=channel_id if channel_id and not channel_id.startswith("D") else None,
        )

    async def mentioned(
        self, client: AsyncWebClient, team_id: str, team_name: str, text: str
    ) -> list[Identity]:
        """The people of this workspace mentioned in the text (others stay unknown, and refused)."""
        found: list[Identity] = []
        for user_id in list(dict.fromkeys(MENTION.findall(text)))[:MAX_MENTIONS]:
            profile = await self.profile(client, team_id, user_id)
            if profile is None or not _belongs(profile, team_id):
                continue
            found.append(await self.identity(client, team_id, team_name, user_id, None))
        return found


def _belongs(profile: Profile, team_id: str) -> bool:
    return profile.is_person and profile.team_id in ("", team_id)
