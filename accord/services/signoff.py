"""Sign-off: only a version every signatory approved, signed exactly as approved."""

import secrets
from dataclasses import dataclass

from sqlmodel import Session, col, select

from accord.errors import AccordError
from accord.services import audit
from accord.services.outbox import docx_attachment, enqueue
from accord.services.review_access import LinkNotValid, token_hash
from accord.services.review_closing import latest_decisions
from accord.services.review_documents import ensure_version_document, version_content
from accord.services.review_rounds import ReviewEnv, find_agreement, find_version
from models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Contact,
    Decision,
    Organization,
    ReviewAssignment,
    ReviewRound,
    ReviewStage,
    Signature,
    SignOff,
    SignOffStatus,
    StageKind,
)

APPROVALS = (Decision.approve, Decision.approve_with_comments)


class SignOffRefused(AccordError):
    """Sign-off cannot start or proceed; the message names the party and the version."""


def approval_gaps(
    agreement: Agreement, version: AgreementVersion, *, session: Session
) -> list[str]:
    """Why `version` may not go to sign-off: one line per signatory that has not approved it."""
    gaps = []
    for slug in version_content(version).agreement.signatories():
        org = session.exec(select(Organization).where(Organization.slug == slug)).one()
        gap = _gap(agreement, version, org, session=session)
        if gap:
            gaps.append(gap)
    return gaps


def _gap(
    agreement: Agreement, version: AgreementVersion, org: Organization, *, session: Session
) -> str | None:
    row = session.exec(
        select(ReviewRound, ReviewStage, ReviewAssignment)
        .join(ReviewStage, col(ReviewStage.round_id) == ReviewRound.id)
        .join(ReviewAssignment, col(ReviewAssignment.stage_id) == ReviewStage.id)
        .where(
            ReviewRound.agreement_id == agreement.id,
            ReviewAssignment.organization_id == org.id,
            ReviewStage.kind == StageKind.external,
        )
        .order_by(col(ReviewRound.number).desc())
    ).first()
    if row is None:
        return f"{org.slug} has not reviewed any version yet"
    round_, stage, assignment = row
    reviewed = session.get(AgreementVersion, round_.version_id)
    answer = latest_decisions(stage.id or 0, session=session).get(assignment.id or 0)
    said = answer.decision.value if answer else "no answer"
    if round_.version_id != version.id:
        number = reviewed.number if reviewed else "?"
        return (
            f"{org.slug} has not approved version {version.number}: its latest review "
            f"(round {round_.number}) was of version {number} ({said})"
        )
    if answer is None or answer.decision not in APPROVALS:
        return (
            f"{org.slug} has not approved version {version.number} (round {round_.number}: {said})"
        )
    return None


@dataclass(frozen=True)
class SignOffStarted:
    agreement: str
    version: int
    sha256: str
    requests: int


def start_signoff(slug: str, *, env: ReviewEnv) -> SignOffStarted:
    """Each signatory gets a personal link to confirm the exact approved text."""
    session = env.session
    agreement = find_agreement(slug, session=session)
    version = find_version(agreement, None, session=session)
    if open_signoff(agreement, session=session) is not None:
        raise SignOffRefused(f"agreement '{slug}' is already being signed")
    gaps = approval_gaps(agreement, version, session=session)
    if gaps:
        raise SignOffRefused("sign-off refused: " + "; ".join(gaps))
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
    requests = sum(
        _request_signature(signoff, agreement, version, slug_, document, env=env)
        for slug_ in version_content(version).agreement.signatories()
    )
    agreement.status = AgreementStatus.signing
    session.add(agreement)
    audit.record(
        session=session,
        actor=env.actor,
        action="signoff.started",
        subject=f"agreement:{slug}",
        data={"version": version.number, "sha256": version.sha256},
    )
    return SignOffStarted(slug, version.number, version.sha256, requests)


def open_signoff(agreement: Agreement, *, session: Session) -> SignOff | None:
    return session.exec(
        select(SignOff).where(
            SignOff.agreement_id == agreement.id, SignOff.status == SignOffStatus.open
        )
    ).first()


def _signer(org: Organization, *, session: Session) -> Contact:
    contacts = list(
        session.exec(
            select(Contact)
            .where(Contact.organization_id == org.id, col(Contact.active).is_(True))
            .order_by(col(Contact.id))
        )
    )
    chosen = [c for c in contacts if "signatory" in c.roles] or contacts
    if not chosen:
        raise SignOffRefused(f"organisation '{org.slug}' has no contact to sign")
    return chosen[0]


def _request_signature(
    signoff: SignOff,
    agreement: Agreement,
    version: AgreementVersion,
    org_slug: str,
    document: str,
    *,
    env: ReviewEnv,
) -> int:
    session = env.session
    org = session.exec(select(Organization).where(Organization.slug == org_slug)).one()
    contact = _signer(org, session=session)
    token = secrets.token_urlsafe(24)
    signature = Signature(
        sign_off_id=signoff.id or 0,
        organization_id=org.id or 0,
        contact_id=contact.id or 0,
        token_hash=token_hash(token),
    )
    session.add(signature)
    session.flush()
    content = version_content(version)
    enqueue(
        session=session,
        key=f"sign_request:{signature.id}",
        kind="sign_request",
        contact=contact,
        context={
            "organisation_name": org.name,
            "agreement_title": content.agreement.title,
            "agreement_id": agreement.slug,
            "version_number": version.number,
            "sha256": version.sha256,
            "short_hash": version.sha256[:12],
            "link_url": f"{env.base_url.rstrip('/')}/s/{token}",
            "secretariat_name": content.org(content.agreement.secretariat).name,
        },
        agreement_id=agreement.id,
        attachments=[docx_attachment(document.rsplit("/", 1)[-1], document)],
    )
    return 1


@dataclass(frozen=True)
class SigningScope:
    signature: Signature
    signoff: SignOff
    agreement: Agreement
    version: AgreementVersion
    organization: Organization
    contact: Contact


def resolve_signature(token: str, *, session: Session) -> SigningScope:
    """A live signing link; anything else is "not valid", revealing nothing."""
    if not token or len(token) > 200:
        raise LinkNotValid()
    signature = session.exec(
        select(Signature).where(Signature.token_hash == token_hash(token))
    ).first()
    if signature is None:
        raise LinkNotValid()
    signoff = session.get(SignOff, signature.sign_off_id)
    if signoff is None or signoff.status is not SignOffStatus.open:
        raise LinkNotValid()
    agreement = session.get(Agreement, signoff.agreement_id)
    version = session.get(AgreementVersion, signoff.version_id)
    org = session.get(Organization, signature.organization_id)
    contact = session.get(Contact, signature.contact_id)
    assert agreement and version and org and contact
    return SigningScope(signature, signoff, agreement, version, org, contact)
