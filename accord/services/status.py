"""The agreement status machine: one table of (state, action) → state, used by every capability.

A capability never sets `Agreement.status` itself; it asks `change_status`, which refuses a
transition the table does not hold, naming the state and the action.
"""

from enum import StrEnum

from accord.errors import Refusal
from models import Agreement, AgreementStatus

S = AgreementStatus


class StatusAction(StrEnum):
    start_review = "start a review round"
    round_approved = "close a review round as approved"
    round_not_approved = "close a review round without approval"
    start_signoff = "start sign-off"
    signoff_declined = "record a declined signature"
    signoff_completed = "record the last signature"
    approval_recorded = "enter into force on its approval"
    expire = "expire at the end of its term"
    terminate = "terminate"


A = StatusAction

TRANSITIONS: dict[tuple[AgreementStatus, StatusAction], AgreementStatus] = {
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
"""Every allowed transition; anything else is refused.

Sign-off may start from `draft` because a round can close without approval (a reviewer who is
not a signatory asked for changes, or stayed silent) while every signatory approved; whether
they did is sign-off's own rule. A plan adopted by a decision (its source's `approval`) enters
into force on that record instead of signatures, from draft or after review. A review round on
an agreement in force is an amendment, a track of its own: the agreement stays in force under
its signed version while the amendment is reviewed, approved or not, signed or declined, and is
then in force under the amendment (sign-off's own rule refuses a second sign-off of the version
already signed). `expired` and `terminated` are final.
"""


def next_status(state: AgreementStatus, action: StatusAction, *, agreement: str) -> AgreementStatus:
    """The state after `action`, or a Refusal naming the state and the action."""
    found = TRANSITIONS.get((state, action))
    if found is None:
        raise Refusal(
            "status.refused",
            "Agreement “%(agreement)s” is %(state)s; it cannot %(action)s now.",
            agreement=agreement,
            state=state.value,
            action=action.value,
        )
    return found


def change_status(agreement: Agreement, action: StatusAction) -> AgreementStatus:
    """Move the agreement along the table (the caller's session writes it)."""
    agreement.status = next_status(agreement.status, action, agreement=agreement.slug)
    return agreement.status
