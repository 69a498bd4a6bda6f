"""When a team's rituals come round, and when each one next reaches the person asking.

`schedule` answers "when will the bot ask me?" with the same arithmetic the scheduler uses
(`rituals.core.schedule`), in the asker's own time zone, working days, quiet hours and breaks, so it
never promises a prompt the scheduler would not send. `schedule set` lets a lead say the
cadence the way people say it ("every 3 weeks thu 14:00"); it is stored as the same overrides
`settings set` writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Annotated

from annotated_types import Ge, Le
from pydantic import AfterValidator, Field

from rituals.core.command import Command, Name
from rituals.core.context import Ctx
from rituals.core.dates import format_day
from rituals.core.messages import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Fields,
    FormRequest,
    Heading,
    Message,
    Note,
    Paragraph,
    Reply,
    rich,
)
from rituals.core.people import actor_member
from rituals.core.schedule import Person, Rule, next_prompt, skipped_because, team_rules
from rituals.core.settings import TeamRituals
from rituals.core.spec import RitualName, every_prompt
from rituals.core.when import clip, read_clock, read_day
from rituals.team.gate import team_gate
from rituals.team.me import local_now, person_of, quiet_hours
from rituals.team.teams import (
    TEAM,
    cadence_words,
    save_rituals,
    team_rituals,
)
from storage.models import Member, Team


def label_of(kind: str) -> str:
    """How `schedule` and Home name a scheduled prompt, as its ritual's spec says."""
    return every_prompt()[kind].label


# The ritual each schedule setting belongs to, to warn when a lead times one that is off.
_OWNER = {
    "checkin_day": RitualName.CHECKIN,
    "checkin_time": RitualName.CHECKIN,
    "one_on_one_weeks": RitualName.ONE_ON_ONE,
    "one_on_one_day": RitualName.ONE_ON_ONE,
    "one_on_one_time": RitualName.ONE_ON_ONE,
    "vote_days": RitualName.FAIL_OF_MONTH,
}

# --- reading a cadence as people say it -------------------------------------------------------

_WEEK_WORDS = {"week", "weeks", "wk", "wks"}
_VOTE_WORDS = {"day", "days", "before", "the", "month", "month's", "end", "ends", "of", "last"}


def _bounds(setting: str) -> tuple[int, int]:
    """A number setting's limits, read from TeamRituals so a message never states stale ones."""
    meta = TeamRituals.model_fields[setting].metadata
    low = next(m.ge for m in meta if isinstance(m, Ge))
    high = next(m.le for m in meta if isinstance(m, Le))
    assert isinstance(low, int)
    assert isinstance(high, int)
    return low, high


def _day_and_time(words: Sequence[str], prefix: str, example: str) -> dict[str, str]:
    """ "wed 09:30", "wednesday", "at 9:30" -> {prefix_day, prefix_time}, either or both."""
    found: dict[str, str] = {}
    for word in words:
        if word in {"at", "on", "every", "each"}:
            continue
        day = read_day(word)
        if day is not None:
            if f"{prefix}_day" in found:
                raise ValueError(f"name one day, like {example}")
            found[f"{prefix}_day"] = day
        elif any(c.isdigit() for c in word):
            if f"{prefix}_time" in found:
                raise ValueError(f"name one time, like {example}")
            found[f"{prefix}_time"] = read_clock(word)
        else:
            raise ValueError(f"{clip(word)!r} is neither a day nor a time; write it like {example}")
    return found


def read_checkin(text: str) -> dict[str, object]:
    """ "wed 09:30" -> the check-in's day and time settings."""
    found = _day_and_time(text.lower().replace(",", " ").split(), "checkin", "wed 09:30")
    if not found:
        raise ValueError("name a day, a time or both, like wed 09:30")
    return dict(found)


