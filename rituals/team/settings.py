"""A team's settings: which rituals are on, their cadence, the home channel, the thresholds.

Defaults come from app.yaml; a team stores only what its lead changed, so a new default in
app.yaml reaches every team that never chose otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import Field

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
from rituals.core.settings import Day, ritual_names
from rituals.core.spec import PromptKind, switchable
from rituals.core.when import read_clock
from rituals.team.gate import team_gate
from rituals.team.teams import (
    TEAM,
    cadence_words,
    describe_rituals,
    save_rituals,
    team_rituals,
)
from storage.channels import channel_names, reachable_as
from storage.models import Team
from storage.teams import team_of_channel


def channel_id(value: str) -> str:
    """ "#growth", "<#C0123|growth>" or "C0123" -> the channel's id or name, without decoration."""
    match = re.fullmatch(r"<#([A-Za-z0-9]+)(?:\|[^>]*)?>", value.strip())
    text = match.group(1) if match else value.strip().lstrip("#")
    if not re.fullmatch(r"[\w.:@-]{1,80}", text):
        raise ValueError(f"{value!r} is not a channel; mention it like #growth")
    return text


def ritual_labels() -> dict[str, str]:
    """What people call each ritual a team can switch on ("the weekly check-in"), by its id."""
    return {r.name: r.label for r in switchable()}


class ShowTeamSettings(Command):
    team: Name | None = TEAM


# The values are taken as typed and checked by `change` after the team gate: someone who may
# not change the settings hears who can, not that a number they may not set is out of range.
class ChangeTeamSettings(Command):
    team: Name | None = TEAM
    rituals: str | None = Field(
        None,
        title="Rituals switched on",
        # Every ritual a team can switch (a test holds this to the registry's list).
        description="comma-separated: checkin, one_on_one, kudos, fail_of_month, pulse, review, "
        "stretch, experiment_budget, skills, debate, raw",
    )
    checkin_day: Day | None = Field(None, title="Check-in day")
    checkin_time: str | None = Field(None, title="Check-in time", description="HH:MM")
    one_on_one_weeks: int | None = Field(
        None, title="One-on-one every N weeks", description="1 to 8"
    )
    pulse_weeks: int | None = Field(
        None, title="Pulse every N weeks", description="1 to 8, on the check-in day"
    )
    pulse_threshold: int | None = Field(
        None, title="Pulse answers needed", description="3 to 50; results show from 3 answers"
    )
    decline_threshold_percent: int | None = Field(
        None, title="Decline threshold %", description="5 to 90; a drop this big is a decline"
    )
    channel: str | None = Field(
        None, title="Home channel", description="e.g. #growth, or here: the channel you write in"
    )
    recognition_channel: str | None = Field(
        None,
        title="Recognition channel",
        description="where kudos go (here: the channel you write in); the home one if empty",
    )


# What each typed value must be: a number in a range, or text a reader turns into its value.
RANGES = {
    "one_on_one_weeks": (1, 8),
    "pulse_weeks": (1, 8),
    "pulse_threshold": (3, 50),
    "decline_threshold_percent": (5, 90),
}
READERS: dict[str, Callable[[str], str]] = {
    "rituals": ritual_names,
    "checkin_time": read_clock,
    "channel": channel_id,
    "recognition_channel": channel_id,
}


def _checked(cmd: ChangeTeamSettings, form: FormRequest) -> dict[str, object]:
    """The values given, each checked and written as stored; the first wrong one refused."""
    given: dict[str, object] = cmd.model_dump(exclude_none=True, exclude={"team"}, mode="json")
    for name, value in given.items():
        problem = None
        if name in RANGES:
            low, high = RANGES[name]
            if not low <= int(str(value)) <= high:
                problem = f"give a number from {low} to {high} (got {value})"
        elif name in READERS:
            try:
                given[name] = READERS[name](str(value))
            except ValueError as exc:
                problem = str(exc)
        if problem:
            title = ChangeTeamSettings.model_fields[name].title
            raise Refusal(say(f"Nothing was saved. {title}: {problem}."), form=form)
    return given


async def _names(ctx: Ctx, team: Team) -> dict[str, str | None]:
    """What the team's channels are called, where the platform names them apart from their ids
    (Teams): none there when no name is known yet."""
    rituals = team_rituals(ctx, team)
    ids = {c for c in (team.channel_id, rituals.recognition_channel) if c}
    return await channel_names(ctx.session, ctx.actor.workspace_id, ids)


