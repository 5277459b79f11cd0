"""A plan adopted by a decision or decree enters into force on that record, not on signatures.

The version's source says who approved it, when and under which number (`approval:`); the
sign-off is recorded as completed at once with that date as its effective date, so the
commitments, reminders and reports of an approved plan run as those of a signed one.
"""

from dataclasses import dataclass
from datetime import date

from accord.errors import Refusal
from accord.services import audit
from accord.services.agreements import find_agreement, find_version, version_content
from accord.services.env import ServiceEnv
from accord.services.events import AgreementSigned
from accord.services.signing import rules
from accord.services.signing.document import write_signed_document
from accord.services.signing.start import open_signoff
from accord.services.status import StatusAction, change_status
from models import SignOff, SignOffStatus


@dataclass(frozen=True)
class Adopted:
    agreement: str
    version: int
    sha256: str
    effective_date: date


def enter_into_force_on_approval(slug: str, *, env: ServiceEnv) -> Adopted:
    """The latest version takes effect on the date of the decision its source records."""
    session = env.session
    agreement = find_agreement(slug, session=session)
    version = find_version(agreement, None, session=session)
    approval = rules.approval_recorded(
        version_content(version).agreement.approval, agreement=slug, version_number=version.number
    )
    if open_signoff(agreement, session=session) is not None:
        raise Refusal(
            "signing.already_open",
            "agreement '%(agreement)s' is already being signed",
            agreement=slug,
        )
    change_status(agreement, StatusAction.approval_recorded)
    signoff = SignOff(
        agreement_id=agreement.id or 0,
        version_id=version.id or 0,
        version_sha256=version.sha256,
        status=SignOffStatus.completed,
        started_by=env.actor,
        opened_at=env.now,
        closed_at=env.now,
        effective_date=approval.date,
    )
    session.add_all([signoff, agreement])
    session.flush()
    document = write_signed_document(signoff, agreement, version, env=env)
    env.publish(AgreementSigned(agreement.id or 0, version.id or 0))
    audit.record(
        session=session,
        actor=env.actor,
        action="agreement.in_force",
        subject=f"agreement:{slug}",
        data={
            "version": version.number,
            "sha256": version.sha256,
            "effective_date": approval.date.isoformat(),
            "approval_number": approval.number,
            "document": document,
        },
    )
    return Adopted(slug, version.number, version.sha256, approval.date)
