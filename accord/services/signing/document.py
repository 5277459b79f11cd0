"""The signed text with its certificate page, kept and sent to every party."""

from sqlmodel import col, select

from accord.documents.signed_docx import SignatureEvidence, render_signed_agreement
from accord.mail.messages import Signatory, SignedAgreement
from accord.services.agreements import version_content
from accord.services.documents import signed_document_name
from accord.services.env import ServiceEnv
from accord.services.mail_queue import docx_attachment, enqueue
from accord.services.pdf_documents import keep_pdf_beside, seal_stamp
from accord.services.recipients import everyone_of
from models import (
    Agreement,
    AgreementVersion,
    Contact,
    Organization,
    Signature,
    SignatureStatus,
    SignOff,
)


def evidence_of(signoff: SignOff, *, env: ServiceEnv) -> list[SignatureEvidence]:
    rows = env.session.exec(
        select(Signature, Organization, Contact)
        .join(Organization, col(Organization.id) == Signature.organization_id)
        .join(Contact, col(Contact.id) == Signature.contact_id)
        .where(Signature.sign_off_id == signoff.id, Signature.status == SignatureStatus.signed)
        .order_by(col(Signature.signed_at))
    ).all()
    return [
        SignatureEvidence(
            org_id=org.slug,
            signer_name=s.signer_name or "",
            signer_title=s.signer_title or "",
            contact_email=contact.email,
            signed_at=s.signed_at or env.now,
            ip_address=s.ip_address or "",
            user_agent=s.user_agent or "",
            version_sha256=s.version_sha256 or "",
        )
        for s, org, contact in rows
    ]


def write_signed_document(
    signoff: SignOff, agreement: Agreement, version: AgreementVersion, *, env: ServiceEnv
) -> str:
    """Render, store, and queue the signed DOCX for every party's contacts."""
    content = version_content(version)
    evidence = evidence_of(signoff, env=env)
    assert signoff.effective_date is not None
    name = signed_document_name(agreement.slug, version.number)
    env.store.write(
        name,
        render_signed_agreement(
            content,
            number=version.number,
            sha256=version.sha256,
            created_at=version.created_at,
            signatures=evidence,
            effective_date=signoff.effective_date,
        ),
    )
    keep_pdf_beside(name, store=env.store, seal=seal_stamp(agreement, version, content))
    message = SignedAgreement(
        agreement_title=content.agreement.title,
        version_number=version.number,
        short_hash=version.sha256[:12],
        effective_date=signoff.effective_date,
        signatories=tuple(
            Signatory(content.org(e.org_id).name, e.signer_name, e.signer_title, e.signed_at)
            for e in evidence
        ),
    )
    for contact in everyone_of(agreement, session=env.session):
        enqueue(
            message,
            session=env.session,
            key=f"signed_agreement:{signoff.id}:{contact.id}",
            contact=contact,
            agreement_id=agreement.id,
            attachments=[docx_attachment(name)],
        )
    return name
