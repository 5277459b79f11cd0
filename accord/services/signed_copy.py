"""What an old review or signing link opens once its agreement is signed by every party.

A reviewer or signatory who follows their link after the sign-off is complete came for the
agreement: they get the signed text to download, never an error page. The link must still
be genuine (its hash is stored), not revoked by the secretariat, and its contact active, as
for every link; a link of any other agreement, or of one not (yet) signed, is as "not
valid" as before. A link past its expiry still leads to the signed text: the agreement it
was sent about is settled, and the parties were sent that text anyway.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from accord.services.agreements import version_content
from accord.services.documents import signed_document_name
from accord.services.links import LinkNotValid, looked_up_hash
from accord.source.spec import LangText
from models import (
    Agreement,
    AgreementVersion,
    Contact,
    ReviewAccess,
    ReviewAssignment,
    ReviewRound,
    ReviewStage,
    Signature,
    SignOff,
    SignOffStatus,
)


@dataclass(frozen=True)
class SignedCopy:
    title: LangText
    languages: tuple[str, ...]
    """The agreement's document languages, the primary first."""
    contact_language: str
    effective_date: date
    document: str
    """The signed DOCX's name in the document store."""


def signed_copy(token: str, *, session: Session) -> SignedCopy | None:
    """The signed agreement a review or signing link leads to after its sign-off completed;
    None for any other link (forged, of an inactive contact, of an agreement not signed)."""
    try:
        hashed = looked_up_hash(token)
    except LinkNotValid:
        return None
    found = _review_link(hashed, session=session) or _signing_link(hashed, session=session)
    if found is None:
        return None
    agreement_id, contact_id = found
    contact = session.get(Contact, contact_id)
    if contact is None or not contact.active:
        return None
    signoff = session.exec(
        select(SignOff)
        .where(SignOff.agreement_id == agreement_id, SignOff.status == SignOffStatus.completed)
        .order_by(col(SignOff.id).desc())
    ).first()
    if signoff is None or signoff.effective_date is None:
        return None
    agreement = session.get(Agreement, agreement_id)
    version = session.get(AgreementVersion, signoff.version_id)
    assert agreement is not None and version is not None
    spec = version_content(version).agreement
    return SignedCopy(
        title=dict(spec.title),
        languages=tuple(spec.languages),
        contact_language=contact.language,
        effective_date=signoff.effective_date,
        document=signed_document_name(agreement.slug, version.number),
    )


def _review_link(hashed: str, *, session: Session) -> tuple[int, int] | None:
    row = session.execute(
        sa_select(col(ReviewRound.agreement_id), col(ReviewAccess.contact_id))
        .select_from(ReviewAccess)
        .join(ReviewAssignment, col(ReviewAssignment.id) == col(ReviewAccess.assignment_id))
        .join(ReviewStage, col(ReviewStage.id) == col(ReviewAssignment.stage_id))
        .join(ReviewRound, col(ReviewRound.id) == col(ReviewStage.round_id))
        .where(col(ReviewAccess.token_hash) == hashed, col(ReviewAccess.revoked_at).is_(None))
    ).first()
    return (row[0], row[1]) if row else None


def _signing_link(hashed: str, *, session: Session) -> tuple[int, int] | None:
    row = session.execute(
        sa_select(col(SignOff.agreement_id), col(Signature.contact_id))
        .select_from(Signature)
        .join(SignOff, col(SignOff.id) == col(Signature.sign_off_id))
        .where(col(Signature.token_hash) == hashed, col(Signature.revoked_at).is_(None))
    ).first()
    return (row[0], row[1]) if row else None
