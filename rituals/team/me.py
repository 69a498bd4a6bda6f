"""A person's own settings: time zone, working days and hours, quiet hours, pause, date language.

These, and any break the person is on (`away`, `skip week`, `snooze`), are what every nudge
respects; `me` shows them all, so someone who hears nothing can see why. A setting that would
make the bot unable to reach someone (quiet hours covering the whole day, or all of their
working hours) is refused with the reason, and pausing is offered instead: silence is a
choice, never an accident.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import Field

from rituals.core import schedule
from rituals.core.command import Command
from rituals.core.context import Ctx
from rituals.core.dates import format_date, format_moment
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
from rituals.core.people import actor_member
from rituals.core.refusal import Refusal
from rituals.core.schedule import Person, week_monday, week_name
from rituals.core.settings import (
    Days,
    Language,
    Switch,
    TimeZoneName,
    Window,
    check_personal_hours,
    parse_window,
)
from storage.models import Member


class ShowMe(Command):
    pass


class ChangeMe(Command):
    time_zone: TimeZoneName | None = Field(
        None, title="Time zone", description="e.g. Europe/Berlin", max_length=64
    )
    working_days: Days | None = Field(
        None, title="Working days", description="e.g. mon-fri or mon,tue,thu", max_length=40
    )
    work_hours: Window | None = Field(
        None, title="Working hours", description="HH:MM-HH:MM, e.g. 09:00-17:00", max_length=11
    )
    quiet_hours: Window | None = Field(
        None, title="Quiet hours", description="no nudges then, e.g. 18:00-09:00", max_length=11
    )
    pause: Switch | None = Field(None, title="Pause all nudges")
    date_language: Language | None = Field(None, title="Language of dates")


def quiet_hours(ctx: Ctx, member: Member) -> tuple[str, str]:
    if member.quiet_start and member.quiet_end:
        return member.quiet_start, member.quiet_end
    return parse_window(ctx.settings.people.quiet_hours)


def local_now(ctx: Ctx, member: Member) -> datetime:
    """Now on the person's own clock: "today" and "14:00" always mean theirs."""
    return ctx.clock.now().astimezone(ZoneInfo(member.time_zone))


def person_of(ctx: Ctx, member: Member) -> Person:
    return schedule.person_of(member, ctx.settings.people.quiet_hours)


def breaks(ctx: Ctx, member: Member) -> list[tuple[str, str]]:
    """The breaks still running, as rows; ended ones are left out, so none is shown as on."""
    now = local_now(ctx, member)
    today = now.date()
    rows: list[tuple[str, str]] = []
    if member.away_until is not None and member.away_until > today:
        back = format_date(member.away_until, member.date_language)
        rows.append(("Away", f"until {back}, when nudges resume (`away off` ends it now)"))
    if member.skip_week is not None and member.skip_week >= week_name(today):
        monday = format_date(week_monday(member.skip_week), member.date_language)
        rows.append(("Skipping", f"the week of {monday} (`skip off` takes it back)"))
    if member.snoozed_until is not None and member.snoozed_until > now:
        until = format_moment(
            member.snoozed_until.astimezone(now.tzinfo), today, member.date_language
        )
        rows.append(("Snoozed", f"until {until} (`snooze off` ends it now)"))
    return rows


def _view(ctx: Ctx, member: Member, title: str) -> Message:
    today = local_now(ctx, member).date()
    quiet = quiet_hours(ctx, member)
    default = "" if member.quiet_start else " (the default)"
    return Message(
        (
            Heading(title),
            Fields(
                (
                    ("Time zone", member.time_zone),
                    ("Working days", member.working_days.replace(",", ", ")),
                    ("Working hours", f"{member.work_start}-{member.work_end}"),
                    ("Quiet hours", f"{quiet[0]}-{quiet[1]}{default}"),
                    ("Nudges", "paused" if member.nudges_paused else "on"),
                    *breaks(ctx, member),
                    (
                        "Dates",
                        f"{member.date_language}: {format_date(today, member.date_language)}",
                    ),
                )
            ),
            Actions(
                (
                    Button("Change", "me set", ButtonStyle.PRIMARY),
                    Button("Export my data", "me export"),
                    Button("Forget me", "me forget", ButtonStyle.DANGER),
                )
            ),
            Note("Nudges never arrive outside your working days and hours, or in quiet hours."),
        )
    )


async def show(ctx: Ctx, cmd: ShowMe) -> list[Reply]:
    return [_view(ctx, await actor_member(ctx), "Your settings")]


async def change(ctx: Ctx, cmd: ChangeMe) -> list[Reply]:
    member = await actor_member(ctx)
    if not cmd.model_dump(exclude_none=True):
        return [FormRequest("me set", _current(ctx, member))]
    work = parse_window(cmd.work_hours) if cmd.work_hours else (member.work_start, member.work_end)
    quiet = parse_window(cmd.quiet_hours) if cmd.quiet_hours else quiet_hours(ctx, member)
    problem = check_personal_hours(work, quiet)
    if problem is not None:
        raise Refusal(say(f"Nothing was changed: {problem} (`me set pause on`)."))
    if cmd.time_zone:
        member.time_zone = cmd.time_zone
    if cmd.working_days:
        member.working_days = cmd.working_days
    member.work_start, member.work_end = work
    if cmd.quiet_hours:
        member.quiet_start, member.quiet_end = quiet
    if cmd.pause is not None:
        member.nudges_paused = cmd.pause is Switch.ON
    if cmd.date_language is not None:
        member.date_language = cmd.date_language.value
    await ctx.session.flush()
    return [_view(ctx, member, "Saved: your settings")]


def _current(ctx: Ctx, member: Member) -> dict[str, str]:
    quiet = quiet_hours(ctx, member)
    return {
        "time_zone": member.time_zone,
        "working_days": member.working_days,
        "work_hours": f"{member.work_start}-{member.work_end}",
        "quiet_hours": f"{quiet[0]}-{quiet[1]}",
        "pause": Switch.ON if member.nudges_paused else Switch.OFF,
        "date_language": member.date_language,
    }
