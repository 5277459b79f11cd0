"""Working-day arithmetic against the `holidays` package's calendars (dates checked in 0.109)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import AccordError
from accord.services.working_days import (
    REGION,
    DeadlineInvalid,
    UnknownCountry,
    add_working_days,
    check_deadline,
    deadline_passed,
    holiday_name,
    is_working_day,
    next_working_day,
    subtract_working_days,
    working_day_end,
    working_days_between,
)

TODAY = date(2026, 11, 24)  # a Tuesday


# --- the calendar ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2027, 3, 21), "Nowruz Holiday"),
        (date(2027, 3, 22), "Nowruz Holiday"),
        (date(2027, 3, 23), "Nowruz Holiday"),
        (date(2027, 3, 24), "Nowruz Holiday (observed)"),
        (date(2026, 12, 16), "Independence Day"),
        (date(2027, 1, 7), "Orthodox Christmas"),
        (date(2027, 7, 6), "Capital Day"),
        (date(2027, 10, 25), "Republic Day"),
    ],
)
def test_kazakh_public_holidays_are_not_working_days(day: date, name: str) -> None:
    assert not is_working_day(day, "KZ")
    assert holiday_name(day, "KZ") == name


def test_ordinary_weekdays_work_and_weekends_do_not() -> None:
    assert is_working_day(date(2026, 11, 24), "KZ")
    assert is_working_day(date(2027, 3, 25), "KZ")
    assert not is_working_day(date(2026, 11, 28), "KZ")  # Saturday
    assert not is_working_day(date(2026, 11, 29), "KZ")  # Sunday
    assert holiday_name(date(2026, 11, 28), "KZ") is None


@pytest.mark.parametrize(
    ("country", "day", "name"),
    [
        ("KG", date(2026, 8, 31), "Independence Day"),
        ("TJ", date(2026, 9, 9), "Independence Day"),
        ("UZ", date(2026, 9, 1), "Independence Day"),
        ("TM", date(2026, 12, 11), None),
        ("TM", date(2026, 9, 29), "Independence Day (observed)"),
        ("FR", date(2026, 7, 14), "National Day"),
    ],
)
def test_every_country_of_the_region_and_beyond(country: str, day: date, name: str | None) -> None:
    assert holiday_name(day, country) == name
    assert is_working_day(day, country) is (name is None)


def test_country_codes_are_case_insensitive() -> None:
    assert not is_working_day(date(2026, 12, 16), "kz")
    assert holiday_name(date(2026, 12, 16), " kz ") == "Independence Day"


@pytest.mark.parametrize("country", ["XX", "", "kazakhstan", "NYSE"])
def test_an_unknown_country_is_a_clear_domain_error(country: str) -> None:
    with pytest.raises(UnknownCountry, match="no public-holiday calendar for country") as error:
        add_working_days(TODAY, 3, country)

    assert isinstance(error.value, AccordError)
    assert "KZ, KG, TJ, UZ, TM" in str(error.value)


# --- counting ----------------------------------------------------------------------------


def test_the_start_day_is_not_counted() -> None:
    assert add_working_days(TODAY, 1, "KZ") == date(2026, 11, 25)
    assert add_working_days(TODAY, 0, "KZ") == TODAY


def test_weekends_are_skipped() -> None:
    friday = date(2026, 11, 27)

    assert add_working_days(friday, 1, "KZ") == date(2026, 11, 30)
    assert add_working_days(friday, 5, "KZ") == date(2026, 12, 4)
    assert add_working_days(date(2026, 11, 28), 1, "KZ") == date(2026, 11, 30)


def test_nauryz_is_skipped() -> None:
    friday = date(2027, 3, 19)

    assert add_working_days(friday, 1, "KZ") == date(2027, 3, 25)
    assert working_days_between(friday, date(2027, 3, 25), "KZ") == 1


def test_year_boundary_with_new_year_and_christmas() -> None:
    # 1 Jan (Fri) holiday, 2-3 weekend, 4 observed, 5 and 6 work, 7 Christmas, 8 works.
    assert add_working_days(date(2026, 12, 31), 3, "KZ") == date(2027, 1, 8)
    assert working_days_between(date(2026, 12, 31), date(2027, 1, 8), "KZ") == 3


def test_month_boundary() -> None:
    assert add_working_days(date(2026, 11, 30), 2, "KZ") == date(2026, 12, 2)
    assert add_working_days(date(2026, 4, 29), 2, "KZ") == date(2026, 5, 4)  # 1 May holiday


def test_ten_working_days_for_a_review_round() -> None:
    # 16 Dec (Wed) is Independence Day: ten working days from 10 Dec end on 25 Dec.
    assert add_working_days(date(2026, 12, 10), 10, "KZ") == date(2026, 12, 25)


def test_reminder_dates_count_back_from_the_deadline() -> None:
    deadline = date(2027, 3, 26)  # Friday after Nauryz

    assert subtract_working_days(deadline, 1, "KZ") == date(2027, 3, 25)
    assert subtract_working_days(deadline, 2, "KZ") == date(2027, 3, 19)
    assert subtract_working_days(deadline, 0, "KZ") == deadline
    assert working_days_between(date(2027, 3, 19), deadline, "KZ") == 2


def test_between_is_zero_on_the_same_day_and_negative_backwards() -> None:
    assert working_days_between(TODAY, TODAY, "KZ") == 0
    assert working_days_between(date(2026, 11, 30), date(2026, 11, 27), "KZ") == -1
    assert working_days_between(date(2026, 11, 28), date(2026, 11, 29), "KZ") == 0


def test_next_working_day() -> None:
    assert next_working_day(TODAY, "KZ") == TODAY
    assert next_working_day(date(2027, 3, 20), "KZ") == date(2027, 3, 25)
    assert next_working_day(date(2026, 12, 31), "KZ") == date(2026, 12, 31)
    assert next_working_day(date(2027, 1, 1), "KZ") == date(2027, 1, 5)


# --- checking a deadline -----------------------------------------------------------------


def test_a_working_day_deadline_passes() -> None:
    check_deadline(date(2026, 12, 1), today=TODAY, country="KZ")
    check_deadline(TODAY, today=TODAY, country="KZ")


def test_a_deadline_in_the_past() -> None:
    with pytest.raises(DeadlineInvalid) as error:
        check_deadline(date(2026, 11, 20), today=TODAY, country="KZ")

    assert str(error.value) == "deadline 2026-11-20 is in the past (today is 2026-11-24)"
    assert isinstance(error.value, AccordError)


def test_a_deadline_on_a_public_holiday_names_it_and_the_next_working_day() -> None:
    with pytest.raises(DeadlineInvalid) as error:
        check_deadline(date(2027, 3, 22), today=TODAY, country="kz")

    assert str(error.value) == (
        "deadline 2027-03-22 is a public holiday in KZ (Nowruz Holiday); "
        "the next working day is 2027-03-25"
    )


def test_a_deadline_on_a_weekend_says_the_next_working_day() -> None:
    with pytest.raises(DeadlineInvalid) as error:
        check_deadline(date(2026, 11, 29), today=TODAY, country="KZ")

    assert str(error.value) == (
        "deadline 2026-11-29 is a Sunday, not a working day; the next working day is 2026-11-30"
    )


def test_a_weekend_before_a_holiday_skips_both() -> None:
    with pytest.raises(DeadlineInvalid, match="the next working day is 2027-01-05"):
        check_deadline(date(2027, 1, 3), today=TODAY, country="KZ")


def test_an_unknown_country_deadline() -> None:
    with pytest.raises(UnknownCountry, match="'ZZ'"):
        check_deadline(date(2026, 12, 1), today=TODAY, country="ZZ")


# --- properties --------------------------------------------------------------------------

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2034, 12, 31))
countries = st.sampled_from(REGION)


@settings(max_examples=300, deadline=None)
@given(start=days, n=st.integers(min_value=1, max_value=60), country=countries)
def test_adding_then_counting_gives_n_on_a_working_day(start: date, n: int, country: str) -> None:
    end = add_working_days(start, n, country)

    assert end > start
    assert is_working_day(end, country)
    assert working_days_between(start, end, country) == n
    assert working_days_between(start, end - timedelta(days=1), country) == n - 1


@settings(max_examples=300, deadline=None)
@given(day=days, n=st.integers(min_value=0, max_value=60), country=countries)
def test_subtracting_undoes_adding_from_a_working_day(day: date, n: int, country: str) -> None:
    deadline = next_working_day(day, country)
    reminder = subtract_working_days(deadline, n, country)

    assert reminder <= deadline
    assert n == 0 or is_working_day(reminder, country)
    assert add_working_days(reminder, n, country) == deadline
    assert working_days_between(reminder, deadline, country) == n


@settings(max_examples=200, deadline=None)
@given(a=days, b=days, country=countries)
def test_counting_is_antisymmetric(a: date, b: date, country: str) -> None:
    assert working_days_between(a, b, country) == -working_days_between(b, a, country)


def test_a_deadline_ends_with_the_working_day_of_the_agreements_country() -> None:
    day = date(2027, 1, 25)
    assert working_day_end(day, "KG").astimezone(UTC) == datetime(2027, 1, 25, 12, tzinfo=UTC)
    assert working_day_end(day, "TJ").astimezone(UTC) == datetime(2027, 1, 25, 13, tzinfo=UTC)
    summer = working_day_end(date(2027, 7, 1), "DE")  # daylight saving time: 18:00 is 16:00 UTC
    assert summer.astimezone(UTC) == datetime(2027, 7, 1, 16, tzinfo=UTC)
    assert not deadline_passed(day, "KZ", now=datetime(2027, 1, 25, 12, 59, tzinfo=UTC))
    assert deadline_passed(day, "KZ", now=datetime(2027, 1, 25, 13, 0, tzinfo=UTC))
