"""Reading the ways people write when: a day, a clock time, a date, a length of time.

Commands that take a moment (`away`, `snooze`, `schedule set`) read it here, so each refuses the
same input in the same words, and every refusal shows how to write it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from pydantic import TypeAdapter, ValidationError

from rituals.core.dates import WEEKDAY_NAMES
from rituals.core.settings import WEEKDAYS, ClockTime, Weekday

# "wed", "weds", "wednesday", "wednesdays": people write days every way there is.
_DAYS: dict[str, Weekday] = {
    **{d: d for d in WEEKDAYS},
    **{n.lower(): d for d, n in zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)},
    **{n.lower() + "s": d for d, n in zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)},
    **{d + "s": d for d in WEEKDAYS},
    "tues": "tue",
    "weds": "wed",
    "thur": "thu",
    "thurs": "thu",
}
_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), timedelta(minutes=1)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), timedelta(hours=1)),
    **dict.fromkeys(("d", "day", "days"), timedelta(days=1)),
}
_CLOCK: TypeAdapter[str] = TypeAdapter(ClockTime)


def clip(text: str, size: int = 30) -> str:
    """Echo what someone typed without echoing a wall of it back."""
    return text if len(text) <= size else text[:size] + "…"


def read_day(word: str) -> Weekday | None:
    """ "Wednesday" -> "wed"; None when the word is no day."""
    return _DAYS.get(word.strip().lower())


def read_clock(text: str) -> str:
    """ "9:30" -> "09:30", refused in the settings' own words (24-hour HH:MM)."""
    try:
        return _CLOCK.validate_python(text)
    except ValidationError as exc:
        raise ValueError(str(exc.errors()[0]["msg"]).removeprefix("Value error, ")) from None


def example_date(today: date) -> str:
    """A date to show as an example: a week from the reader's today, so it is never past."""
    return (today + timedelta(days=7)).isoformat()


def _read_iso_date(text: str, today: date) -> date:
    """ "2026-12-01" -> that day. Only this spelling: "1/12" means different days to different
    people, and a date read wrongly would silence someone on the wrong days."""
    value = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(
            f"{clip(value)!r} is not a date I can read; write it as YYYY-MM-DD, like "
            f"{example_date(today)}"
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{value} is not a day in the calendar; check the month and the day, like "
            f"{example_date(today)}"
        ) from None


def read_date(text: str, today: date) -> date:
    """ "2026-11-27", "today", "tomorrow", "fri", "next fri", "in 3 days", "2 weeks" -> a day.

    Words that count from today never go stale in an example, so they are what help shows."""
    words = " ".join(text.strip().lower().split())
    if words == "today":
        return today
    if words == "tomorrow":
        return today + timedelta(days=1)
    day = read_day(words.removeprefix("next ").removeprefix("this "))
    if day is not None:
        ahead = (WEEKDAYS.index(day) - today.weekday()) % 7
        return today + timedelta(days=ahead or (7 if words.startswith("next ") else 0))
    span = re.fullmatch(r"(?:in |for )?(\d{1,3}) (day|days|week|weeks)", words)
    if span:
        size = int(span.group(1)) * (7 if span.group(2).startswith("week") else 1)
        return today + timedelta(days=size)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", words):
        return _read_iso_date(words, today)
    raise ValueError(
        f'"{clip(text)}" is not a day I can read; write fri, tomorrow, in 3 days, or a date '
        f"like {example_date(today)}"
    )


def read_span(text: str) -> timedelta:
    """ "30m", "2h", "1d", "1h 30m", "2 hours" -> a length of time."""
    compact = "".join(text.lower().split())
    if compact.isdecimal():
        raise ValueError(f"say the unit too, like {compact}m for minutes or {compact}h for hours")
    if not re.fullmatch(r"(?:\d{1,5}[a-z]+)+", compact):
        raise ValueError(
            f"{clip(text)!r} is not a length of time; say 30m, 2h or 1d, or until 14:00"
        )
    total = timedelta()
    for number, unit in re.findall(r"(\d{1,5})([a-z]+)", compact):
        if unit not in _UNITS:
            raise ValueError(f"{clip(unit)!r} is not a unit of time; use m, h or d, like 2h")
        total += int(number) * _UNITS[unit]
    return total


def span_words(span: timedelta) -> str:
    """ "45 minutes", "2 hours 30 minutes", "8 days": how long, rounded to the minute."""
    minutes = round(span.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (mins, "minute")]
    words = [f"{n} {unit}" + ("" if n == 1 else "s") for n, unit in parts if n]
    return " ".join(words) or "0 minutes"
