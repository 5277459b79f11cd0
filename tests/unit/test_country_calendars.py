"""Each country's working days against its published calendars for 2024–2026 (and 2023 for
Tajikistan's rule), through the public functions and the project's own override files.

Every date cites where the government published it (decree, official calendar) or where
the press reported the official calendar.
"""

from datetime import date, timedelta

import pytest

from accord.services.working_days import (
    DeadlineInvalid,
    add_working_days,
    check_deadline,
    holiday_name,
    is_working_day,
    working_days_between,
)

OFF, WORKING = False, True

KZ_GOV_2024 = "KZ Government resolution moving 4 May 2024 to 8 May (adilet G24G0000109)"
KZ_GOV_2025 = "KZ Government resolution moving 5 January 2025 to 3 January (adilet G24G0000436)"
KZ_EGOV_2026 = "egov.kz holiday calendar 2026 (alau.kz, 2 January 2026)"
KZ_2025_AUGUST = "egov.kz calendar: 30 August 2025 on a Saturday, 1 September off (22 Aug 2025)"
KZ_2025_OCTOBER = "Republic Day on Saturday 25 October 2025, 27 October off (alau.kz)"
KZ_2026_JANUARY = "Government calendar for New Year 2026: 5-6 January working (inform.kz)"
KZ_2026_AUGUST = "Ministry of Labour: 30 August no longer a holiday from 2026 (Taspanews)"

KAZAKHSTAN = [
    (date(2024, 5, 4), WORKING, KZ_GOV_2024),
    (date(2024, 5, 8), OFF, KZ_GOV_2024),
    (date(2025, 1, 5), WORKING, KZ_GOV_2025),
    (date(2025, 1, 3), OFF, KZ_GOV_2025),
    (date(2025, 9, 1), OFF, KZ_2025_AUGUST),
    (date(2025, 10, 27), OFF, KZ_2025_OCTOBER),
    (date(2026, 1, 5), WORKING, KZ_2026_JANUARY),
    (date(2026, 3, 9), OFF, KZ_EGOV_2026),
    (date(2026, 3, 25), OFF, KZ_EGOV_2026),
    (date(2026, 5, 11), OFF, KZ_EGOV_2026),
    (date(2026, 5, 27), OFF, KZ_EGOV_2026),
    (date(2026, 8, 31), WORKING, KZ_2026_AUGUST),
]

KG_2024 = "Cabinet: 22 March 2024 off, worked 8 April instead (Ministry of Labour via Kabar)"
KG_2024_MARCH = "Ministry of Labour: 8-10 March 2024 off (Kabar, vb.kg)"
KG_2025 = "Cabinet resolution of 30 December 2024 on days off in 2025 (24.kg)"
KG_2026_JANUARY = "Cabinet resolution extending New Year holidays 2026 to 12 January (24.kg)"
KG_2026_CALENDAR = "Ministry of Labour production calendar 2026: 1-9 May off (24.kg, 11 Dec 2025)"
KG_2026_MARCH = "Labour Code 2025: no transfers, 23 February and 9 March working (mts.kg)"

KYRGYZSTAN = [
    (date(2024, 3, 8), OFF, KG_2024_MARCH),
    (date(2024, 3, 22), OFF, KG_2024),
    (date(2024, 4, 8), WORKING, KG_2024),
    (date(2025, 1, 3), OFF, KG_2025),
    (date(2025, 1, 11), WORKING, KG_2025),
    (date(2025, 5, 2), OFF, KG_2025),
    (date(2025, 9, 1), WORKING, KG_2025),
    (date(2026, 1, 8), OFF, KG_2026_JANUARY),
    (date(2026, 1, 9), OFF, KG_2026_JANUARY),
    (date(2026, 2, 23), WORKING, KG_2026_MARCH),
    (date(2026, 3, 9), WORKING, KG_2026_MARCH),
    (date(2026, 5, 4), OFF, KG_2026_CALENDAR),
]

TJ_2023 = "Government resolution on transferring days off in 2023 (Khatlon, 2 May 2023)"
TJ_2023_JUNE = "Government resolution: 24 June 2023 worked, 26 June off (Sputnik, 19 Jun 2023)"
TJ_2024_JUNE = "Trade-union federation: Eid al-Adha on Sunday 16 June 2024, 17 June off (Sputnik)"
TJ_2025_MARCH = "Navruz 2025: days off 21-26 March (Sputnik Tajikistan, 15 March 2025)"
TJ_2026_JANUARY = "Government resolution for 2026: 2 January off, 10 January worked (Karavan Info)"
TJ_2026_MARCH = "March 2026: 7-9 March off, 14 March worked for 27 March (Sputnik, 27 Feb 2026)"
TJ_2026_NAVRUZ = "Navruz 2026: non-working 20-29 March (Sputnik Tajikistan, 9 Dec 2025)"

