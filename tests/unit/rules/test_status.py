"""The agreement status machine: every transition the table allows, and every one it refuses."""

import itertools

import pytest

from accord.errors import Refusal
from accord.services.status import TRANSITIONS, StatusAction, next_status
from models import AgreementStatus as S

A = StatusAction
ALLOWED = {
    (S.draft, A.start_review): S.in_review,
    (S.draft, A.start_signoff): S.signing,
    (S.in_review, A.round_approved): S.approved,
    (S.in_review, A.round_not_approved): S.draft,
    (S.approved, A.start_review): S.in_review,
    (S.approved, A.start_signoff): S.signing,
    (S.signing, A.start_review): S.in_review,
    (S.signing, A.signoff_declined): S.draft,
    (S.signing, A.signoff_completed): S.in_force,
    (S.draft, A.approval_recorded): S.in_force,
    (S.approved, A.approval_recorded): S.in_force,
    (S.in_force, A.start_review): S.in_force,
    (S.in_force, A.round_approved): S.in_force,
    (S.in_force, A.round_not_approved): S.in_force,
    (S.in_force, A.start_signoff): S.in_force,
    (S.in_force, A.signoff_declined): S.in_force,
    (S.in_force, A.signoff_completed): S.in_force,
    (S.in_force, A.expire): S.expired,
    (S.in_force, A.terminate): S.terminated,
}
"""Written out again on purpose: a change to the table must be a change to this test too."""
EVERY = list(itertools.product(S, A))


def test_the_table_is_exactly_the_lifecycle() -> None:
    assert TRANSITIONS == ALLOWED


@pytest.mark.parametrize(("state", "action"), list(ALLOWED), ids=str)
def test_an_allowed_transition_moves_the_agreement(state: S, action: A) -> None:
    assert next_status(state, action, agreement="kz-mou") is ALLOWED[(state, action)]


REFUSED = [pair for pair in EVERY if pair not in ALLOWED]


@pytest.mark.parametrize(("state", "action"), REFUSED, ids=str)
def test_every_other_transition_is_refused_naming_state_and_action(state: S, action: A) -> None:
    with pytest.raises(Refusal) as refused:
        next_status(state, action, agreement="kz-mou")
    assert refused.value.code == "status.refused"
    said = str(refused.value)
    assert "kz-mou" in said and state.value in said and action.value in said


def test_an_amendment_never_takes_an_agreement_out_of_force() -> None:
    amendment = (A.start_review, A.round_approved, A.round_not_approved, A.start_signoff)
    for action in (*amendment, A.signoff_declined, A.signoff_completed):
        assert next_status(S.in_force, action, agreement="kz-mou") is S.in_force


def test_ended_agreements_are_final() -> None:
    for state in (S.expired, S.terminated):
        assert not [a for a in A if (state, a) in TRANSITIONS]
