"""Commitment rules without a database: reporting periods, due dates, expiry, the daily sweep's
selection, and what a progress report may say."""

from datetime import date, timedelta

import pytest

from accord.calendars.periods import Period, add_months
from accord.errors import Refusal
from accord.services.commitments import rules
from accord.services.commitments.rules import SweepItem
from accord.source.spec import Recurrence, RepeatSpec, ReportingSpec, TermSpec
from models import ItemStatus
from tests.factories import make_agreement, minimal_pdf

DAYS_OFF = {date(2027, 8, 30), date(2028, 1, 1), date(2028, 1, 2), date(2028, 1, 3)}
"""A country's days off besides weekends: a holiday on Monday 30 August 2027, New Year 2028."""


def next_working_day(day: date) -> date:
    """A calendar of Saturday–Sunday weekends and `DAYS_OFF`, as the country calendars give."""
    while day.weekday() >= 5 or day in DAYS_OFF:
        day += timedelta(days=1)
    return day


def test_months_keep_the_day_or_take_the_months_last() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)
    assert add_months(date(2027, 5, 31), 12) == date(2028, 5, 31)


def test_reporting_periods_end_the_day_before_each_anniversary() -> None:
    effective, six = date(2027, 1, 11), ReportingSpec(every_months=6, day=20)
    assert rules.ended_periods(six, effective, date(2027, 7, 10)) == []
    assert rules.ended_periods(six, effective, date(2027, 7, 11)) == [
        Period(effective, date(2027, 7, 10))
    ]
    ends = [p.end for p in rules.ended_periods(six, effective, date(2028, 1, 11))]
    assert ends == [date(2027, 7, 10), date(2028, 1, 10)]
    monthly = ReportingSpec(every_months=1, day=20)
    ends = [p.end for p in rules.ended_periods(monthly, date(2027, 1, 31), date(2027, 3, 31))]
    assert ends == [date(2027, 2, 27), date(2027, 3, 30)]


def test_reporting_periods_can_follow_calendar_half_years_and_quarters() -> None:
    effective = date(2027, 3, 10)
    halves = rules.ended_periods(ReportingSpec(every="half-year"), effective, date(2028, 1, 1))
    assert halves == [
        Period(effective, date(2027, 6, 30)),
        Period(date(2027, 7, 1), date(2027, 12, 31)),
    ]
    quarters = rules.ended_periods(ReportingSpec(every="quarter"), effective, date(2027, 10, 1))
    assert [p.end for p in quarters] == [date(2027, 3, 31), date(2027, 6, 30), date(2027, 9, 30)]


def test_a_report_is_due_by_a_day_of_the_following_month() -> None:
    spec = ReportingSpec(every_months=6, day=20)
    period = Period(date(2027, 1, 11), date(2027, 7, 10))
    assert rules.report_due(spec, period, next_working_day) == date(2027, 8, 20)  # a Friday
    last = ReportingSpec(every_months=1, day=28)
    assert rules.report_due(
        last, Period(date(2027, 1, 1), date(2027, 1, 31)), next_working_day
    ) == (
        date(2027, 2, 28) + timedelta(days=1)  # Sunday 28 February → Monday 1 March
    )


def test_a_due_date_on_a_day_off_moves_to_the_next_working_day() -> None:
    """ "By the 20th after each half-year"; by the 1st: New Year's days and a weekend."""
    half_year = ReportingSpec(every="half-year", day=1)
    period = Period(date(2027, 7, 1), date(2027, 12, 31))
    assert rules.report_due(half_year, period, next_working_day) == date(2028, 1, 4)
    weekend = ReportingSpec(every="half-year", day=20)
    second = Period(date(2028, 1, 1), date(2028, 6, 30))
    assert rules.report_due(weekend, second, next_working_day) == date(2028, 7, 20)  # Thursday
    by_28 = ReportingSpec(every="month", day=28)
    july = Period(date(2027, 7, 1), date(2027, 7, 31))
    assert rules.report_due(by_28, july, next_working_day) == date(2027, 8, 31)  # Sat, Sun, off


def request(end: date, as_of: date, *, asked: bool) -> str:
    first = f"report_request:1:{end}:5"
    key = rules.report_request_key(
        first, already_asked=asked, period_end=end, as_of=as_of, next_working_day=next_working_day
    )
    return key.removeprefix(first) if key.startswith(first) else "none"


def test_report_requests_start_once_then_remind_weekly() -> None:
    end = date(2027, 7, 14)  # a Wednesday
    assert request(end, date(2027, 7, 15), asked=False) == ""
    assert request(end, date(2027, 7, 16), asked=True) == "none"
    assert request(end, date(2027, 7, 21), asked=True) == ":2027-07-21"
    assert request(end, date(2027, 7, 28), asked=True) == ":2027-07-28"
    assert request(end, date(2027, 7, 29), asked=True) == "none"


