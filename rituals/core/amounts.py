"""Amounts a person may spend: a sum of money in a currency, or hours of their time.

An experiment budget is stated once in app.yaml (and by a team's lead), and every request
against it is read with the same rule, so "150 eur", "150 EUR" and "150.00 EUR" are one amount
and "3h" is three hours.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

HOURS = "hours"
_HOUR_WORDS = {"h", "hr", "hrs", "hour", "hours"}
_AMOUNT = re.compile(r"^\s*(\d+(?:[.,]\d{1,2})?)\s*([A-Za-z]+)\s*$")
# A budget beyond this is no longer "a small budget to prototype a KPI hack".
LARGEST = Decimal(1_000_000)
EXAMPLES = "like 8 hours or 200 EUR"
_NOT_PLURAL = {"ss", "us", "is"}  # "class", "status", "analysis": not a plural
_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP"}


def format_number(value: Decimal) -> str:
    """ "12", "2.5": no trailing zeros nor exponent."""
    return format(value.normalize(), "f")


def amount(value: Decimal, unit: str) -> str:
    """ "12 leads", "1 hour", "34%", "1200 EUR": a value as people say it, the unit in the
    singular for exactly one."""
    number = format_number(value)
    if unit in {"%", "‰"}:
        return f"{number}{unit}"
    return f"{number} {singular(unit) if value == 1 else unit}".strip()


def singular(unit: str) -> str:
    """ "hours" -> "hour", "leads" -> "lead"; codes (EUR), "%" and words like "status" stay."""
    if unit.isalpha() and unit.islower() and unit.endswith("s") and unit[-2:] not in _NOT_PLURAL:
        return unit[:-1]
    return unit


def read_amount(text: str) -> tuple[Decimal, str]:
    """ "200 eur" -> (200, "EUR"); "3h" -> (3, "hours"). Raises ValueError saying what to type."""
    match = _AMOUNT.match(_symbol_last(text))
    if match is None:
        raise ValueError(
            f"{text.strip()!r} is not an amount; write a number and a unit, {EXAMPLES}"
        )
    number, unit = match.groups()
    try:
        value = Decimal(number.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern only lets digits through
        raise ValueError(f"{number!r} is not a number") from exc
    return value, read_unit(unit)


def _symbol_last(text: str) -> str:
    """ "€80" or "80€" -> "80 EUR": a currency sign read as its code, wherever it stands."""
    for sign, code in _SIGNS.items():
        if sign in text:
            return f"{text.replace(sign, ' ').strip()} {code}"
    return text


def read_unit(unit: str) -> str:
    """ "hrs" -> "hours", "eur" -> "EUR"; anything else refused."""
    if unit.lower() in _HOUR_WORDS:
        return HOURS
    if len(unit) == 3 and unit.isalpha():
        return unit.upper()
    raise ValueError(
        f"{unit!r} is not a unit a budget is kept in; use hours or a three-letter currency "
        "code (EUR, USD, GBP)"
    )


def budget_text(text: str) -> str:
    """A budget as stored: "200 EUR", "8 hours"; refused when zero or beyond reason."""
    value, unit = read_amount(text)
    if not 0 < value <= LARGEST:
        raise ValueError(f"a budget is more than 0 and at most {show_number(LARGEST)} {unit}")
    return f"{show_number(value)} {unit}"


def show_number(value: Decimal) -> str:
    """12.50 -> "12.5", 8.00 -> "8": as people write amounts."""
    text = format(value.normalize(), "f")
    return text


def show_amount(value: Decimal, unit: str) -> str:
    """ "3 hours", "1 hour", "150 EUR"."""
    if unit == HOURS and value == 1:
        return "1 hour"
    return f"{show_number(value)} {unit}"
