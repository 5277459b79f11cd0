"""Review rules without a database: stage outcomes, stage opening, what people may write."""

from datetime import date

import pytest

from accord.errors import Refusal
from accord.services.review import rules
from accord.services.review.rules import Settlement, StageResult
from accord.services.status import StatusAction
from models import Decision, RoundOutcome, StageKind

APPROVE, COMMENTS, CHANGES = (
    Decision.approve,
    Decision.approve_with_comments,
    Decision.request_changes,
)


@pytest.mark.parametrize(
    ("latest", "outcome", "complete"),
    [
        ({}, RoundOutcome.incomplete, False),
        ({1: APPROVE}, RoundOutcome.incomplete, False),
        ({1: APPROVE, 2: COMMENTS, 3: APPROVE}, RoundOutcome.approved, True),
        ({1: CHANGES}, RoundOutcome.changes_requested, False),
        ({1: APPROVE, 2: APPROVE, 3: CHANGES}, RoundOutcome.changes_requested, True),
        ({1: APPROVE, 2: APPROVE, 9: CHANGES}, RoundOutcome.incomplete, False),
    ],
)
def test_stage_outcome(latest: dict[int, Decision], outcome: RoundOutcome, complete: bool) -> None:
    """Required assignments 1, 2, 3; 9 is a party whose answer is not required."""
    assert rules.stage_outcome([1, 2, 3], latest) == StageResult(outcome, complete)


def test_a_stage_without_required_parties_is_approved_at_once() -> None:
    assert rules.stage_outcome([], {}) == StageResult(RoundOutcome.approved, True)


APPROVED = StageResult(RoundOutcome.approved, True)
CHANGED = StageResult(RoundOutcome.changes_requested, True)
WAITING = StageResult(RoundOutcome.incomplete, False)


@pytest.mark.parametrize(
    ("kind", "result", "deadline_passed", "has_next", "expected"),
    [
        (StageKind.internal, APPROVED, False, True, Settlement.open_next),
        (StageKind.internal, CHANGED, False, True, Settlement.close_round),
        (StageKind.internal, WAITING, False, True, Settlement.wait),
        (StageKind.internal, WAITING, True, True, Settlement.close_round),
        (StageKind.internal, APPROVED, False, False, Settlement.close_round),
        (StageKind.external, APPROVED, False, False, Settlement.close_round),
        (StageKind.external, WAITING, False, False, Settlement.wait),
        (StageKind.external, WAITING, True, False, Settlement.close_round),
    ],
)
def test_an_approved_internal_stage_opens_the_external_one(
    kind: StageKind,
    result: StageResult,
    deadline_passed: bool,
    has_next: bool,
    expected: Settlement,
) -> None:
    assert rules.settlement(kind, result, deadline_passed=deadline_passed, has_next=has_next) is (
        expected
    )


def test_closing_reason_and_status_follow_the_outcome() -> None:
    assert rules.closing_reason(APPROVED) == "all required parties answered"
    assert rules.closing_reason(WAITING) == "the deadline passed"
    assert rules.status_action(RoundOutcome.approved) is StatusAction.round_approved
    for outcome in (RoundOutcome.changes_requested, RoundOutcome.incomplete):
        assert rules.status_action(outcome) is StatusAction.round_not_approved


def _refusal(call: object) -> Refusal:
    assert callable(call)
    with pytest.raises(Refusal) as refused:
        call()
    return refused.value


def test_comments_are_trimmed_and_limited() -> None:
    assert rules.comment_body("  Пункт 7.  ") == "Пункт 7."
    empty = _refusal(lambda: rules.comment_body("   "))
    assert (empty.code, empty.field, empty.params["limit"]) == (
        "review.comment_empty",
        "body",
        5000,
    )
    long = _refusal(lambda: rules.comment_body("x" * 5001))
    assert long.code == "review.comment_too_long" and long.params["length"] == 5001
    assert str(long) == "The comment is 5001 characters long; the limit is 5000."


def test_a_request_for_changes_needs_its_reason() -> None:
    assert rules.decision_reason(APPROVE, "  ") is None
    assert rules.decision_reason(CHANGES, " Срок ") == "Срок"
    assert _refusal(lambda: rules.decision_reason(CHANGES, "")).code == "review.reason_required"
    assert _refusal(lambda: rules.decision_reason(APPROVE, "y" * 5001)).code == (
        "review.reason_too_long"
    )


def test_a_comment_names_a_clause_of_the_version() -> None:
    rules.clause_of_version(None, ["a", "b"], version=2)
    rules.clause_of_version("b", ["a", "b"], version=2)
    refused = _refusal(lambda: rules.clause_of_version("z", ["a", "b"], version=2))
    assert str(refused) == "Version 2 has no clause “z”; choose a clause from the list."


def test_delegation_needs_a_real_address_a_name_and_someone_else() -> None:
    assert rules.colleague_address(" a.b@example.kz ") == "a.b@example.kz"
    malformed = ('a"<x>@example.kz', "a@b.c,d@e.f", "a@example.kz\nBcc: b@example.kz")
    for bad in ("a.b@", "no-at.example.kz", "a b@example.kz", "a@localhost", *malformed):
        assert (
            _refusal(lambda bad=bad: rules.colleague_address(bad)).code == "review.not_an_address"
        )
    assert _refusal(lambda: rules.colleague_address(" ")).code == "review.colleague_missing"
    assert rules.colleague_name(" Айжан ") == "Айжан"
    assert _refusal(lambda: rules.colleague_name(None)).code == "review.colleague_missing"
    assert _refusal(lambda: rules.colleague_name("И" * 201)).code == "review.name_too_long"
    for bad in ("Айжан\nBcc: x@example.kz", "Ай\rжан", "Ай\x00жан", "Ай\u2028жан", "\u202eнажйА"):
        refused = _refusal(lambda bad=bad: rules.colleague_name(bad))
        assert (refused.code, refused.field) == ("review.name_not_one_line", "name")
    rules.not_oneself("a.b@example.kz", "c.d@example.kz")
    refused = _refusal(lambda: rules.not_oneself("A.B@example.kz", "a.b@EXAMPLE.kz"))
    assert refused.code == "review.delegate_to_self"


def test_a_round_needs_one_kind_of_deadline_and_room_after_the_internal_stage() -> None:
    rules.one_kind_of_deadline(date(2027, 2, 1), None)
    rules.one_kind_of_deadline(None, 10)
    for deadline, days in ((None, None), (date(2027, 2, 1), 10)):
        assert _refusal(lambda d=deadline, n=days: rules.one_kind_of_deadline(d, n)).code == (
            "review.deadline_choice"
        )
    assert _refusal(lambda: rules.one_kind_of_deadline(None, 0)).code == "review.working_days"
    rules.internal_stage_fits(date(2027, 1, 14), date(2027, 1, 25))
    late = _refusal(lambda: rules.internal_stage_fits(date(2027, 1, 25), date(2027, 1, 25)))
    assert "2027-01-25" in str(late)


def test_the_reminder_due_is_the_nearest_offset_reached() -> None:
    days = {3: date(2027, 1, 20), 1: date(2027, 1, 22)}  # working days before 25 January
    assert rules.reminder_offset(days, today=date(2027, 1, 19)) is None
    assert rules.reminder_offset(days, today=date(2027, 1, 20)) == 3
    assert rules.reminder_offset(days, today=date(2027, 1, 23)) == 1
    assert rules.reminder_offset({}, today=date(2027, 1, 22)) is None
