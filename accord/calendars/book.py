"""Each country's working days: the `holidays` package's model, the law's moved days, decrees.

Three layers, the later winning over the earlier for the same day:

1. `holidays` (public holidays, the days off it observes or substitutes, and the weekend
   days its recorded decrees made working days);
2. a rule of law the package does not apply (Tajikistan: a holiday on a weekend moves
   to the next working day);
3. the country's override file (days a decree made non-working or working).

Weekends are Saturday and Sunday in all five countries of the region.
"""

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

import holidays
from holidays import HolidayBase

from accord.calendars.days import WEEKEND, CalendarDay, Source
from accord.calendars.law import LAW_RULES, WeekendHolidayRule
from accord.calendars.overrides import CountryOverrides, OverrideDay
from accord.errors import AccordError

NAME_LANGUAGE = "en_US"
REGION = ("KZ", "KG", "TJ", "UZ", "TM")
FIRST_YEAR, LAST_YEAR = 1992, 2100
"""Years a calendar is offered for: from the region's independence to a sane horizon."""
_ONE_DAY = dt.timedelta(days=1)


class UnknownCountry(AccordError):
    """The country has no holiday calendar, so working days cannot be counted there."""


class YearOutOfRange(AccordError):
    """A year outside the calendars' range (a typo such as 20027, usually)."""


def supported(country: str) -> bool:
    return country in holidays.list_supported_countries()


def check_country(country: str) -> str:
    """The code in upper case, or UnknownCountry naming what would do."""
    code = country.strip().upper()
    if not code or not supported(code):
        raise UnknownCountry(
            f"no public-holiday calendar for country {country!r} (expected an ISO 3166-1 "
            f"alpha-2 code known to the holidays package, such as {', '.join(REGION)})"
        )
    return code


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise YearOutOfRange(
            f"year {year} is out of range (expected a year from {FIRST_YEAR} to {LAST_YEAR})"
        )
    return year


@cache
def package_calendar(country: str) -> HolidayBase:
    """One lazily expanding `holidays` calendar per country, English names where there are."""
    code = check_country(country)
    probe = holidays.country_holidays(code)
    if NAME_LANGUAGE in (probe.supported_languages or ()):
        return holidays.country_holidays(code, language=NAME_LANGUAGE)
    return probe


class CountryCalendar:
    """One country's working days, built a year at a time on first use and kept."""

    def __init__(
        self, country: str, overrides: CountryOverrides | None, rule: WeekendHolidayRule | None
    ) -> None:
        self.country = check_country(country)
        self._overrides = overrides.by_date() if overrides is not None else {}
        self._rule = rule
        self._years: dict[int, dict[dt.date, CalendarDay]] = {}

    def special_day(self, day: dt.date) -> CalendarDay | None:
        """What makes `day` differ from an ordinary weekday or weekend day, if anything."""
        return self._year(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        special = self._year(day.year).get(day)
        return special.working if special is not None else day.weekday() not in WEEKEND

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def year(self, year: int) -> list[CalendarDay]:
        """The year's special days in date order."""
        return sorted(self._year(check_year(year)).values(), key=lambda d: d.day)

    def _year(self, year: int) -> dict[dt.date, CalendarDay]:
        days = self._years.get(year)
        if days is None:
            days = self._years[year] = self._build(year)
        return days

    def _build(self, year: int) -> dict[dt.date, CalendarDay]:
        # Neighbouring years too: a substitution may move a day across New Year.
        package = holidays.country_holidays(
            self.country, years=range(year - 1, year + 2), language=self._language()
        )
        days = dict(_package_days(package, year))
        if self._rule is not None:
            for moved in self._rule.moved_days(package, year):
                days.setdefault(moved.day, moved)
        for day, override in self._overrides.items():
            if day.year == year:
                days[day] = _decree_day(override)
        return days

    def _language(self) -> str | None:
        supported_languages = package_calendar(self.country).supported_languages or ()
        return NAME_LANGUAGE if NAME_LANGUAGE in supported_languages else None


class CalendarBook:
    """All countries' calendars with one set of override files."""

    def __init__(
        self,
        overrides: Mapping[str, CountryOverrides],
        *,
        rules: Mapping[str, WeekendHolidayRule] = LAW_RULES,
    ) -> None:
        self._overrides = dict(overrides)
        self._rules = dict(rules)
        self._countries: dict[str, CountryCalendar] = {}

    def country(self, country: str) -> CountryCalendar:
        code = check_country(country)
        calendar = self._countries.get(code)
        if calendar is None:
            calendar = CountryCalendar(code, self._overrides.get(code), self._rules.get(code))
            self._countries[code] = calendar
        return calendar

    def overrides(self, country: str) -> CountryOverrides | None:
        return self._overrides.get(check_country(country))


@dataclass(frozen=True)
class YearSummary:
    days: int
    working: int
    weekend: int
    """Saturdays and Sundays, worked or not."""

    @property
    def non_working(self) -> int:
        return self.days - self.working


def summarise(calendar: CountryCalendar, year: int) -> YearSummary:
    day, working, weekend, days = dt.date(check_year(year), 1, 1), 0, 0, 0
    while day.year == year:
        days += 1
        working += calendar.is_working_day(day)
        weekend += day.weekday() in WEEKEND
        day += _ONE_DAY
    return YearSummary(days, working, weekend)


def _package_days(package: HolidayBase, year: int) -> Iterator[tuple[dt.date, CalendarDay]]:
    basis = f"holidays package {version('holidays')}"
    for day in sorted(package):
        if day.year == year:
            names = ", ".join(dict.fromkeys(package.get_list(day)))
            yield day, CalendarDay(day, False, names, Source.PACKAGE, basis)
    for day in sorted(package.weekend_workdays):
        if day.year == year:
            yield day, CalendarDay(day, True, "working day moved by decree", Source.PACKAGE, basis)


def _decree_day(override: OverrideDay) -> CalendarDay:
    default = "working day by decree" if override.working else "day off by decree"
    basis = f"{override.decree.cited()} ({override.where})"
    return CalendarDay(
        override.day, override.working, override.name or default, Source.DECREE, basis
    )