def test_requests_and_reminders_on_days_off_wait_for_the_next_working_day() -> None:
    end = date(2027, 12, 31)  # the first request would fall on New Year's Day
    assert request(end, date(2028, 1, 1), asked=False) == "none"
    assert request(end, date(2028, 1, 3), asked=False) == "none"
    assert request(end, date(2028, 1, 4), asked=False) == ""
    assert request(end, date(2028, 1, 5), asked=False) == ""  # missed days still ask
    saturday = date(2027, 8, 21)  # its weekly reminders fall on Saturdays
    assert request(saturday, date(2027, 8, 28), asked=True) == "none"
    assert request(saturday, date(2027, 8, 30), asked=True) == "none"  # Monday off
    assert request(saturday, date(2027, 8, 31), asked=True) == ":2027-08-31"
    assert request(saturday, date(2027, 9, 6), asked=True) == ":2027-09-06"


def test_the_term_ends_on_its_date_or_years_after_entry_into_force() -> None:
    effective = date(2027, 1, 11)
    assert rules.expiry_date(make_agreement(term=None), effective) is None
    assert rules.expiry_date(make_agreement(term=TermSpec(years=3)), effective) == date(2030, 1, 11)
    assert rules.expiry_date(
        make_agreement(term=TermSpec(until=date(2029, 6, 30))), effective
    ) == date(2029, 6, 30)


def test_expiry_warnings_and_expiry() -> None:
    ends = date(2030, 1, 11)  # a Friday

    def warning(as_of: date) -> int | None:
        return rules.expiry_warning(ends, as_of, next_working_day)

    assert warning(date(2029, 10, 12)) is None  # 91 days before
    assert warning(date(2029, 10, 13)) is None  # 90 days before: a Saturday
    assert warning(date(2029, 10, 15)) == 90  # so the Monday after
    assert warning(date(2029, 12, 12)) == 30
    assert warning(date(2030, 1, 11)) == 7
    assert warning(date(2030, 1, 12)) is None
    assert not rules.has_expired(ends, ends)  # it holds through its last day
    assert rules.has_expired(ends, date(2030, 1, 12))


def test_an_expiry_alert_on_a_day_off_waits_for_the_next_working_day() -> None:
    ends = date(2028, 1, 8)  # 7 days before: 1 January; 2 and 3 January off too
    assert rules.expiry_alert_day(ends, 7, next_working_day) == date(2028, 1, 4)
    assert rules.expiry_warning(ends, date(2028, 1, 3), next_working_day) == 30
    assert rules.expiry_warning(ends, date(2028, 1, 4), next_working_day) == 7
    saturday = date(2027, 12, 11)  # the 30-day alert falls on Thursday 11 November
    assert rules.expiry_alert_day(saturday, 30, next_working_day) == date(2027, 11, 11)
    assert rules.expiry_alert_day(saturday, 7, next_working_day) == date(2027, 12, 6)


def test_an_alert_moved_past_the_last_day_is_sent_on_the_last_day() -> None:
    ends = date(2028, 1, 2)  # 1 January and every day until the end are days off
    assert rules.expiry_alert_day(ends, 1, next_working_day) == ends


AS_OF = date(2027, 4, 12)


def item(n: int, due: date, agreement: int = 1) -> SweepItem:
    return SweepItem(n, f"c-{n}", agreement, 10, due, {"ru": f"Мероприятие {n}"})


def test_the_sweep_takes_items_up_to_their_agreements_horizon() -> None:
    items = [item(1, date(2027, 4, 16)), item(2, date(2027, 4, 20)), item(3, date(2027, 4, 1), 2)]
    horizons = {1: date(2027, 4, 19)}  # agreement 2 has ended: no horizon
    assert [i.id for i in rules.within_horizon(items, horizons)] == [1]


def test_on_a_day_off_of_its_country_an_agreement_is_not_reminded_of() -> None:
    """Kazakhstan works today, Tajikistan is off (Navruz): the Tajik plan's items wait for the
    next working day's sweep."""
    countries = {1: "KZ", 2: "TJ", 3: "KZ"}
    horizons = rules.reminder_horizons(countries, {"KZ": date(2027, 3, 31)})
    assert horizons == {1: date(2027, 3, 31), 3: date(2027, 3, 31)}
    items = [
        item(1, date(2027, 3, 30)),
        item(2, date(2027, 3, 30), 2),
        item(3, date(2027, 3, 1), 3),
    ]
    assert [i.id for i in rules.within_horizon(items, horizons)] == [1, 3]
    assert rules.reminder_horizons(countries, {}) == {}


def test_a_digest_never_repeats_an_item_the_same_day() -> None:
    soon, late = item(1, date(2027, 4, 14)), item(2, date(2027, 4, 1))
    assert rules.threshold(soon, AS_OF) == "due_soon" and rules.threshold(late, AS_OF) == "overdue"
    assert rules.fresh_for_digest([soon, late], AS_OF, set()) == [soon, late]
    assert rules.fresh_for_digest([soon, late], AS_OF, {(1, "due_soon"), (2, "due_soon")}) == [late]


