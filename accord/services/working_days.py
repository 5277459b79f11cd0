"""Working days per country: review deadlines and reminders respect national holidays.

Weekends are Saturday and Sunday everywhere; public holidays (with the days off the
`holidays` package observes or substitutes for them) come from `holidays`, with
English names where the package has them.
"""

from datetime import date, timedelta
from functools import cache

import holidays
from holidays import HolidayBase

from accord.errors import AccordError

WEEKEND = frozenset({5, 6})
"""Saturday and Sunday (`date.weekday()` numbers)."""
NAME_LANGUAGE = "en_US"
REGION = ("KZ", "KG", "TJ", "UZ", "TM")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Not `%A`: that follows the process locale, and error messages must not."""
_ONE_DAY = timedelta(days=1)


class DeadlineInvalid(AccordError):
    """A deadline a review round cannot use: past, on a weekend or on a public holiday."""


class UnknownCountry(AccordError):
    """The country has no holiday calendar, so working days cannot be counted there."""


@cache
def _calendar(country: str) -> HolidayBase:
    """One lazily expanding holiday calendar per country (years fill in on first lookup)."""
    if country not in holidays.list_supported_countries():
        raise UnknownCountry(
            f"no public-holiday calendar for country {country!r} (expected an ISO 3166-1 "
            f"alpha-2 code known to the holidays package, such as {', '.join(REGION)})"
        )
    probe = holidays.country_holidays(country)
    if NAME_LANGUAGE in (probe.supported_languages or ()):
        return holidays.country_holidays(country, language=NAME_LANGUAGE)
    return probe


def calendar(country: str) -> HolidayBase:
    """The holiday calendar of `country` (ISO code, any case); UnknownCountry if there is none."""
    return _calendar(country.strip().upper())


def holiday_name(day: date, country: str) -> str | None:
    """The public holiday(s) on `day` in `country`, names joined; None on other days."""
    names = calendar(country).get_list(day)
    return ", ".join(dict.fromkeys(names)) if names else None


def is_working_day(day: date, country: str) -> bool:
    """Neither a weekend nor a public holiday in `country`."""
    return day.weekday() not in WEEKEND and day not in calendar(country)


def next_working_day(day: date, country: str) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, country):
        day += _ONE_DAY
    return day


def add_working_days(start: date, n: int, country: str) -> date:
    """The day `n` working days after `start`, `start` itself not counted (negative n goes back)."""
    return _shift(start, n, country)


def subtract_working_days(deadline: date, n: int, country: str) -> date:
    """The day `n` working days before `deadline` (a reminder date), the deadline not counted."""
    return _shift(deadline, -n, country)


def _shift(day: date, n: int, country: str) -> date:
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day, country):
            remaining -= 1
    return day


def working_days_between(a: date, b: date, country: str) -> int:
    """Working days after `a` up to and including `b`; negative when `b` is before `a`.

    So `working_days_between(a, add_working_days(a, n, c), c) == n`, and from today
    to the deadline it counts the working days a reviewer has left.
    """
    if b < a:
        return -working_days_between(b, a, country)
    count = 0
    day = a + _ONE_DAY
    while day <= b:
        count += is_working_day(day, country)
        day += _ONE_DAY
    return count


def check_deadline(deadline: date, *, today: date, country: str) -> None:
    """Refuse a deadline in the past, on a weekend or on a public holiday, saying what would do."""
    if deadline < today:
        raise DeadlineInvalid(f"deadline {deadline} is in the past (today is {today})")
    code = country.strip().upper()
    holiday = holiday_name(deadline, code)
    if holiday is not None:
        reason = f"a public holiday in {code} ({holiday})"
    elif deadline.weekday() in WEEKEND:
        reason = f"a {DAY_NAMES[deadline.weekday()]}, not a working day"
    else:
        return
    following = next_working_day(deadline, code)
    raise DeadlineInvalid(f"deadline {deadline} is {reason}; the next working day is {following}")
