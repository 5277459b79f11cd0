"""Typed e-mail values: one frozen dataclass per kind, its fields the variables of its templates.

Services build these instead of free dicts, so a missing or misspelt variable fails where the
message is built, not when a template renders it. Texts that exist in several languages
(`LangText`: organisation names, titles, activities) stay whole until the reader is known;
`context(language)` then picks each one along `accord.i18n.languages`' fallback chain.
The variables of each kind are listed in `templates/email/README.md`. No kind carries an
agreement's slug or a clause's or activity's id: people read titles and the numbers the
document prints ("7.3", "2.4"), never what only the database knows.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from accord.i18n.languages import pick
from accord.source.spec import LangText


@dataclass(frozen=True, kw_only=True)
class MailMessage:
    """What every kind has: who it is for (filled in by the mail queue from the contact)."""

    kind: ClassVar[str]
    recipient_name: str = ""

    def context(self, language: str) -> dict[str, Any]:
        """The template variables in the reader's language; an absent optional one is left out."""
        return {
            name: shown
            for name, shown in (
                (f.name, _shown(getattr(self, f.name), language)) for f in fields(self)
            )
            if shown is not None
        }


def _shown(value: object, language: str) -> object:
    if isinstance(value, Mapping):
        return pick(value, language)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _shown(getattr(value, f.name), language) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_shown(item, language) for item in value]
    return value


# --- review ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReviewRequest(MailMessage):
    kind: ClassVar[str] = "review_request"
    organisation_name: LangText
    agreement_title: LangText
    version_number: int
    short_hash: str
    round_number: int
    deadline: date
    link_url: str
    secretariat_name: LangText


@dataclass(frozen=True, kw_only=True)
class ReviewReminder(ReviewRequest):
    kind: ClassVar[str] = "review_reminder"
    working_days_left: int
    """0 = due today."""


@dataclass(frozen=True, kw_only=True)
class DeadlineExtended(ReviewRequest):
    """To every reviewer of the open stage: the secretariat moved the deadline later."""

    kind: ClassVar[str] = "deadline_extended"
    previous_deadline: date


@dataclass(frozen=True, kw_only=True)
class DelegatedAccess(MailMessage):
    kind: ClassVar[str] = "delegated_access"
    delegator_name: str
    organisation_name: LangText
    agreement_title: LangText
    version_number: int
    round_number: int
    deadline: date
    link_url: str
    secretariat_name: LangText


@dataclass(frozen=True, kw_only=True)
class DelegationHeld(MailMessage):
    """To the secretariat: a delegation outside the party's known domains waits for it."""

    kind: ClassVar[str] = "delegation_held"
    delegator_name: str
    delegate_name: str
    delegate_email: str
    organisation_name: LangText
    agreement_title: LangText
    round_number: int
    confirm_command: str
    """The command that confirms it: `accord review confirm-delegate <agreement> <number>`."""
    decline_command: str
    """The command that declines it: `accord review decline-delegate <agreement> <number>`."""


@dataclass(frozen=True, kw_only=True)
class DelegationDeclined(MailMessage):
    """To the delegator: the secretariat declined their delegation; no link was sent."""

    kind: ClassVar[str] = "delegation_declined"
    delegate_name: str
    delegate_email: str
    organisation_name: LangText
    agreement_title: LangText
    round_number: int


@dataclass(frozen=True, kw_only=True)
class ChangesRequested(MailMessage):
    kind: ClassVar[str] = "changes_requested"
    reviewer_name: str
    organisation_name: LangText
    agreement_title: LangText
    version_number: int
    round_number: int
    reason: str
    """May be empty."""
    clause_numbers: tuple[str, ...]
    """The commented clauses' numbers as the document prints them ("7.3")."""
    activity_numbers: tuple[str, ...] = ()
    """The commented activities' numbers in the plan ("2.4"). Both empty: the text as a whole."""
    link_url: str | None = None


@dataclass(frozen=True)
class PartyAnswer:
    organisation_name: LangText
    decision: str
    """`approve`, `approve_with_comments`, `request_changes` or `no_answer`."""
    comment_count: int


@dataclass(frozen=True, kw_only=True)
class RoundClosed(MailMessage):
    kind: ClassVar[str] = "round_closed"
    agreement_title: LangText
    version_number: int
    round_number: int
    outcome: str
    """`approved`, `changes_requested` or `incomplete`."""
    parties: tuple[PartyAnswer, ...]
    comment_count: int
    link_url: str | None = None


@dataclass(frozen=True, kw_only=True)
class DeliveryFailed(MailMessage):
    kind: ClassVar[str] = "delivery_failed"
    failed_name: str
    failed_email: str
    organisation_name: LangText
    mail_subject: str
    event: str
    """`bounce`, `dropped` or `blocked`."""
    reason: str


