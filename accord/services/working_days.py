"""Working days per country: review deadlines and reminders respect national calendars.

The calendars themselves live in `accord.calendars` (the `holidays` package's full model,
Tajikistan's moved days, decree overrides); this module keeps the functions the services
call and reads the override files from the configured folder once per process.
"""

from datetime import date, datetime, timedelta
from functools import cache

from holidays import HolidayBase

from accord.calendars.book import (
    REGION,
    CalendarBook,
    CountryCalendar,
    UnknownCountry,
    package_calendar,
    supported,
)
from accord.calendars.days import WEEKEND, Source
from accord.calendars.overrides import load_overrides
from accord.calendars.zones import working_day_end
from accord.errors import AccordError
from accord.settings import get_settings

__all__ = [
    "REGION",
    "WEEKEND",
    "DeadlineInvalid",
    "UnknownCountry",
    "add_working_days",
    "calendar",
    "calendar_book",
    "check_deadline",
    "deadline_passed",
    "holiday_name",
    "is_working_day",
    "next_working_day",
    "subtract_working_days",
    "working_day_end",
    "working_days_between",
]

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Not `%A`: that follows the process locale, and error messages must not."""
_ONE_DAY = timedelta(days=1)


class DeadlineInvalid(AccordError):
    """A deadline a review round cannot use: past, or not a working day."""


@cache
def calendar_book() -> CalendarBook:
    """Every country's calendar with the override files of ACCORD_CALENDARS_DIR (read once)."""
    return CalendarBook(load_overrides(get_settings().calendars_dir, known_country=supported))


def _country(country: str) -> CountryCalendar:
    return calendar_book().country(country)


def calendar(country: str) -> HolidayBase:
    """The `holidays` calendar of `country` (ISO code, any case); UnknownCountry if there is none.

    Public holidays only, as the package has them; working days also depend on the law's
    moved days and the override files, which `is_working_day` takes into account.
    """
    return package_calendar(country.strip().upper())


def holiday_name(day: date, country: str) -> str | None:
    """Why `day` is a day off in `country` (holiday, moved day, decree); None on other days."""
    special = _country(country).special_day(day)
    return special.name if special is not None and not special.working else None


def is_working_day(day: date, country: str) -> bool:
    """A working day in `country`: weekdays, and weekend days a decree made working, unless a
    holiday, a day off moved by law or a decree's day off."""
    return _country(country).is_working_day(day)


def next_working_day(day: date, country: str) -> date:
    """`day` itself if it is a working day, else the first working day after it.

    Report due dates, expiry alerts and reminder days that fall on a day off move here.
    """
    return _country(country).next_working_day(day)


def add_working_days(start: date, n: int, country: str) -> date:
    """The day `n` working days after `start`, `start` itself not counted (negative n goes back)."""
    return _shift(start, n, country)


def subtract_working_days(deadline: date, n: int, country: str) -> date:
    """The day `n` working days before `deadline` (a reminder date), the deadline not counted."""
    return _shift(deadline, -n, country)


def _shift(day: date, n: int, country: str) -> date:
    calendar_ = _country(country)
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if calendar_.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: date, b: date, country: str) -> int:
    """Working days after `a` up to and including `b`; negative when `b` is before `a`.

    So `working_days_between(a, add_working_days(a, n, c), c) == n`, and from today
    to the deadline it counts the working days a reviewer has left.
    """
    if b < a:
        return -working_days_between(b, a, country)
    calendar_ = _country(country)
    count = 0
    day = a + _ONE_DAY
    while day <= b:
        count += calendar_.is_working_day(day)
        day += _ONE_DAY
    return count


def check_deadline(deadline: date, *, today: date, country: str) -> None:
    """Refuse a deadline in the past or on a day off, saying why and what would do."""
    if deadline < today:
        raise DeadlineInvalid(f"deadline {deadline} is in the past (today is {today})")
    calendar_ = _country(country)
    if calendar_.is_working_day(deadline):
        return
    special = calendar_.special_day(deadline)
    if special is not None:
        reason = f"a day off in {calendar_.country} ({special.name})"
        if special.source == Source.PACKAGE:
            reason = f"a public holiday in {calendar_.country} ({special.name})"
    else:
        reason = f"a {DAY_NAMES[deadline.weekday()]}, not a working day"
    following = calendar_.next_working_day(deadline)
    raise DeadlineInvalid(f"deadline {deadline} is {reason}; the next working day is {following}")


def deadline_passed(deadline: date, country: str, *, now: datetime) -> bool:
    """Whether the working day of `deadline` has ended in `country` (its time zones) at `now`."""
    return now >= working_day_end(deadline, country)
