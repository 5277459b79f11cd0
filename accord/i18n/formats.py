"""Dates, times and numbers as each language writes them, by Babel's CLDR data.

A long date is written as the official documents of the language's country write it (laws,
decrees, the date line of an agreement); CLDR's pattern is used where it already does.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache

from babel import Locale
from babel.dates import format_date, format_time, get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol

from accord.i18n.languages import language


@cache
def babel_locale(tag: str) -> Locale:
    return Locale.parse(language(tag).locale)


def long_date(value: date, tag: str) -> str:
    """The date written out in the language: 4 марта 2026 г., March 4, 2026, 2026 жылғы 4 наурыз."""
    official = _OFFICIAL.get(language(tag).tag)
    if official is not None:
        return official(value)
    return format_date(value, "long", locale=babel_locale(tag))


def _month(value: date, locale: str) -> str:
    return str(get_month_names("wide", "format", locale)[value.month])


def _kazakh(value: date) -> str:
    """Kazakh acts: "2024 жылғы 5 шілде" (CLDR abbreviates the year: "2024 ж. 5 шілде")."""
    return f"{value.year} жылғы {value.day} {_month(value, 'kk')}"


# fmt: off
_KYRGYZ_MONTHS = (
    "январы", "февралы", "марты", "апрели", "майы", "июну",
    "июлу", "августу", "сентябры", "октябры", "ноябры", "декабры",
)
"""The month as Kyrgyz acts name it after the day, in its possessive form: "5-майы"."""
# fmt: on


def _kyrgyz(value: date) -> str:
    """Kyrgyz acts: "2021-жылдын 5-майы" (CLDR: "2021-ж., 5-май")."""
    return f"{value.year}-жылдын {value.day}-{_KYRGYZ_MONTHS[value.month - 1]}"


def _tajik(value: date) -> str:
    """Tajik acts: "26 июли соли 2014", the month joined to the year by the izofat
    (CLDR: "26 Июл 2014")."""
    return f"{value.day} {_month(value, 'tg').lower()}и соли {value.year}"


def _uzbek_latin(value: date) -> str:
    """Uzbek acts: "2020-yil 17-aprel" (CLDR: "17-aprel, 2020")."""
    return f"{value.year}-yil {value.day}-{_month(value, 'uz_Latn')}"


# fmt: off
_UZBEK_CYRILLIC_MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)
"""Cyrillic Uzbek spelling keeps the soft sign of these loanwords (CLDR drops it: "апрел")."""
# fmt: on


def _uzbek_cyrillic(value: date) -> str:
    """Uzbek acts in Cyrillic: "2020 йил 17 апрель" (CLDR: "17 апрел, 2020")."""
    return f"{value.year} йил {value.day} {_UZBEK_CYRILLIC_MONTHS[value.month - 1]}"


# fmt: off
_TURKMEN_MONTHS = (
    "ýanwary", "fewraly", "marty", "apreli", "maýy", "iýuny",
    "iýuly", "awgusty", "sentýabry", "oktýabry", "noýabry", "dekabry",
)
"""The month as Turkmen acts name it after the day, in its possessive form: "4-nji marty"."""
_TURKMEN_ONES = (
    "nji", "nji", "nji", "nji", "nji", "njy", "nji", "nji", "njy",
)
"""The ordinal suffix after 1 … 9: bir, iki, üç, dört, bäş, alty, ýedi, sekiz, dokuz."""
_TURKMEN_TENS = (
    "njy", "nji", "njy", "njy", "nji", "njy", "nji", "nji", "njy",
)
"""After 10 … 90: on, ýigrimi, otuz, kyrk, elli, altmyş, ýetmiş, segsen, togsan."""
# fmt: on


def turkmen_ordinal(number: int) -> str:
    """A number written in digits as an ordinal: the suffix follows the vowels of the last
    word said ("2026-njy": alty; "2024-nji": dört; "10-njy": on; "100-nji": ýüz)."""
    if number % 10:
        suffix = _TURKMEN_ONES[number % 10 - 1]
    elif number % 100:
        suffix = _TURKMEN_TENS[number % 100 // 10 - 1]
    else:
        suffix = "nji"  # ýüz, müň
    return f"{number}-{suffix}"


def _turkmen(value: date) -> str:
    """Turkmen acts: "2026-njy ýylyň 4-nji marty" (CLDR: "4 mart 2026")."""
    day = turkmen_ordinal(value.day)
    return f"{turkmen_ordinal(value.year)} ýylyň {day} {_TURKMEN_MONTHS[value.month - 1]}"


_OFFICIAL: dict[str, Callable[[date], str]] = {
    "kk": _kazakh,
    "ky": _kyrgyz,
    "tg": _tajik,
    "uz-Latn": _uzbek_latin,
    "uz-Cyrl": _uzbek_cyrillic,
    "tk": _turkmen,
}


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
