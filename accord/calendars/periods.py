"""Reporting periods: months since entry into force, or calendar quarters and half-years.

Governments ask for reports "by the 20th of the month after each half-year": periods that
follow the calendar (January–June, July–December), not the agreement's anniversary. The
first calendar period starts on the day the agreement entered into force. A due date that
falls on a day off moves to the next working day of the agreement's country.
"""

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from accord.source.spec import ReportingEvery as Every

MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}
"""Length of each calendar period; they start in January (quarters: Jan, Apr, Jul, Oct)."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    """Last day of the period, included."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clipped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def periods_since_entry(effective: dt.date, every_months: int, as_of: dt.date) -> list[Period]:
    """Periods of `every_months` counted from entry into force that ended before `as_of`."""
    periods: list[Period] = []
    start = effective
    while (end := add_months(effective, (len(periods) + 1) * every_months) - _DAY) < as_of:
        periods.append(Period(start, end))
        start = end + _DAY
    return periods


def calendar_periods(every: Every, effective: dt.date, as_of: dt.date) -> list[Period]:
    """Calendar periods that ended before `as_of`, the first one from entry into force."""
    months = MONTHS[every]
    first_month = (effective.month - 1) // months * months + 1
    period_start = dt.date(effective.year, first_month, 1)
    periods: list[Period] = []
    while (end := add_months(period_start, months) - _DAY) < as_of:
        periods.append(Period(max(period_start, effective), end))
        period_start = end + _DAY
    return periods


def report_due(period_end: dt.date, day: int) -> dt.date:
    """Reports are due by `day` of the month after the period (the month's last day at most)."""
    first = add_months(period_end.replace(day=1), 1)
    return first.replace(day=min(day, calendar.monthrange(first.year, first.month)[1]))


def report_due_on_working_day(
    period_end: dt.date, day: int, *, next_working_day: Callable[[dt.date], dt.date]
) -> dt.date:
    """`report_due`, moved to the next working day when it falls on a day off."""
    return next_working_day(report_due(period_end, day))


@dataclass(frozen=True)
class ReportingRule:
    """`reporting: {every: half-year, day: 20}` or `reporting: {every_months: 6, day: 20}`."""

    day: int
    every: Every | None = None
    every_months: int | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.every_months is None):
            raise ValueError("exactly one of every and every_months")

    def periods(self, effective: dt.date, as_of: dt.date) -> list[Period]:
        if self.every is not None:
            return calendar_periods(self.every, effective, as_of)
        assert self.every_months is not None
        return periods_since_entry(effective, self.every_months, as_of)

    def due(self, period: Period, *, next_working_day: Callable[[dt.date], dt.date]) -> dt.date:
        return report_due_on_working_day(period.end, self.day, next_working_day=next_working_day)


_DAY = dt.timedelta(days=1)
