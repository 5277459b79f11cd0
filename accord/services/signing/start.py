"""Starting sign-off (a personal link per signatory), and cancelling it when review reopens."""

from dataclasses import dataclass

from sqlmodel import Session, select

from accord.errors import Refusal
from accord.mail.messages import SignRequest
from accord.services import audit
from accord.services.agreements import (
    find_agreement,
    find_version,
    signed_version,
    version_content,
)
from accord.services.documents import ensure_version_document
from accord.services.env import ServiceEnv
from accord.services.events import ReviewRoundStarting
from accord.services.links import LinkKind, expiry, new_token
from accord.services.mail_queue import docx_attachment, enqueue
from accord.services.recipients import signer_of
from accord.services.signing import rules
from accord.services.signing.approvals import gaps_of
from accord.services.signing.rules import refuse_gaps
from accord.services.status import StatusAction, change_status
from models import Agreement, AgreementVersion, Organization, Signature, SignOff, SignOffStatus


@dataclass(frozen=True)
class SignOffStarted:
    agreement: str
    version: int
    sha256: str
    requests: int


def start_signoff(slug: str, *, env: ServiceEnv) -> SignOffStarted:
    """Each signatory gets a personal link to confirm the exact approved text."""
    session = env.session
    agreement = find_agreement(slug, session=session)
    version = find_version(agreement, None, session=session)
    if open_signoff(agreement, session=session) is not None:
        raise Refusal(
            "signing.already_open",
            "agreement '%(agreement)s' is already being signed",
            agreement=slug,
        )
    signed = signed_version(agreement, session=session)
    rules.not_signed_yet(
        version.number, signed_number=signed.number if signed else None, agreement=slug
    )
    refuse_gaps(gaps_of(agreement, version, session=session))
    change_status(agreement, StatusAction.start_signoff)
    signoff = SignOff(
        agreement_id=agreement.id or 0,
        version_id=version.id or 0,
        version_sha256=version.sha256,
        started_by=env.actor,
        opened_at=env.now,
    )
    session.add(signoff)
    session.flush()
    document = ensure_version_document(agreement, version, store=env.store)
    for party in version_content(version).agreement.signatories():
        _request_signature(signoff, agreement, version, party, document, env=env)
    session.add(agreement)
    audit.record(
        session=session,
        actor=env.actor,
        action="signoff.started",
        subject=f"agreement:{slug}",
        data={"version": version.number, "sha256": version.sha256},
    )
    requests = len(version_content(version).agreement.signatories())
    return SignOffStarted(slug, version.number, version.sha256, requests)


def open_signoff(agreement: Agreement, *, session: Session) -> SignOff | None:
    return session.exec(
        select(SignOff).where(
            SignOff.agreement_id == agreement.id, SignOff.status == SignOffStatus.open
        )
    ).first()


def _request_signature(
    signoff: SignOff,
    agreement: Agreement,
    version: AgreementVersion,
    party: str,
    document: str,
    *,
    env: ServiceEnv,
) -> None:
    session = env.session
    org = session.exec(select(Organization).where(Organization.slug == party)).one()
    contact = signer_of(org, session=session)
    token, digest = new_token()
    signature = Signature(
        sign_off_id=signoff.id or 0,
        organization_id=org.id or 0,
        contact_id=contact.id or 0,
        token_hash=digest,
        expires_at=expiry(LinkKind.signing, env.now),
    )
    session.add(signature)
    session.flush()
    content = version_content(version)
    enqueue(
        SignRequest(
            organisation_name=org.name,
            agreement_title=content.agreement.title,
            agreement_id=agreement.slug,
            version_number=version.number,
            sha256=version.sha256,
            short_hash=version.sha256[:12],
            link_url=env.link(f"/s/{token}"),
            secretariat_name=content.org(content.agreement.secretariat).name,
        ),
        session=session,
        key=f"sign_request:{signature.id}",
        contact=contact,
        agreement_id=agreement.id,
        attachments=[docx_attachment(document)],
    )


def cancel_open_signoff(event: ReviewRoundStarting, env: ServiceEnv) -> None:
    """A new review means the text is open again: a pending sign-off must not go on."""
    for signoff in env.session.exec(
        select(SignOff).where(
            SignOff.agreement_id == event.agreement_id, SignOff.status == SignOffStatus.open
        )
    ):
        signoff.status, signoff.closed_at = SignOffStatus.cancelled, env.now
        env.session.add(signoff)
        audit.record(
            session=env.session,
            actor=env.actor,
            action="signoff.cancelled",
            subject=f"agreement:{event.agreement}",
            data={"reason": "a new review round started"},
        )
