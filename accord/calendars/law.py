"""Rules of law on moved days off that the `holidays` package does not apply.

Tajikistan: when a public holiday falls on a Saturday or Sunday, the next working day is
a day off. The trade-union federation cites it as article 89 of the Labour Code of the
Republic of Tajikistan (Avesta, 2020) and earlier as the Law «On holidays» No. 753 of
2 August 2011 (Khovar, 2014–2017); the article's own text could not be read, so the
citation names both as they are reported. Checked against the published calendars of
2023–2026 (see tests/unit/test_country_calendars.py).
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from holidays import HolidayBase

from accord.calendars.days import WEEKEND, CalendarDay, Source

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WeekendHolidayRule:
    """A holiday on a weekend gives the next working day off, one day per holiday date."""

    country: str
    citation: str

    def moved_days(self, package: HolidayBase, year: int) -> Iterator[CalendarDay]:
        """The days off this rule adds in `year` (from holidays of `year` and the one before)."""
        taken: set[dt.date] = set()
        for holiday in sorted(day for day in package if year - 1 <= day.year <= year):
            if holiday.weekday() not in WEEKEND:
                continue
            moved = holiday + _ONE_DAY
            while moved.weekday() in WEEKEND or moved in package or moved in taken:
                moved += _ONE_DAY
            taken.add(moved)
            if moved.year == year:
                names = ", ".join(dict.fromkeys(package.get_list(holiday)))
                name = f"{names} (moved from {holiday.strftime('%a')} {holiday.isoformat()})"
                yield CalendarDay(moved, False, name, Source.LAW, self.citation)


TAJIK_RULE = WeekendHolidayRule(
    "TJ",
    "Labour Code of the Republic of Tajikistan, art. 89 as reported; Law «On holidays» "
    "No. 753 of 2 August 2011: a holiday on a weekend moves to the next working day",
)
LAW_RULES = {"TJ": TAJIK_RULE}