TAJIKISTAN = [
    (date(2023, 5, 6), WORKING, TJ_2023),
    (date(2023, 5, 8), OFF, TJ_2023),
    (date(2023, 6, 24), WORKING, TJ_2023_JUNE),
    (date(2023, 6, 26), OFF, TJ_2023_JUNE),
    (date(2024, 6, 17), OFF, TJ_2024_JUNE),
    (date(2025, 3, 25), OFF, TJ_2025_MARCH),
    (date(2025, 3, 26), OFF, TJ_2025_MARCH),
    (date(2026, 1, 2), OFF, TJ_2026_JANUARY),
    (date(2026, 1, 10), WORKING, TJ_2026_JANUARY),
    (date(2026, 3, 9), OFF, TJ_2026_MARCH),
    (date(2026, 3, 14), WORKING, TJ_2026_MARCH),
    (date(2026, 3, 27), OFF, TJ_2026_MARCH),
    (date(2026, 3, 25), OFF, TJ_2026_NAVRUZ),
    (date(2026, 3, 30), WORKING, TJ_2026_NAVRUZ),
]

UZ_2024 = "Presidential decree UP-213 of 22 December 2023 on days off in 2024"
UZ_2024_QURBON = "Presidential resolution on Qurbon hayit 2024: 16 June Sunday, 17-18 June off"
UZ_2025_RAMAZON = "Presidential resolution on Ramazon hayit 2025: 30 March Sunday, 31 March off"
UZ_2025_DECEMBER = "Constitution Day on Monday 8 December 2025 (yuz.uz)"
UZ_2026_RAMAZON = "Presidential resolution of 18 March 2026: Ramazon hayit on 20 March (zamin.uz)"

UZBEKISTAN = [
    (date(2024, 1, 2), OFF, UZ_2024),
    (date(2024, 1, 6), WORKING, UZ_2024),
    (date(2024, 4, 12), OFF, UZ_2024),
    (date(2024, 4, 13), WORKING, UZ_2024),
    (date(2024, 6, 17), OFF, UZ_2024_QURBON),
    (date(2024, 6, 18), OFF, UZ_2024),
    (date(2024, 12, 14), WORKING, UZ_2024),
    (date(2024, 12, 30), OFF, UZ_2024),
    (date(2025, 3, 31), OFF, UZ_2025_RAMAZON),
    (date(2025, 12, 8), OFF, UZ_2025_DECEMBER),
    (date(2026, 3, 20), OFF, UZ_2026_RAMAZON),
]

TM_2024_ORAZA = "Presidential decree on Oraza bayramy: 10 April 2024 (turkmenistan.gov.tm)"
TM_2024_GURBAN = "Presidential decree of 14 June 2024: Gurban bayramy 16-18 June, 19 June off"
TM_2024_OCTOBER = "Presidential decree of 4 October 2024: day off moved to 7 October (TDH)"
TM_2025_ORAZA = "Presidential decree of 28 March 2025: Oraza bayramy 30 March, 31 March off"
TM_2025_MAY = "Presidential decree of 15 May 2025: day off moved from 18 to 19 May (TDH)"
TM_2025_GURBAN = "Presidential decree of 29 May 2025: Gurban bayramy 6-8 June, 9 June off"
TM_2025_DECEMBER = "Presidential decree declaring 11-13 December 2025 non-working (TDH 46993)"
TM_2026_SEPTEMBER = "Presidential decree declaring 28 September 2026 non-working (TDH 49802)"

TURKMENISTAN = [
    (date(2024, 4, 10), OFF, TM_2024_ORAZA),
    (date(2024, 6, 18), OFF, TM_2024_GURBAN),
    (date(2024, 6, 19), OFF, TM_2024_GURBAN),
    (date(2024, 10, 7), OFF, TM_2024_OCTOBER),
    (date(2025, 3, 31), OFF, TM_2025_ORAZA),
    (date(2025, 5, 19), OFF, TM_2025_MAY),
    (date(2025, 6, 9), OFF, TM_2025_GURBAN),
    (date(2025, 12, 11), OFF, TM_2025_DECEMBER),
    (date(2025, 12, 12), OFF, TM_2025_DECEMBER),
    (date(2026, 9, 28), OFF, TM_2026_SEPTEMBER),
]

