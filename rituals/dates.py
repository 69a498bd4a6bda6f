"""Dates in the language a person chose: the bot's only localisation, kept deliberately small."""

from __future__ import annotations

from datetime import date

from rituals.settings import Language

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
PATTERNS = {
    Language.EN: ("{day} {month} {year}"),
    Language.DE: ("{day}. {month} {year}"),
    Language.FR: ("{day} {month} {year}"),
    Language.ES: ("{day} de {month} de {year}"),
    Language.PT: ("{day} de {month} de {year}"),
}


def format_date(day: date, language: str) -> str:
    """23 November 2026, 23. November 2026, 23 de noviembre de 2026, ..."""
    lang = Language(language) if language in Language._value2member_map_ else Language.EN
    month = MONTHS[lang].split()[day.month - 1]
    return PATTERNS[lang].format(day=day.day, month=month, year=day.year)
