"""Sign-off rules without a database: approval gaps, whether a signature may be recorded."""

from datetime import UTC, datetime

import pytest

from accord.errors import Refusal
from accord.services.signing import rules
from accord.services.signing.rules import Gap, LastReview
from models import Decision, SignatureStatus

V2 = 12
"""The id of version 2, the one going to sign-off."""


def approval(decision: Decision | None, version_id: int = V2, number: int = 2) -> LastReview:
    return LastReview(
        round_number=3, version_id=version_id, version_number=number, decision=decision
    )


def gaps(last: dict[str, LastReview | None]) -> list[str]:
    found = rules.approval_gaps(list(last), last, version_id=V2, version_number=2)
    return [str(g) for g in found]


def test_every_signatory_approved_this_version_leaves_no_gap() -> None:
    assert (
        gaps(
            {"kz-mia": approval(Decision.approve), "ngo": approval(Decision.approve_with_comments)}
        )
        == []
    )


def test_each_kind_of_gap_is_named() -> None:
    assert gaps(
        {
            "kz-mia": None,
            "ngo-a": approval(Decision.request_changes),
            "ngo-b": approval(None),
            "ngo-c": approval(Decision.approve, version_id=11, number=1),
        }
    ) == [
        "kz-mia has not reviewed any version yet",
        "ngo-a has not approved version 2 (round 3: request_changes)",
        "ngo-b has not approved version 2 (round 3: no answer)",
        "ngo-c has not approved version 2: its latest review (round 3) was of version 1 (approve)",
    ]


def test_gaps_refuse_sign_off_in_one_sentence() -> None:
    rules.refuse_gaps([])
    with pytest.raises(Refusal) as refused:
        rules.refuse_gaps([Gap("kz-mia", 2, None), Gap("ngo", 2, approval(None))])
    assert refused.value.code == "signing.not_approved"
    assert str(refused.value) == (
        "sign-off refused: kz-mia has not reviewed any version yet; "
        "ngo has not approved version 2 (round 3: no answer)"
    )


SIGNED_AT = datetime(2027, 1, 12, 11, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("declining", "code"),
    [(False, "signing.already_signed"), (True, "signing.already_signed_no_decline")],
)
def test_a_signature_is_given_once(declining: bool, code: str) -> None:
    rules.still_pending(
        SignatureStatus.pending,
        None,
        party="ngo",
        version_number=2,
        signer=None,
        declining=declining,
    )
    with pytest.raises(Refusal) as refused:
        rules.still_pending(
            SignatureStatus.signed,
            SIGNED_AT,
            party="ngo",
            version_number=2,
            signer="A. Director",
            declining=declining,
        )
    assert refused.value.code == code
    assert refused.value.params["when"] == SIGNED_AT  # a value, shown the reader's way
    assert "2027-01-12 11:05 UTC" in str(refused.value)


def test_approvals_never_carry_over_to_another_text() -> None:
    same = {"latest_id": V2, "latest_number": 2, "signoff_version_id": V2, "signoff_number": 2}
    rules.same_text(**same, latest_sha256="a" * 64, signoff_sha256="a" * 64)
    with pytest.raises(Refusal) as refused:
        rules.same_text(
            **{**same, "latest_id": 13, "latest_number": 3},
            latest_sha256="b" * 64,
            signoff_sha256="a" * 64,
        )
    assert refused.value.code == "signing.text_changed"
    assert "version 3 exists, this sign-off is for version 2" in str(refused.value)


def test_a_signer_gives_name_title_and_the_confirmation() -> None:
    assert rules.signer(" Айгерим ", " Директор ", confirmed=True) == ("Айгерим", "Директор")
    for name, title, confirmed, code in (
        ("", "Директор", True, "signing.name_and_title"),
        ("Айгерим", " ", True, "signing.name_and_title"),
        ("И" * 201, "Директор", True, "signing.name_too_long"),
        ("Айгерим", "Директор", False, "signing.not_confirmed"),
        ("Айгерим\nДиректор", "Директор", True, "signing.not_one_line"),
        ("Айгерим", "Дир\u202eектор", True, "signing.not_one_line"),
    ):
        with pytest.raises(Refusal) as refused:
            rules.signer(name, title, confirmed=confirmed)
        assert refused.value.code == code


def test_declining_needs_a_reason_within_the_limit() -> None:
    assert rules.decline_reason(" Текст изменился ") == "Текст изменился"
    for reason, code in (
        ("  ", "signing.reason_required"),
        ("x" * 5001, "signing.reason_too_long"),
    ):
        with pytest.raises(Refusal) as refused:
            rules.decline_reason(reason)
        assert refused.value.code == code


def test_all_signed() -> None:
    assert rules.all_signed([SignatureStatus.signed, SignatureStatus.signed])
    assert not rules.all_signed([SignatureStatus.signed, SignatureStatus.pending])
