"""Reporting periods by calendar quarter and half-year, or by months since entry into force,
with due dates moved off days off."""

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.calendars.periods import (
    Period,
    ReportingRule,
    add_months,
    calendar_periods,
    periods_since_entry,
    report_due,
    report_due_on_working_day,
)
from accord.services.working_days import next_working_day


def test_half_years_follow_the_calendar_from_entry_into_force() -> None:
    periods = calendar_periods("half-year", date(2026, 3, 10), as_of=date(2027, 7, 1))

    assert periods == [
        Period(date(2026, 3, 10), date(2026, 6, 30)),
        Period(date(2026, 7, 1), date(2026, 12, 31)),
        Period(date(2027, 1, 1), date(2027, 6, 30)),
    ]


def test_a_period_is_reported_only_once_it_has_ended() -> None:
    assert calendar_periods("quarter", date(2026, 1, 1), as_of=date(2026, 3, 31)) == []
    assert calendar_periods("quarter", date(2026, 1, 1), as_of=date(2026, 4, 1)) == [
        Period(date(2026, 1, 1), date(2026, 3, 31))
    ]


def test_quarters_months_and_years() -> None:
    quarters = calendar_periods("quarter", date(2026, 5, 15), as_of=date(2027, 1, 2))
    assert [(p.start, p.end) for p in quarters] == [
        (date(2026, 5, 15), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 12, 31)),
    ]
    months = calendar_periods("month", date(2026, 1, 31), as_of=date(2026, 3, 1))
    assert [p.end for p in months] == [date(2026, 1, 31), date(2026, 2, 28)]
    years = calendar_periods("year", date(2025, 7, 1), as_of=date(2027, 1, 1))
    assert years == [
        Period(date(2025, 7, 1), date(2025, 12, 31)),
        Period(date(2026, 1, 1), date(2026, 12, 31)),
    ]


def test_periods_since_entry_into_force() -> None:
    periods = periods_since_entry(date(2026, 3, 10), 6, as_of=date(2027, 3, 10))

    assert periods == [
        Period(date(2026, 3, 10), date(2026, 9, 9)),
        Period(date(2026, 9, 10), date(2027, 3, 9)),
    ]


@settings(max_examples=200, deadline=None)
@given(
    effective=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    months=st.integers(min_value=1, max_value=24),
    later=st.integers(min_value=0, max_value=2000),
)
def test_periods_since_entry_end_where_the_daily_run_ends_them(
    effective: date, months: int, later: int
) -> None:
    as_of = date.fromordinal(effective.toordinal() + later)

    periods = periods_since_entry(effective, months, as_of)

    anniversaries = [add_months(effective, k * months) for k in range(1, len(periods) + 2)]
    assert [p.end.toordinal() + 1 for p in periods] == [a.toordinal() for a in anniversaries[:-1]]
    assert anniversaries[-1].toordinal() - 1 >= as_of.toordinal()  # the next one has not ended
    assert all(p.start <= p.end for p in periods)
    assert all(b.start.toordinal() == a.end.toordinal() + 1 for a, b in pairwise(periods))


def test_by_the_20th_after_each_half_year() -> None:
    assert report_due(date(2026, 6, 30), 20) == date(2026, 7, 20)
    assert report_due(date(2026, 12, 31), 20) == date(2027, 1, 20)
    assert report_due(date(2027, 1, 31), 31) == date(2027, 2, 28)


def test_a_due_date_on_a_day_off_moves_to_the_next_working_day() -> None:
    def in_kz(day: date) -> date:
        return next_working_day(day, "KZ")

    def in_tj(day: date) -> date:
        return next_working_day(day, "TJ")

    # 20 December 2026 is a Sunday.
    assert report_due_on_working_day(date(2026, 11, 30), 20, next_working_day=in_kz) == date(
        2026, 12, 21
    )
    # Tajikistan, 20 March 2026: the Navruz days off run to 29 March (see the country tests).
    assert report_due_on_working_day(date(2026, 2, 28), 20, next_working_day=in_tj) == date(
        2026, 3, 30
    )
    assert report_due_on_working_day(date(2026, 5, 31), 20, next_working_day=in_tj) == date(
        2026, 6, 22
    )


def test_a_reporting_rule_in_either_form() -> None:
    half_years = ReportingRule(day=20, every="half-year")
    anniversary = ReportingRule(day=20, every_months=6)
    effective, as_of = date(2026, 3, 10), date(2027, 1, 25)

    assert [p.end for p in half_years.periods(effective, as_of)] == [
        date(2026, 6, 30),
        date(2026, 12, 31),
    ]
    assert [p.end for p in anniversary.periods(effective, as_of)] == [date(2026, 9, 9)]
    last = half_years.periods(effective, as_of)[-1]
    assert half_years.due(last, next_working_day=lambda d: next_working_day(d, "KZ")) == date(
        2027, 1, 20
    )
    with pytest.raises(ValueError, match="exactly one"):
        ReportingRule(day=20, every="quarter", every_months=3)
    with pytest.raises(ValueError, match="exactly one"):
        ReportingRule(day=20)
