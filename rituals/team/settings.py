"""A team's settings: which rituals are on, their cadence, the home channel, the thresholds.

Defaults come from app.yaml; a team stores only what its lead changed, so a new default in
app.yaml reaches every team that never chose otherwise.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from rituals.core.command import Command, Name
from rituals.core.context import Ctx
from rituals.core.messages import (
    Actions,
    Button,
    ButtonStyle,
    Fields,
    FormRequest,
    Heading,
    Message,
    Note,
    Reply,
    say,
)
from rituals.core.refusal import Refusal
from rituals.core.settings import ClockTime, Day, RitualNames
from rituals.core.spec import PromptKind, switchable
from rituals.team.gate import team_gate
from rituals.team.teams import (
    TEAM,
    cadence_words,
    describe_rituals,
    save_rituals,
    team_rituals,
)
from storage.models import Team
from storage.people import team_of_channel


def channel_id(value: str) -> str:
    """ "#growth", "<#C0123|growth>" or "C0123" -> the channel's id or name, without decoration."""
    match = re.fullmatch(r"<#([A-Za-z0-9]+)(?:\|[^>]*)?>", value.strip())
    text = match.group(1) if match else value.strip().lstrip("#")
    if not re.fullmatch(r"[\w.:@-]{1,80}", text):
        raise ValueError(f"{value!r} is not a channel; mention it like #growth")
    return text


ChannelId = Annotated[str, AfterValidator(channel_id)]


def ritual_labels() -> dict[str, str]:
    """What people call each ritual a team can switch on ("the weekly check-in"), by its id."""
    return {r.name: r.label for r in switchable()}


class ShowTeamSettings(Command):
    team: Name | None = TEAM


class ChangeTeamSettings(Command):
    team: Name | None = TEAM
    rituals: RitualNames | None = Field(
        None,
        title="Rituals switched on",
        description="comma-separated: checkin, one_on_one, kudos, fail_of_month, pulse, review",
        max_length=200,
    )
    checkin_day: Day | None = Field(None, title="Check-in day")
    checkin_time: ClockTime | None = Field(None, title="Check-in time", description="HH:MM")
    one_on_one_weeks: int | None = Field(
        None, title="One-on-one every N weeks", ge=1, le=8, description="1 to 8"
    )
    pulse_weeks: int | None = Field(
        None, title="Pulse every N weeks", ge=1, le=8, description="on the check-in day"
    )
    pulse_threshold: int | None = Field(
        None, title="Pulse answers needed", ge=3, le=50, description="results show from 3 answers"
    )
    decline_threshold_percent: int | None = Field(
        None, title="Decline threshold %", ge=5, le=90, description="a drop this big is a decline"
    )
    channel: ChannelId | None = Field(None, title="Home channel", description="e.g. #growth")
    recognition_channel: ChannelId | None = Field(
        None, title="Recognition channel", description="where kudos go; the home channel if empty"
    )


def _view(ctx: Ctx, team: Team, title: str) -> Message:
    rituals = team_rituals(ctx, team)
    cadence = cadence_words(rituals)
    fields = (
        ("Rituals on", ", ".join(ritual_labels()[n] for n in rituals.enabled) or "none"),
        ("Check-in", cadence[PromptKind.CHECKIN]),
        ("One-on-ones", cadence[PromptKind.ONE_ON_ONE]),
        ("Fail of the Month vote", cadence[PromptKind.FAIL_OF_MONTH]),
        ("Pulse", f"every {rituals.pulse_weeks} weeks; results from {rituals.pulse_threshold}"),
        ("Decline threshold", f"{rituals.decline_threshold_percent}%"),
        ("Home channel", f"#{team.channel_id}" if team.channel_id else "none yet"),
        (
            "Recognition channel",
            f"#{rituals.recognition_channel}" if rituals.recognition_channel else "the home one",
        ),
    )
    return Message(
        (
            Heading(title),
            Fields(fields),
            Actions((Button("Change", f'settings set in "{team.name}"', ButtonStyle.PRIMARY),)),
            Note(
                "Only the team's lead or an admin can change them. `schedule set` changes "
                "when the rituals come round."
            ),
        )
    )


async def show(ctx: Ctx, cmd: ShowTeamSettings) -> list[Reply]:
    team = await team_gate(ctx, cmd.team)
    return [_view(ctx, team, f"Settings of {team.name}")]


async def change(ctx: Ctx, cmd: ChangeTeamSettings) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="change its settings")
    given = cmd.model_dump(exclude_none=True, exclude={"team", "channel"}, mode="json")
    if not given and cmd.channel is None:
        return [FormRequest("settings set", _current(ctx, team))]
    if "rituals" in given:
        given["enabled"] = [n for n in given.pop("rituals").split(",") if n]
    if cmd.channel is not None and cmd.channel != team.channel_id:
        taken = await team_of_channel(ctx.session, ctx.actor.workspace_id, cmd.channel)
        if taken is not None:
            raise Refusal(
                say(
                    f"Nothing was saved: #{cmd.channel} is already the home of {taken.name}. "
                    "Pick another channel."
                )
            )
        team.channel_id = cmd.channel
    rituals = await save_rituals(ctx, team, given)
    view = _view(ctx, team, f"Saved: settings of {team.name}")
    return [Message((*view.blocks[:2], Note("; ".join(describe_rituals(rituals)))))]


def _current(ctx: Ctx, team: Team) -> dict[str, str]:
    rituals = team_rituals(ctx, team)
    return {
        "team": team.name,
        "rituals": ", ".join(rituals.enabled),
        "checkin_day": rituals.checkin_day,
        "checkin_time": rituals.checkin_time,
        "one_on_one_weeks": str(rituals.one_on_one_weeks),
        "pulse_weeks": str(rituals.pulse_weeks),
        "pulse_threshold": str(rituals.pulse_threshold),
        "decline_threshold_percent": str(rituals.decline_threshold_percent),
        **({"channel": team.channel_id} if team.channel_id else {}),
        **(
            {"recognition_channel": rituals.recognition_channel}
            if rituals.recognition_channel
            else {}
        ),
    }
