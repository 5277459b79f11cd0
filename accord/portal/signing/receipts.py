"""What a signing link did, for after its sign-off has closed.

Once every party has signed (or one declined) the sign-off is closed and the link no longer
resolves, yet its holder must still get their thank-you page, also after a double click.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from accord.services.links import token_hash
from models import Contact, Signature, SignatureStatus, SignOff, SignOffStatus


@dataclass(frozen=True)
class SigningReceipt:
    """The holder's own signature and how the sign-off as a whole stands."""

    language: str
    """The signatory's own language, for the page."""
    status: SignatureStatus
    signed_at: datetime | None
    signer_name: str | None
    signer_title: str | None
    version_sha256: str | None
    signoff_status: SignOffStatus
    effective_date: date | None

    @property
    def in_force(self) -> bool:
        return self.signoff_status is SignOffStatus.completed


def signing_receipt(token: str, *, engine: Engine) -> SigningReceipt | None:
    """The link's signature whatever the sign-off's state; None for a link that never was."""
    if not token or len(token) > 200:
        return None
    with Session(engine) as session:
        row = session.exec(
            select(Signature, SignOff, Contact)
            .join(SignOff, col(SignOff.id) == Signature.sign_off_id)
            .join(Contact, col(Contact.id) == Signature.contact_id)
            .where(Signature.token_hash == token_hash(token))
        ).first()
    if row is None:
        return None
    signature, signoff, contact = row
    return SigningReceipt(
        language=contact.language,
        status=signature.status,
        signed_at=signature.signed_at,
        signer_name=signature.signer_name,
        signer_title=signature.signer_title,
        version_sha256=signature.version_sha256,
        signoff_status=signoff.status,
        effective_date=signoff.effective_date,
    )
