"""What a signatory does with their link: sign the exact text, or decline with a reason."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import select

from accord.mail.messages import SignoffDeclined
from accord.services import audit
from accord.services.agreements import find_version, version_content
from accord.services.env import ServiceEnv
from accord.services.events import AgreementSigned
from accord.services.mail_queue import enqueue
from accord.services.recipients import secretariat_contacts
from accord.services.signing import rules
from accord.services.signing.access import SigningScope
from accord.services.signing.document import write_signed_document
from accord.services.status import StatusAction, change_status
from models import (
    Agreement,
    AgreementVersion,
    Contact,
    Signature,
    SignatureStatus,
    SignOff,
    SignOffStatus,
)


@dataclass(frozen=True)
class SignatureRecorded:
    completed: bool
    """True when this was the last signature: the agreement is now in force."""


def sign(
    scope: SigningScope,
    *,
    name: str,
    title: str,
    confirmed: bool,
    ip_address: str,
    user_agent: str,
    env: ServiceEnv,
) -> SignatureRecorded:
    """Evidence of who signed which exact text, from where; the last one brings it into force."""
    signature = scope.signature
    _still_pending(scope, declining=False)
    latest = find_version(scope.agreement, None, session=env.session)
    rules.same_text(
        latest_id=latest.id or 0,
        latest_number=latest.number,
        signoff_version_id=scope.version.id or 0,
        signoff_number=scope.version.number,
        latest_sha256=latest.sha256,
        signoff_sha256=scope.signoff.version_sha256,
    )
    signature.signer_name, signature.signer_title = rules.signer(name, title, confirmed=confirmed)
    signature.status, signature.signed_at = SignatureStatus.signed, env.now
    signature.ip_address, signature.user_agent = ip_address[:64], user_agent[:500]
    signature.version_sha256 = scope.version.sha256
    env.session.add(signature)
    env.session.flush()
    audit.record(
        session=env.session,
        actor=env.actor,
        action="signature.recorded",
        subject=f"agreement:{scope.agreement.slug}",
        data={
            "organisation": scope.organization.slug,
            "signer": signature.signer_name,
            "title": signature.signer_title,
            "sha256": scope.version.sha256,
            "ip": signature.ip_address,
        },
    )
    signatures = env.session.exec(
        select(Signature).where(Signature.sign_off_id == scope.signoff.id)
    ).all()
    if not rules.all_signed([s.status for s in signatures]):
        return SignatureRecorded(completed=False)
    complete(scope.signoff, scope.agreement, scope.version, signatures, env=env)
    return SignatureRecorded(completed=True)


def _still_pending(scope: SigningScope, *, declining: bool) -> None:
    signature = scope.signature
    rules.still_pending(
        signature.status,
        signature.signed_at,
        party=scope.organization.slug,
        version_number=scope.version.number,
        signer=signature.signer_name,
        declining=declining,
    )


def complete(
    signoff: SignOff,
    agreement: Agreement,
    version: AgreementVersion,
    signatures: Sequence[Signature],
    *,
    env: ServiceEnv,
) -> None:
    """The last signature brings the agreement into force on the day of the last signature
    (a signature on paper counts from the day written on the page)."""
    signoff.status, signoff.closed_at = SignOffStatus.completed, env.now
    signoff.effective_date = rules.last_signature_day(
        [(s.signed_at, s.paper_signed_on) for s in signatures], today=env.now.date()
    )
    env.session.add(signoff)
    change_status(agreement, StatusAction.signoff_completed)
    env.session.add(agreement)
    document = write_signed_document(signoff, agreement, version, env=env)
    env.publish(AgreementSigned(agreement.id or 0, version.id or 0))
    audit.record(
        session=env.session,
        actor=env.actor,
        action="agreement.in_force",
        subject=f"agreement:{agreement.slug}",
        data={
            "version": version.number,
            "sha256": version.sha256,
            "effective_date": signoff.effective_date.isoformat(),
            "document": document,
        },
    )


def decline(scope: SigningScope, *, reason: str, env: ServiceEnv) -> None:
    """A refusal sends the agreement back to drafting and tells the secretariat at once."""
    signature = scope.signature
    _still_pending(scope, declining=True)
    text = rules.decline_reason(reason)
    signature.status, signature.decline_reason = SignatureStatus.declined, text
    scope.signoff.status, scope.signoff.closed_at = SignOffStatus.declined, env.now
    change_status(scope.agreement, StatusAction.signoff_declined)
    env.session.add_all([signature, scope.signoff, scope.agreement])
    env.session.flush()
    contact = env.session.get(Contact, signature.contact_id)
    message = SignoffDeclined(
        organisation_name=scope.organization.name,
        signer_name=contact.name if contact else "",
        reason=text,
        agreement_title=version_content(scope.version).agreement.title,
        version_number=scope.version.number,
    )
    for recipient in secretariat_contacts(scope.agreement, session=env.session):
        enqueue(
            message,
            session=env.session,
            key=f"signoff_declined:{signature.id}:{recipient.id}",
            contact=recipient,
            agreement_id=scope.agreement.id,
        )
    audit.record(
        session=env.session,
        actor=env.actor,
        action="signoff.declined",
        subject=f"agreement:{scope.agreement.slug}",
        data={"organisation": scope.organization.slug, "reason": text},
    )
