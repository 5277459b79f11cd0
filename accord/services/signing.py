"""What a signatory does with their link: sign the exact text, or decline with a reason."""

from dataclasses import dataclass

from sqlmodel import select

from accord.services import audit
from accord.services.commitments import enter_into_force
from accord.services.outbox import enqueue
from accord.services.review_actions import checked_text
from accord.services.review_closing import secretariat_contacts
from accord.services.review_rounds import ReviewEnv, find_version
from accord.services.signed_documents import write_signed_document
from accord.services.signoff import SigningScope, SignOffRefused
from models import (
    AgreementStatus,
    Contact,
    Signature,
    SignatureStatus,
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
    ip_address: str,
    user_agent: str,
    env: ReviewEnv,
) -> SignatureRecorded:
    """Evidence of who signed which exact text, from where; the last one brings it into force."""
    signature = scope.signature
    if signature.status is not SignatureStatus.pending:
        when = f" on {signature.signed_at:%Y-%m-%d %H:%M} UTC" if signature.signed_at else ""
        raise SignOffRefused(
            f"{scope.organization.slug} has already {signature.status.value}{when}"
        )
    _refuse_changed_text(scope, env=env)
    signature.signer_name = checked_text(name, what="your name", required=True)
    signature.signer_title = checked_text(title, what="your title", required=True)
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
    if _all_signed(scope, env=env):
        _complete(scope, env=env)
        return SignatureRecorded(completed=True)
    return SignatureRecorded(completed=False)


def _refuse_changed_text(scope: SigningScope, *, env: ReviewEnv) -> None:
    """Approvals never carry over to another text: a newer version blocks this sign-off."""
    latest = find_version(scope.agreement, None, session=env.session)
    if latest.id == scope.version.id and latest.sha256 == scope.signoff.version_sha256:
        return
    raise SignOffRefused(
        f"the text changed after approval (version {latest.number} exists, this sign-off is "
        f"for version {scope.version.number}); the new version needs a review round first"
    )


def _all_signed(scope: SigningScope, *, env: ReviewEnv) -> bool:
    statuses = env.session.exec(
        select(Signature.status).where(Signature.sign_off_id == scope.signoff.id)
    ).all()
    return all(s is SignatureStatus.signed for s in statuses)


def _complete(scope: SigningScope, *, env: ReviewEnv) -> None:
    signoff = scope.signoff
    signoff.status, signoff.closed_at = SignOffStatus.completed, env.now
    signoff.effective_date = env.now.date()
    env.session.add(signoff)
    scope.agreement.status = AgreementStatus.in_force
    env.session.add(scope.agreement)
    document = write_signed_document(signoff, scope.agreement, scope.version, env=env)
    enter_into_force(scope.agreement, scope.version, env=env)
    audit.record(
        session=env.session,
        actor=env.actor,
        action="agreement.in_force",
        subject=f"agreement:{scope.agreement.slug}",
        data={
            "version": scope.version.number,
            "sha256": scope.version.sha256,
            "effective_date": signoff.effective_date.isoformat(),
            "document": document,
        },
    )


def decline(scope: SigningScope, *, reason: str, env: ReviewEnv) -> None:
    """A refusal sends the agreement back to drafting and tells the secretariat at once."""
    signature = scope.signature
    if signature.status is not SignatureStatus.pending:
        raise SignOffRefused(f"{scope.organization.slug} has already {signature.status.value}")
    text = checked_text(reason, what="the reason for declining", required=True)
    signature.status, signature.decline_reason = SignatureStatus.declined, text
    scope.signoff.status, scope.signoff.closed_at = SignOffStatus.declined, env.now
    scope.agreement.status = AgreementStatus.draft
    env.session.add_all([signature, scope.signoff, scope.agreement])
    env.session.flush()
    contact = env.session.get(Contact, signature.contact_id)
    for recipient in secretariat_contacts(scope.agreement, session=env.session):
        enqueue(
            session=env.session,
            key=f"signoff_declined:{signature.id}:{recipient.id}",
            kind="signoff_declined",
            contact=recipient,
            context={
                "organisation_name": scope.organization.name,
                "signer_name": contact.name if contact else "",
                "reason": text or "",
                "agreement_id": scope.agreement.slug,
                "agreement_title": _title(scope),
                "version_number": scope.version.number,
            },
            agreement_id=scope.agreement.id,
        )
    audit.record(
        session=env.session,
        actor=env.actor,
        action="signoff.declined",
        subject=f"agreement:{scope.agreement.slug}",
        data={"organisation": scope.organization.slug, "reason": text},
    )


def _title(scope: SigningScope) -> dict[str, str]:
    from accord.services.review_documents import version_content

    return dict(version_content(scope.version).agreement.title)
