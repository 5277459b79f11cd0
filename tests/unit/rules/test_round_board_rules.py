"""The rules behind the workspace's round forms: each refusal names its field."""

from datetime import date

import pytest

from accord.errors import Refusal
from accord.services.review import rules
from models import AnswerVerdict, Decision

MONDAY = date(2027, 1, 11)


def refused(call: object, *args: object, **kwargs: object) -> Refusal:
    with pytest.raises(Refusal) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value


def test_form_values_parse_or_are_refused_at_their_field() -> None:
    assert rules.day_given(" 2027-01-20 ", field="deadline") == date(2027, 1, 20)
    assert rules.day_given("", field="deadline") is None
    assert refused(rules.day_given, "20.01.2027", field="deadline").field == "deadline"
    assert rules.number_given("10", field="working_days") == 10
    assert rules.number_given(" ", field="working_days") is None
    for text in ("-1", "1e3", "١٠", "99999"):
        assert refused(rules.number_given, text, field="working_days").code == "review.not_a_number"


def test_a_deadline_is_today_or_later_and_a_working_day() -> None:
    rules.deadline_day(MONDAY, today=MONDAY, working=True, next_working=MONDAY)
    past = refused(
        rules.deadline_day, MONDAY, today=date(2027, 1, 12), working=True, next_working=MONDAY
    )
    assert (past.code, past.field) == ("review.deadline_past", "deadline")
    off = refused(
        rules.deadline_day,
        date(2027, 1, 17),
        today=MONDAY,
        working=False,
        next_working=date(2027, 1, 18),
    )
    assert off.code == "review.deadline_day_off" and off.params["next"] == date(2027, 1, 18)


def test_internal_parties_are_parties_of_the_agreement() -> None:
    assert rules.internal_parties(["a", "b", "a"], ["a", "b", "c"]) == ("a", "b")
    assert refused(rules.internal_parties, ["x"], ["a"]).field == "internal"


def test_an_answer_has_text_and_a_verdict() -> None:
    assert rules.answer_text("  Agreed.  ") == "Agreed."
    assert refused(rules.answer_text, "   ").field == "response"
    assert (
        refused(rules.answer_text, "x" * (rules.COMMENT_LIMIT + 1)).code == "review.answer_too_long"
    )
    assert rules.answer_verdict("partly_accepted") is AnswerVerdict.partly_accepted
    assert refused(rules.answer_verdict, "maybe").field == "verdict"


def test_an_extension_moves_the_deadline_later_and_before_the_next_stage() -> None:
    rules.later_deadline(date(2027, 1, 20), current=MONDAY, next_stage=None)
    assert refused(rules.later_deadline, MONDAY, current=MONDAY, next_stage=None).field == (
        "new_deadline"
    )
    too_late = refused(
        rules.later_deadline, date(2027, 1, 25), current=MONDAY, next_stage=date(2027, 1, 25)
    )
    assert too_late.code == "review.deadline_after_next_stage"


def test_a_scan_is_judged_by_its_bytes() -> None:
    assert rules.scan_kind(b"%PDF-1.7\n...\n%%EOF\n") == ".pdf"
    assert rules.scan_kind(b"\x89PNG\r\n\x1a\n....IEND\xaeB`\x82") == ".png"
    assert rules.scan_kind(b"\xff\xd8\xff\xe0....\xff\xd9") == ".jpg"
    assert refused(rules.scan_kind, b"%PDF-1.7 cut short").code == "review.scan_not_accepted"
    assert refused(rules.scan_kind, b"MZ\x90\x00").field == "scan"
    big = b"%PDF-" + b"0" * rules.SCAN_LIMIT + b"%%EOF"
    assert refused(rules.scan_kind, big).code == "review.scan_too_large"


def test_a_paper_decision_names_its_letter() -> None:
    rules.paper_letter("05-12/345", MONDAY, "")
    assert refused(rules.paper_letter, " ", MONDAY, "").field == "incoming_number"
    assert refused(rules.paper_letter, "1", None, "").field == "incoming_date"
    assert refused(rules.paper_letter, "1", MONDAY, "x" * 65).field == "outgoing_number"
    assert rules.paper_decision("request_changes") is Decision.request_changes
    assert refused(rules.paper_decision, "").field == "decision"
