"""Commitment rules without a database: reporting periods, due dates, expiry, the daily sweep's
selection, and what a progress report may say."""

from datetime import date

import pytest

from accord.errors import Refusal
from accord.services.commitments import rules
from accord.services.commitments.rules import SweepItem
from accord.source.spec import TermSpec
from models import ItemStatus
from tests.factories import make_agreement, minimal_pdf


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
