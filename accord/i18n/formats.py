"""Dates, times and numbers as each language writes them, by Babel's CLDR data."""

from datetime import UTC, date, datetime
from functools import cache

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import get_decimal_symbol, get_group_symbol

from accord.i18n.languages import language


@cache
def babel_locale(tag: str) -> Locale:
    return Locale.parse(language(tag).locale)


def long_date(value: date, tag: str) -> str:
    """The date written out in the language: 4 марта 2026 г., March 4, 2026, 2026 ж. 4 наурыз."""
    return format_date(value, "long", locale=babel_locale(tag))


def utc_time(value: datetime) -> str:
    """Hours and minutes in UTC ("09:41"): the one clock every party of a treaty shares."""
    return value.astimezone(UTC).strftime("%H:%M")


def moment(value: datetime, tag: str) -> str:
    """Times are stored in UTC and shown as such, said plainly."""
    day = format_date(value.astimezone(UTC), "medium", locale=babel_locale(tag))
    return f"{day}, {format_time(value, 'short', tzinfo=UTC, locale=babel_locale(tag))} UTC"


def number_separators(tag: str) -> tuple[str, str]:
    """(thousands, decimal) separators: "1 500 000,50" in Russian, "1,500,000.50" in English."""
    locale = babel_locale(tag)
    return get_group_symbol(locale=locale), get_decimal_symbol(locale=locale)