CASES = [
    pytest.param(country, day, working, id=f"{country}-{day}-{'working' if working else 'off'}")
    for country, cases in (
        ("KZ", KAZAKHSTAN),
        ("KG", KYRGYZSTAN),
        ("TJ", TAJIKISTAN),
        ("UZ", UZBEKISTAN),
        ("TM", TURKMENISTAN),
    )
    for day, working, _source in cases
]


@pytest.mark.parametrize(("country", "day", "working"), CASES)
def test_published_calendar_days(country: str, day: date, working: bool) -> None:
    assert is_working_day(day, country) is working
    assert (holiday_name(day, country) is None) is working


@pytest.mark.parametrize(
    "cases", [KAZAKHSTAN, KYRGYZSTAN, TAJIKISTAN, UZBEKISTAN, TURKMENISTAN], ids=str
)
def test_ten_cited_dates_per_country_in_2024_to_2026(cases: list[tuple[date, bool, str]]) -> None:
    cited = [(day, source) for day, _working, source in cases if 2024 <= day.year <= 2026]
    assert len(cited) >= 10
    assert all(source.strip() for _day, source in cited)


def test_weekend_days_worked_by_decree_count_as_working_days() -> None:
    saturday = date(2024, 5, 4)  # KZ_GOV_2024
    assert saturday.weekday() == 5
    assert add_working_days(date(2024, 5, 3), 1, "KZ") == saturday
    assert working_days_between(date(2024, 5, 3), date(2024, 5, 6), "KZ") == 2


# --- Tajikistan ----------------------------------------------------------------------------


def test_ten_working_days_from_19_march_2026_skip_navruz() -> None:
    # TJ_2026_NAVRUZ: 20-29 March are not working days; counting resumes on 30 March.
    end = add_working_days(date(2026, 3, 19), 10, "TJ")

    assert end == date(2026, 4, 10)
    navruz = [date(2026, 3, 20) + timedelta(days=n) for n in range(10)]
    assert not any(is_working_day(day, "TJ") for day in navruz)
    assert working_days_between(date(2026, 3, 19), date(2026, 3, 30), "TJ") == 1


def test_a_tajik_holiday_on_a_weekend_moves_to_the_next_working_day() -> None:
    # Mother's Day on Sunday 8 March 2026: 9 March off (TJ_2026_MARCH).
    assert holiday_name(date(2026, 3, 9), "TJ") == "Mother's Day (moved from Sun 2026-03-08)"
    # Two Navruz days on the weekend move past the two Navruz weekdays (TJ_2025_MARCH).
    assert holiday_name(date(2025, 3, 25), "TJ") == (
        "International Nowruz Day (moved from Sat 2025-03-22)"
    )
    assert holiday_name(date(2025, 3, 26), "TJ") == (
        "International Nowruz Day (moved from Sun 2025-03-23)"
    )
    # New Year on Sunday 1 January 2023: 2 January off (trade-union federation, Khabari Khush,
    # 19 December 2022).
    assert not is_working_day(date(2023, 1, 2), "TJ")
    assert is_working_day(date(2023, 1, 3), "TJ")


def _days_off(country: str, first: date, last: date) -> int:
    return sum(
        not is_working_day(first + timedelta(days=n), country)
        for n in range((last - first).days + 1)
    )


def test_tajik_day_off_counts_match_the_published_calendars() -> None:
    # Sputnik Tajikistan, 9 December 2025: 116 days off in 2026.
    assert _days_off("TJ", date(2026, 1, 1), date(2026, 12, 31)) == 116
    # Sputnik Tajikistan, 27 February 2026: 15 days off in March 2026.
    assert _days_off("TJ", date(2026, 3, 1), date(2026, 3, 31)) == 15
    # Trade-union federation via Sputnik Tajikistan, 15 March 2025: 16 days off in March 2025.
    assert _days_off("TJ", date(2025, 3, 1), date(2025, 3, 31)) == 16


def test_deadlines_on_worked_saturdays_pass_and_on_moved_days_off_are_refused() -> None:
    check_deadline(date(2024, 5, 4), today=date(2024, 5, 1), country="KZ")  # KZ_GOV_2024

    with pytest.raises(DeadlineInvalid) as error:
        check_deadline(date(2026, 3, 25), today=date(2026, 3, 1), country="TJ")

    assert str(error.value) == (
        "deadline 2026-03-25 is a day off in TJ (International Nowruz Day (moved from Sat "
        "2026-03-21)); the next working day is 2026-03-30"
    )