def read_one_on_one(text: str) -> dict[str, object]:
    """ "every 3 weeks thu 14:00", "every week", "fortnightly", "thu" -> one-on-one settings."""
    words = text.lower().replace(",", " ").split()
    weeks: int | None = None
    rest: list[str] = []
    i = 0
    while i < len(words):
        word, following = words[i], words[i + 1] if i + 1 < len(words) else ""
        if word.isdecimal():
            if weeks is not None:
                raise ValueError("say how often once, like every 3 weeks")
            weeks = int(word)
            i += 2 if following in _WEEK_WORDS else 1
            continue
        if word == "other" and following in _WEEK_WORDS:
            weeks, i = 2, i + 2
            continue
        if word in {"fortnightly", "biweekly"}:
            weeks = 2
        elif word in _WEEK_WORDS | {"weekly"} and weeks is None:
            weeks = 1
        else:
            rest.append(word)
        i += 1
    found: dict[str, object] = {}
    if weeks is not None:
        low, high = _bounds("one_on_one_weeks")
        if not low <= weeks <= high:
            raise ValueError(
                f"every {weeks} weeks is not on offer; one-on-ones go every {low} to {high} weeks"
            )
        found["one_on_one_weeks"] = weeks
    found.update(_day_and_time(rest, "one_on_one", "every 2 weeks thu 14:00"))
    if not found:
        raise ValueError("say how often, which day or what time, like every 2 weeks thu 14:00")
    return found


def read_vote(text: str) -> dict[str, object]:
    """ "4 days before month end", "last 4 days", "4" -> when the Fail of the Month vote opens."""
    words = text.lower().replace(",", " ").replace("-", " ").split()
    numbers = [w for w in words if w.isdecimal()]
    others = [w for w in words if not w.isdecimal() and w not in _VOTE_WORDS]
    if len(numbers) != 1 or others:
        raise ValueError(
            "say how many days before the month ends the vote opens, like 4 days before month end"
        )
    days = int(numbers[0])
    low, high = _bounds("vote_days")
    if not low <= days <= high:
        raise ValueError(
            f"{days} days is not on offer; the vote opens {low} to {high} days before the month "
            "ends"
        )
    return {"vote_days": days}


def _checked(reader: Callable[[str], object]) -> AfterValidator:
    """Refuse a bad cadence as the command is read, so a form comes back with the reason."""

    def check(value: str) -> str:
        reader(value)
        return value

    return AfterValidator(check)


CheckinWhen = Annotated[str, _checked(read_checkin)]
OneOnOneWhen = Annotated[str, _checked(read_one_on_one)]
VoteWhen = Annotated[str, _checked(read_vote)]


# --- commands ---------------------------------------------------------------------------------


class ShowSchedule(Command):
    team: Name | None = TEAM


class ChangeSchedule(Command):
    team: Name | None = TEAM
    checkin: CheckinWhen | None = Field(
        None,
        title="Weekly check-in",
        description="a day and a time, e.g. wed 09:30; the vote and the review open then too",
        max_length=40,
    )
    one_on_one: OneOnOneWhen | None = Field(
        None, title="One-on-ones", description="e.g. every 3 weeks thu 14:00", max_length=40
    )
    vote: VoteWhen | None = Field(
        None,
        title="Fail of the Month vote",
        description="e.g. 4 days before month end",
        max_length=40,
    )


# --- when the next prompt really comes --------------------------------------------------------


def next_sent(rule: Rule, person: Person, now: datetime) -> tuple[datetime | None, list[str]]:
    """The next prompt the person will really get, and why the ones before it will not come.

    Each candidate is checked as the scheduler checks it when it is due, so a break (away, a
    skipped week) skips exactly what the scheduler skips. None when paused, or
    nothing comes within a year.
    """
    if person.paused:
        return None, ["your nudges are paused; `me set pause off` turns them on"]
    reasons: list[str] = []
    after = now
    for _ in range(60):
        at = next_prompt(rule, person, after)
        if at - now > timedelta(days=370):
            break
        reason = skipped_because(person, at)
        if reason is None:
            return at, reasons
        if reason not in reasons:
            reasons.append(reason)
        after = at
    return None, reasons


