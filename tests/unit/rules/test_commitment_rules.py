"""Commitment rules without a database: reporting periods, due dates, expiry, the daily sweep's
selection, and what a progress report may say."""

from datetime import date

import pytest

from accord.errors import Refusal
from accord.services.commitments import rules
from accord.services.commitments.rules import SweepItem
from accord.source.spec import Recurrence, RepeatSpec, TermSpec
from models import ItemStatus
from tests.factories import make_agreement


def test_months_keep_the_day_or_take_the_months_last() -> None:
    assert rules.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert rules.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert rules.add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)
    assert rules.add_months(date(2027, 5, 31), 12) == date(2028, 5, 31)


def test_reporting_periods_end_the_day_before_each_anniversary() -> None:
    effective = date(2027, 1, 11)
    assert rules.period_ends(effective, 6, date(2027, 7, 10)) == []
    assert rules.period_ends(effective, 6, date(2027, 7, 11)) == [date(2027, 7, 10)]
    assert rules.period_ends(effective, 6, date(2028, 1, 11)) == [
        date(2027, 7, 10),
        date(2028, 1, 10),
    ]
    assert rules.period_ends(date(2027, 1, 31), 1, date(2027, 3, 31)) == [
        date(2027, 2, 27),
        date(2027, 3, 30),
    ]


def test_a_report_is_due_by_a_day_of_the_following_month() -> None:
    assert rules.report_due(date(2027, 7, 10), 20) == date(2027, 8, 20)
    assert rules.report_due(date(2027, 12, 31), 20) == date(2028, 1, 20)
    assert rules.report_due(date(2027, 1, 10), 31) == date(2027, 2, 28)


def test_report_requests_start_once_then_remind_weekly() -> None:
    end = date(2027, 7, 10)
    first = "report_request:1:2027-07-10:5"
    assert (
        rules.report_request_key(
            first, already_asked=False, period_end=end, as_of=date(2027, 7, 11)
        )
        == first
    )
    assert (
        rules.report_request_key(first, already_asked=True, period_end=end, as_of=date(2027, 7, 12))
        == ""
    )
    assert rules.report_request_key(
        first, already_asked=True, period_end=end, as_of=date(2027, 7, 17)
    ) == (f"{first}:2027-07-17")


def test_the_term_ends_on_its_date_or_years_after_entry_into_force() -> None:
    effective = date(2027, 1, 11)
    assert rules.expiry_date(make_agreement(term=None), effective) is None
    assert rules.expiry_date(make_agreement(term=TermSpec(years=3)), effective) == date(2030, 1, 11)
    assert rules.expiry_date(
        make_agreement(term=TermSpec(until=date(2029, 6, 30))), effective
    ) == date(2029, 6, 30)


def test_expiry_warnings_and_expiry() -> None:
    ends = date(2030, 1, 11)
    assert rules.expiry_warning(ends, date(2029, 10, 12)) is None  # 91 days before
    assert rules.expiry_warning(ends, date(2029, 10, 13)) == 90
    assert rules.expiry_warning(ends, date(2029, 12, 12)) == 30
    assert rules.expiry_warning(ends, date(2030, 1, 11)) == 7
    assert rules.expiry_warning(ends, date(2030, 1, 12)) is None
    assert not rules.has_expired(ends, ends)  # it holds through its last day
    assert rules.has_expired(ends, date(2030, 1, 12))


AS_OF = date(2027, 4, 12)


def item(n: int, due: date, agreement: int = 1) -> SweepItem:
    return SweepItem(n, f"c-{n}", agreement, 10, due, {"ru": f"Мероприятие {n}"})


def test_the_sweep_takes_items_up_to_their_agreements_horizon() -> None:
    items = [item(1, date(2027, 4, 16)), item(2, date(2027, 4, 20)), item(3, date(2027, 4, 1), 2)]
    horizons = {1: date(2027, 4, 19)}  # agreement 2 has ended: no horizon
    assert [i.id for i in rules.within_horizon(items, horizons)] == [1]


def test_a_digest_never_repeats_an_item_the_same_day() -> None:
    soon, late = item(1, date(2027, 4, 14)), item(2, date(2027, 4, 1))
    assert rules.threshold(soon, AS_OF) == "due_soon" and rules.threshold(late, AS_OF) == "overdue"
    assert rules.fresh_for_digest([soon, late], AS_OF, set()) == [soon, late]
    assert rules.fresh_for_digest([soon, late], AS_OF, {(1, "due_soon"), (2, "due_soon")}) == [late]


def test_escalation_takes_items_past_the_grace_days_once_a_day() -> None:
    items = [item(1, date(2027, 3, 29)), item(2, date(2027, 3, 28)), item(3, date(2027, 4, 13))]
    assert [i.id for i in rules.escalated(items, AS_OF, 14, set())] == [2]
    assert rules.escalated(items, AS_OF, 14, {(2, "escalated")}) == []


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
    assert rules.evidence_file("C:\\Отчёты\\протокол.PDF", b"%PDF-1.7") == ("протокол.PDF", ".pdf")
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
