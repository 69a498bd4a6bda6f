"""Breaks from nudges a person takes for themselves: away on leave, a skipped week, a snooze.

Pausing (`me set pause on`) lasts until it is turned off; these end on their own, so nobody
has to remember to come back, and a break is never forgotten into silence. Each is a column on
the member that `rituals.core.schedule` reads, and every reply says, in the person's own time and
date language, when nudges resume.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from rituals.core.command import Command
from rituals.core.context import Ctx
from rituals.core.dates import format_date, format_moment
from rituals.core.messages import Code, Reply, say
from rituals.core.people import actor_member
from rituals.core.refusal import Refusal
from rituals.core.schedule import LONGEST_SNOOZE, week_monday, week_name, week_start
from rituals.core.settings import WEEKDAYS
from rituals.core.when import example_date, read_clock, read_date, read_span, span_words
from rituals.team.me import local_now
from storage.models import Member

SHORTEST_SNOOZE = timedelta(minutes=15)


def read_snooze(text: str) -> timedelta | time:
    """ "2h" -> a length; "until 14:00" -> a time of day, which only the person's clock places."""
    words = text.lower().split()
    if words[:1] in (["until"], ["till"], ["til"]):
        if len(words) == 1:
            raise ValueError("say until when, like until 14:00")
        return time.fromisoformat(read_clock(" ".join(words[1:])))
    if words[:1] == ["for"]:
        words = words[1:]
    return read_span(" ".join(words))


def _snooze_text(value: str) -> str:
    read_snooze(value)
    return value


# Read against the person's own today, so "fri" and "3 weeks" mean their Friday.
DayText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
SnoozeText = Annotated[str, AfterValidator(_snooze_text)]


class GoAway(Command):
    until: DayText = Field(
        title="Back on",
        description="the first day you want nudges again: mon, in 2 weeks, or YYYY-MM-DD",
    )


class ComeBack(Command):
    pass


class SkipWeek(Command):
    pass


class UnskipWeek(Command):
    pass


class Snooze(Command):
    span: SnoozeText = Field(
        title="How long",
        description="30m, 2h, 1d, or until 14:00 (your time)",
        min_length=1,
        max_length=40,
    )


class EndSnooze(Command):
    pass


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _also_paused(member: Member) -> list[Code | str]:
    """A break on top of a pause changes nothing until the pause ends: say so."""
    if not member.nudges_paused:
        return []
    return [" Your nudges are also paused; ", Code("me set pause off"), " turns them back on."]


async def go_away(ctx: Ctx, cmd: GoAway) -> list[Reply]:
    member = await actor_member(ctx)
    today = local_now(ctx, member).date()
    try:
        until = read_date(cmd.until, today)
    except ValueError as exc:
        raise Refusal(say(f"Nothing was changed: {exc}.")) from None
    latest = _a_year_after(today)
    if until <= today:
        when = "is today" if until == today else "has passed"
        raise Refusal(
            say(
                f"Nothing was changed: {until.isoformat()} {when}. Give the first day you "
                "want nudges again, like ",
                Code(f"away until {example_date(today)}"),
                " or ",
                Code("away 2 weeks"),
                ".",
            )
        )
    if until > latest:
        raise Refusal(
            say(
                f"Nothing was changed: {until.isoformat()} is more than a year away; the "
                f"latest you can give is {latest.isoformat()}. For longer, pause nudges with ",
                Code("me set pause on"),
                ".",
            )
        )
    member.away_until = until
    await ctx.session.flush()
    back = format_date(until, member.date_language)
    return [
        say(
            f"You're away until {back}: no nudges before then, and they resume that day.",
            *_also_paused(member),
            note="`away off` (or `back`) ends it early.",
        )
    ]


async def come_back(ctx: Ctx, cmd: ComeBack) -> list[Reply]:
    member = await actor_member(ctx)
    today = local_now(ctx, member).date()
    was_away = member.away_until is not None and member.away_until > today
    member.away_until = None
    await ctx.session.flush()
    if not was_away:
        return [say("You were not away, so nothing changed.", *_also_paused(member))]
    return [say("Welcome back: nudges reach you again from now.", *_also_paused(member))]