def test_escalation_takes_items_past_a_threshold_once_per_threshold() -> None:
    items = [item(1, date(2027, 3, 29)), item(2, date(2027, 3, 28)), item(3, date(2027, 4, 13))]
    thresholds = rules.escalation_thresholds(14)
    assert thresholds == (14, 30, 60)
    assert [(i.id, t) for i, t in rules.escalated(items, AS_OF, thresholds, set())] == [(2, 14)]
    assert rules.escalated(items, AS_OF, thresholds, {(2, 14)}) == []
    later = date.fromordinal(AS_OF.toordinal() + 16)  # item 2 is 31 days overdue, item 1 is 30
    assert [(i.id, t) for i, t in rules.escalated(items, later, thresholds, {(2, 14)})] == [
        (1, 14),
        (2, 30),
        (3, 14),
    ]
    long_after = date.fromordinal(AS_OF.toordinal() + 60)  # a gap: only the highest passed
    assert [t for _, t in rules.escalated(items, long_after, thresholds, set())] == [60, 60, 30]
    assert rules.escalation_thresholds(45) == (45, 60)


def _code(call: object) -> str:
    assert callable(call)
    with pytest.raises(Refusal) as refused:
        call()
    return refused.value.code


def test_what_a_progress_report_may_say() -> None:
    assert rules.reported_status(ItemStatus.done) is ItemStatus.done
    assert _code(lambda: rules.reported_status(ItemStatus.overdue)) == "commitments.status"
    assert rules.reported_percent(None) is None and rules.reported_percent(100) == 100
    assert _code(lambda: rules.reported_percent(101)) == "commitments.percent"
    assert rules.reported_value("  ") is None and rules.reported_note(" ok ") == "ok"
    assert _code(lambda: rules.reported_value("9" * 201)) == "commitments.value_too_long"
    assert _code(lambda: rules.reported_note("n" * 5001)) == "commitments.note_too_long"


def test_evidence_is_an_allowed_file_of_its_own_type_within_the_limit() -> None:
    pdf = minimal_pdf()
    assert rules.evidence_file("C:\\Отчёты\\протокол.PDF", pdf) == ("протокол.PDF", ".pdf")
    assert _code(lambda: rules.evidence_file("setup.exe", b"MZ")) == "commitments.evidence_type"
    assert _code(lambda: rules.evidence_file("report.pdf", b"MZ")) == "commitments.evidence_content"
    too_big = b"%PDF-" + b"0" * rules.EVIDENCE_LIMIT
    assert (
        _code(lambda: rules.evidence_file("big.pdf", too_big)) == "commitments.evidence_too_large"
    )
    assert str(rules.evidence_too_large()) == (
        "An evidence file may be up to 10 MB; the file you chose is larger."
    )


# --- recurring deadlines -----------------------------------------------------------------------


def test_a_yearly_deadline_falls_once_a_year_within_the_window() -> None:
    repeat = RepeatSpec(every=Recurrence.year, by=(12, 25))

    assert rules.occurrences(repeat, date(2027, 3, 1), date(2029, 12, 31)) == [
        date(2027, 12, 25),
        date(2028, 12, 25),
        date(2029, 12, 25),
    ]


def test_quarterly_deadlines_are_calendar_quarter_ends_or_a_day_of_the_next_month() -> None:
    end_of_quarter = RepeatSpec(every=Recurrence.quarter)
    fifth_after = RepeatSpec(every=Recurrence.quarter, day=5)

    assert rules.occurrences(end_of_quarter, date(2027, 2, 10), date(2027, 9, 30)) == [
        date(2027, 3, 31),
        date(2027, 6, 30),
        date(2027, 9, 30),
    ]
    assert rules.occurrences(fifth_after, date(2027, 2, 10), date(2027, 12, 31)) == [
        date(2027, 4, 5),
        date(2027, 7, 5),
        date(2027, 10, 5),
    ]


def test_half_years_and_months_cross_the_year_end() -> None:
    half = RepeatSpec(every=Recurrence.half_year)
    monthly = RepeatSpec(every=Recurrence.month, day=20)

    assert rules.occurrences(half, date(2027, 8, 1), date(2028, 12, 31)) == [
        date(2027, 12, 31),
        date(2028, 6, 30),
        date(2028, 12, 31),
    ]
    assert rules.occurrences(monthly, date(2027, 11, 15), date(2028, 2, 1)) == [
        date(2027, 12, 20),
        date(2028, 1, 20),
    ]


def test_no_occurrence_in_the_window_leaves_one_deadline_on_the_last_day() -> None:
    repeat = RepeatSpec(every=Recurrence.year, by=(12, 25))

    assert rules.occurrences(repeat, date(2027, 12, 26), date(2028, 3, 1)) == [date(2028, 3, 1)]


def test_an_occurrence_key_names_the_commitment_and_the_date() -> None:
    assert rules.occurrence_key("c-07", date(2027, 12, 25)) == "c-07@2027-12-25"