def _view(ctx: Ctx, team: Team, title: str, names: dict[str, str | None]) -> Message:
    rituals = team_rituals(ctx, team)
    cadence = cadence_words(rituals)
    fields = (
        ("Rituals on", ", ".join(ritual_labels()[n] for n in rituals.enabled) or "none"),
        ("Check-in", cadence[PromptKind.CHECKIN]),
        ("One-on-ones", cadence[PromptKind.ONE_ON_ONE]),
        ("Fail of the Month vote", cadence[PromptKind.FAIL_OF_MONTH]),
        ("Pulse", f"every {rituals.pulse_weeks} weeks; results from {rituals.pulse_threshold}"),
        ("Decline threshold", f"{rituals.decline_threshold_percent}%"),
        ("Home channel", _shown(team.channel_id, names) or "none yet"),
        ("Recognition channel", _shown(rituals.recognition_channel, names) or "the home one"),
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
    return [_view(ctx, team, f"Settings of {team.name}", await _names(ctx, team))]


async def change(ctx: Ctx, cmd: ChangeTeamSettings) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="change its settings")
    typed = cmd.model_dump(exclude_none=True, mode="json")
    current = _current(ctx, team, await _names(ctx, team))
    form = FormRequest("settings set", {**current, **_as_text(typed)})
    given = _checked(cmd, form)
    for name in ("channel", "recognition_channel"):
        if name in given:
            given[name] = await _reachable(ctx, name, str(given[name]), form)
    channel = given.pop("channel", None)
    if not given and channel is None:
        return [FormRequest("settings set", current)]
    if "rituals" in given:
        given["enabled"] = [n for n in str(given.pop("rituals")).split(",") if n]
    if channel is not None and channel != team.channel_id:
        taken = await team_of_channel(ctx.session, ctx.actor.workspace_id, str(channel))
        if taken is not None:
            raise Refusal(
                say(
                    f"Nothing was saved: #{channel} is already the home of {taken.name}. "
                    "Pick another channel."
                )
            )
        team.channel_id = str(channel)
    rituals = await save_rituals(ctx, team, given)
    view = _view(ctx, team, f"Saved: settings of {team.name}", await _names(ctx, team))
    return [Message((*view.blocks[:2], Note("; ".join(describe_rituals(rituals)))))]


async def _reachable(ctx: Ctx, name: str, channel: str, form: FormRequest) -> str:
    """The channel to keep: `here` is the one the command came from; one the bot could not
    post to (on Teams, a channel it has not heard from) is refused now, not at every post."""
    title = ChangeTeamSettings.model_fields[name].title
    if channel.lower() == "here":
        if ctx.actor.channel_id is None:
            raise Refusal(
                say(f"Nothing was saved. {title}: `here` means the channel you write it in."),
                form=form,
            )
        return ctx.actor.channel_id
    found = await reachable_as(ctx.session, ctx.actor.workspace_id, channel)
    if found is None:
        raise Refusal(
            say(
                f"Nothing was saved. {title}: I cannot post in #{channel}: I only reach a "
                "channel I was added to and have heard from. Mention me in that channel with "
                f"`settings set {name.replace('_channel', '')} here`."
            ),
            form=form,
        )
    return found


def _shown(channel: str | None, names: dict[str, str | None]) -> str | None:
    return f"#{names.get(channel) or channel}" if channel else None


def _typed(channel: str | None, names: dict[str, str | None]) -> str | None:
    """A channel as a form shows it, to be read back as the same channel: its id where that is
    what people type (Slack), its name where one is known and typeable (Teams); else left
    empty, which changes nothing, and the field's hint says `here`."""
    if not channel or channel not in names:
        return channel
    name = names[channel]
    return name if name and re.fullmatch(r"[\w.:@-]{1,80}", name) else None


def _as_text(values: dict[str, object]) -> dict[str, str]:
    return {name: str(value) for name, value in values.items()}


def _current(ctx: Ctx, team: Team, names: dict[str, str | None]) -> dict[str, str]:
    """The form's values as they are now; a channel by its name where one is known, which
    reads back as the same channel, never by a raw Teams id."""
    rituals = team_rituals(ctx, team)
    channels = {
        "channel": _typed(team.channel_id, names),
        "recognition_channel": _typed(rituals.recognition_channel, names),
    }
    return {
        "team": team.name,
        "rituals": ", ".join(rituals.enabled),
        "checkin_day": rituals.checkin_day,
        "checkin_time": rituals.checkin_time,
        "one_on_one_weeks": str(rituals.one_on_one_weeks),
        "pulse_weeks": str(rituals.pulse_weeks),
        "pulse_threshold": str(rituals.pulse_threshold),
        "decline_threshold_percent": str(rituals.decline_threshold_percent),
        **{name: shown for name, shown in channels.items() if shown},
    }