def week_to_skip(today: date, working_days: str) -> date:
    """A day of the week `skip week` means: this one while a working day of the person's is
    left in it; on their weekend, the week ahead (the one ending holds nothing to skip)."""
    left = [d for d in WEEKDAYS[today.weekday() :] if d in working_days.split(",")]
    return today if left else week_start(today) + timedelta(days=7)


async def skip_week(ctx: Ctx, cmd: SkipWeek) -> list[Reply]:
    member = await actor_member(ctx)
    today = local_now(ctx, member).date()
    week = week_to_skip(today, member.working_days)
    monday = format_date(week_start(week), member.date_language)
    if member.skip_week == week_name(week):
        return [
            say(f"You are already skipping the week of {monday}.", note="`skip off` undoes it.")
        ]
    member.skip_week = week_name(week)
    await ctx.session.flush()
    next_monday = format_date(week_start(week) + timedelta(days=7), member.date_language)
    which = "this week" if week == today else "that week"
    return [
        say(
            f"Skipping the week of {monday}: no more nudges {which}. They come again from "
            f"the week of {next_monday}.",
            *_also_paused(member),
            note="`skip off` undoes it.",
        )
    ]


async def unskip_week(ctx: Ctx, cmd: UnskipWeek) -> list[Reply]:
    member = await actor_member(ctx)
    today = local_now(ctx, member).date()
    skipped = member.skip_week
    member.skip_week = None
    await ctx.session.flush()
    if skipped is None or skipped < week_name(today):
        return [say("You were not skipping this week, so nothing changed.")]
    monday = format_date(week_monday(skipped), member.date_language)
    due = "still due this week" if skipped == week_name(today) else "of that week"
    return [
        say(
            f"The week of {monday} is back on: nudges {due} reach you after all.",
            *_also_paused(member),
        )
    ]


async def snooze(ctx: Ctx, cmd: Snooze) -> list[Reply]:
    member = await actor_member(ctx)
    now = local_now(ctx, member)
    wanted = read_snooze(cmd.span)
    if isinstance(wanted, timedelta):
        # Added in UTC: two hours are two hours, even across a clock change.
        until = now.astimezone(UTC) + wanted
    else:
        until = datetime.combine(now.date(), wanted, tzinfo=now.tzinfo)
        if until <= now:
            until = datetime.combine(now.date() + timedelta(days=1), wanted, tzinfo=now.tzinfo)
    until = until.astimezone(UTC)  # a time a clock change skips lands just after the gap
    span = until - now
    if span < SHORTEST_SNOOZE:
        raise Refusal(
            say(
                f"Nothing was changed: {span_words(span)} is too short to snooze; snooze for "
                f"{span_words(SHORTEST_SNOOZE)} at least, like ",
                Code("snooze 30m"),
                ".",
            )
        )
    if span > LONGEST_SNOOZE:
        back = now.date() + span
        instead = (
            f"away until {back.isoformat()}"
            if back <= _a_year_after(now.date())
            else "me set pause on"
        )
        raise Refusal(
            say(
                f"Nothing was changed: a snooze lasts {span_words(LONGEST_SNOOZE)} at most, "
                f"and that is {span_words(span)}. For a longer break, say ",
                Code(instead),
                ".",
            )
        )
    member.snoozed_until = until
    await ctx.session.flush()
    local = format_moment(until.astimezone(now.tzinfo), now.date(), member.date_language)
    return [
        say(
            f"Snoozed until {local}, your time ({member.time_zone}). Nudges due before then "
            "wait until it ends.",
            *_also_paused(member),
            note="`snooze off` ends it early.",
        )
    ]


async def end_snooze(ctx: Ctx, cmd: EndSnooze) -> list[Reply]:
    member = await actor_member(ctx)
    now = local_now(ctx, member)
    snoozed = member.snoozed_until is not None and member.snoozed_until > now
    member.snoozed_until = None
    await ctx.session.flush()
    if not snoozed:
        return [say("You were not snoozed, so nothing changed.", *_also_paused(member))]
    return [say("Snooze ended: nudges can reach you again.", *_also_paused(member))]