# --- sign-off -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SignRequest(MailMessage):
    kind: ClassVar[str] = "sign_request"
    organisation_name: LangText
    agreement_title: LangText
    version_number: int
    sha256: str
    short_hash: str
    link_url: str
    secretariat_name: LangText


@dataclass(frozen=True, kw_only=True)
class SignoffDeclined(MailMessage):
    kind: ClassVar[str] = "signoff_declined"
    organisation_name: LangText
    signer_name: str
    reason: str
    agreement_title: LangText
    version_number: int


@dataclass(frozen=True)
class Signatory:
    organisation_name: LangText
    signer_name: str
    signer_title: str
    signed_at: datetime
    """In UTC."""


@dataclass(frozen=True, kw_only=True)
class SignedAgreement(MailMessage):
    kind: ClassVar[str] = "signed_agreement"
    agreement_title: LangText
    version_number: int
    short_hash: str
    effective_date: date
    signatories: tuple[Signatory, ...]


# --- commitments ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FocalAccess(MailMessage):
    kind: ClassVar[str] = "focal_access"
    organisation_name: LangText
    agreement_title: LangText
    item_count: int
    link_url: str
    calendar_url: str


@dataclass(frozen=True)
class DueSoon:
    agreement_title: LangText
    number: str
    """The activity's number as its plan prints it ("2.4")."""
    activity: LangText
    due: date
    working_days_left: int


@dataclass(frozen=True)
class Overdue:
    agreement_title: LangText
    number: str
    """The activity's number as its plan prints it ("2.4")."""
    activity: LangText
    due: date
    days_overdue: int


@dataclass(frozen=True, kw_only=True)
class FocalDigest(MailMessage):
    kind: ClassVar[str] = "focal_digest"
    organisation_name: LangText
    as_of: date
    due_soon: tuple[DueSoon, ...]
    overdue: tuple[Overdue, ...]
    link_url: str | None = None


@dataclass(frozen=True)
class Escalated:
    number: str
    """The activity's number as its plan prints it ("2.4")."""
    activity: LangText
    organisation_name: LangText
    due: date
    days_overdue: int


@dataclass(frozen=True, kw_only=True)
class EscalationDigest(MailMessage):
    kind: ClassVar[str] = "escalation_digest"
    agreement_title: LangText
    as_of: date
    items: tuple[Escalated, ...]


@dataclass(frozen=True, kw_only=True)
class ReportRequest(MailMessage):
    kind: ClassVar[str] = "report_request"
    organisation_name: LangText
    agreement_title: LangText
    period_end: date
    report_by: date
    link_url: str
    reminder: bool


@dataclass(frozen=True, kw_only=True)
class ExpiryAlert(MailMessage):
    kind: ClassVar[str] = "expiry_alert"
    agreement_title: LangText
    expires_on: date
    days_left: int
    """0 = today, negative = already expired."""


# --- personal links and the audit trail --------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LinkReissued(MailMessage):
    """A personal link the secretariat replaced: the one sent before no longer works."""

    kind: ClassVar[str] = "link_reissued"
    link_kind: str
    """`review`, `signing` or `focal`."""
    organisation_name: LangText
    link_url: str
    expires_on: date
    agreement_title: LangText | None = None
    """None for a focal link: it opens every item of the organisation, not one agreement's."""
    calendar_url: str | None = None
    """A focal link's calendar feed, which changes with it."""


@dataclass(frozen=True, kw_only=True)
class AuditCheckpointMail(MailMessage):
    """The audit trail's signed head, kept in the secretariat's mailbox, outside the machine."""

    kind: ClassVar[str] = "audit_checkpoint"
    seq: int
    hash: str
    at: datetime
    """In UTC."""
    previous: str
    signature: str


# --- the workspace ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StaffInvitation(MailMessage):
    """To a new member of a secretariat's staff: their one-time link to set a password."""

    kind: ClassVar[str] = "staff_invitation"
    inviter_name: str
    secretariat_name: LangText
    link_url: str
    expires_on: date


@dataclass(frozen=True, kw_only=True)
class PasswordReset(MailMessage):
    """To a staff member who asked for it: a one-time link, good for an hour."""

    kind: ClassVar[str] = "password_reset"
    link_url: str


KINDS: tuple[type[MailMessage], ...] = (
    ReviewRequest,
    ReviewReminder,
    DeadlineExtended,
    ChangesRequested,
    RoundClosed,
    DelegatedAccess,
    DelegationHeld,
    DelegationDeclined,
    DeliveryFailed,
    SignRequest,
    SignoffDeclined,
    SignedAgreement,
    FocalAccess,
    FocalDigest,
    EscalationDigest,
    ReportRequest,
    ExpiryAlert,
    LinkReissued,
    AuditCheckpointMail,
    StaffInvitation,
    PasswordReset,
)
"""Every kind, in the order of templates/email/README.md."""
