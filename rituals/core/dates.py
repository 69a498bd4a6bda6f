"""Dates in the language a person chose: the bot's only localisation, kept deliberately small."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rituals.core.settings import Language

MONTHS = {
    Language.EN: (
        "January February March April May June July August September October November December"
    ),
    Language.DE: (
        "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
    ),
    Language.FR: (
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ),
    Language.ES: (
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    ),
    Language.PT: (
        "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro"
    ),
}
# The day names people type, in English as the rest of the commands are.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# The day names shown in a date: a date reads in one language ("Mittwoch, 13. Januar 2027"),
# never half English.
WEEKDAYS = {
    Language.EN: " ".join(WEEKDAY_NAMES),
    Language.DE: "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    Language.FR: "lundi mardi mercredi jeudi vendredi samedi dimanche",
    Language.ES: "lunes martes miércoles jueves viernes sábado domingo",
    Language.PT: "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
}
DAY_PATTERNS = {
    Language.EN: "{weekday} {date}",
    Language.DE: "{weekday}, {date}",
    Language.FR: "{weekday} {date}",
    Language.ES: "{weekday}, {date}",
    Language.PT: "{weekday}, {date}",
}
PATTERNS = {
    Language.EN: ("{day} {month} {year}"),
    Language.DE: ("{day}. {month} {year}"),
    Language.FR: ("{day} {month} {year}"),
    Language.ES: ("{day} de {month} de {year}"),
    Language.PT: ("{day} de {month} de {year}"),
}


def _language(language: str) -> Language:
    """The person's language, English for one the bot does not know."""
    return Language(language) if language in Language._value2member_map_ else Language.EN


def format_date(day: date, language: str) -> str:
    """23 November 2026, 23. November 2026, 23 de noviembre de 2026, ..."""
    lang = _language(language)
    month = MONTHS[lang].split()[day.month - 1]
    return PATTERNS[lang].format(day=day.day, month=month, year=day.year)


def team_moment(at: datetime, zone: str) -> str:
    """ "Monday 30 November 2026 at 10:00 (Europe/Berlin)": a deadline on the team's own clock,
    the zone named, since the people reading it may live elsewhere."""
    local = at.astimezone(ZoneInfo(zone))
    return f"{format_day(local.date(), 'en')} at {local:%H:%M} ({zone})"


def format_day(day: date, language: str) -> str:
    """Monday 23 November 2026: the weekday spares people counting on a calendar."""
    lang = _language(language)
    weekday = WEEKDAYS[lang].split()[day.weekday()]
    return DAY_PATTERNS[lang].format(weekday=weekday, date=format_date(day, language))


def format_moment(at: datetime, today: date, language: str) -> str:
    """ "11:30 today", "09:00 tomorrow, 24 November 2026", "Wednesday 25 November 2026, 09:30".

    `at` must already be in the person's zone and `today` be their local date: a moment said
    relative to the wrong "today" would be a day off.
    """
    clock = f"{at:%H:%M}"
    if at.date() == today:
        return f"{clock} today"
    if at.date() == today + timedelta(days=1):
        return f"{clock} tomorrow, {format_date(at.date(), language)}"
    return f"{format_day(at.date(), language)}, {clock}"