def when_text(at: datetime | None, reasons: Sequence[str], language: str) -> str:
    """ "Monday 30 November 2026, 10:00 (skipped before then: away until 2026-11-30)"."""
    if at is None:
        why = "; ".join(reasons) or "nothing scheduled within a year"
        return f"not for now ({why})"
    text = f"{format_day(at.date(), language)}, {at:%H:%M}"
    return text + (f" (skipped before then: {'; '.join(reasons)})" if reasons else "")


# --- handlers ---------------------------------------------------------------------------------


async def show(ctx: Ctx, cmd: ShowSchedule) -> list[Reply]:
    team = await team_gate(ctx, cmd.team)
    member = await actor_member(ctx)
    return [_view(ctx, team, member, team_rituals(ctx, team), f"Schedule of {team.name}")]


async def change(ctx: Ctx, cmd: ChangeSchedule) -> list[Reply]:
    team = await team_gate(ctx, cmd.team, lead_only="change its schedule")
    given: dict[str, object] = {}
    for text, reader in (
        (cmd.checkin, read_checkin),
        (cmd.one_on_one, read_one_on_one),
        (cmd.vote, read_vote),
    ):
        if text is not None:
            given.update(reader(text))
    if not given:
        return [FormRequest("schedule set", _current(ctx, team))]
    before = team_rituals(ctx, team)
    rituals = await save_rituals(ctx, team, given)
    member = await actor_member(ctx)
    view = _view(ctx, team, member, rituals, f"Saved: schedule of {team.name}")
    changed = {_OWNER[k] for k in given if getattr(before, k) != getattr(rituals, k)}
    off = [
        label_of(name) for name in every_prompt() if name in changed and name not in rituals.enabled
    ]
    if not off:
        return [view]
    note = Note(
        f"{' and '.join(off)} {'is' if len(off) == 1 else 'are'} switched off in {team.name}, "
        "so this applies once switched on: `settings set rituals ...`."
    )
    return [Message((*view.blocks, note))]


def _view(ctx: Ctx, team: Team, member: Member, rituals: TeamRituals, title: str) -> Message:
    person = person_of(ctx, member)
    now = local_now(ctx, member)
    words = cadence_words(rituals)
    rows: list[tuple[str, str]] = []
    for rule in team_rules(rituals, team.created_at.date()):
        at, reasons = next_sent(rule, person, now)
        shown = when_text(at, reasons, member.date_language)
        rows.append((label_of(rule.ritual), f"{words[rule.ritual]}; next for you: {shown}"))
    quiet = "-".join(quiet_hours(ctx, member))
    blocks: list[Block] = [Heading(title)]
    if rows:
        blocks.append(Fields(tuple(rows)))
    else:
        blocks.append(
            Paragraph(
                rich(
                    f"No scheduled ritual is switched on in {team.name}. "
                    "`settings set rituals checkin,one_on_one` switches some on."
                )
            )
        )
    blocks += [
        Actions((Button("Change", f'schedule set in "{team.name}"', ButtonStyle.PRIMARY),)),
        Note(
            f"Times are your own, in {member.time_zone}. A prompt that falls on a day you "
            f"don't work, or in your quiet hours ({quiet}), waits for the next moment you do. "
            "Only the team's lead or an admin can change the schedule."
        ),
    ]
    return Message(tuple(blocks))


def _current(ctx: Ctx, team: Team) -> dict[str, str]:
    """The form's values, written as `schedule set` reads them back."""
    rituals = team_rituals(ctx, team)
    return {
        "team": team.name,
        "checkin": f"{rituals.checkin_day} {rituals.checkin_time}",
        "one_on_one": (
            f"every {rituals.one_on_one_weeks} weeks "
            f"{rituals.one_on_one_day} {rituals.one_on_one_time}"
        ),
        "vote": f"{rituals.vote_days} days before month end",
    }
