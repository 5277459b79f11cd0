"""Signing links: one per signatory of an open sign-off; the lock a signature takes."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from accord.services.links import LinkNotValid, looked_up_hash, require_usable, token_hash
from models import (
    Agreement,
    AgreementVersion,
    Contact,
    Organization,
    Signature,
    SignOff,
    SignOffStatus,
)


@dataclass(frozen=True)
class SigningScope:
    signature: Signature
    signoff: SignOff
    agreement: Agreement
    version: AgreementVersion
    organization: Organization
    contact: Contact


def resolve_signature(token: str, *, session: Session, now: datetime) -> SigningScope:
    """A live signing link; anything else is "not valid", revealing nothing."""
    signature = session.exec(
        select(Signature).where(Signature.token_hash == looked_up_hash(token))
    ).first()
    if signature is None:
        raise LinkNotValid()
    signoff = session.get(SignOff, signature.sign_off_id)
    if signoff is None or signoff.status is not SignOffStatus.open:
        raise LinkNotValid()
    contact = require_usable(
        session.get(Contact, signature.contact_id),
        revoked_at=signature.revoked_at,
        expires_at=signature.expires_at,
        now=now,
    )
    agreement = session.get(Agreement, signoff.agreement_id)
    version = session.get(AgreementVersion, signoff.version_id)
    org = session.get(Organization, signature.organization_id)
    assert agreement and version and org
    return SigningScope(signature, signoff, agreement, version, org, contact)


def lock_signoff(token: str, *, session: Session) -> None:
    """Signatures of one sign-off are recorded one at a time, on either database.

    Without it two parties signing at the same moment would each see the other still pending
    and neither would bring the agreement into force, and one link posted twice would sign
    twice. A no-op UPDATE, run before the link is resolved, so everything after reads what
    the previous signer committed: a row lock on PostgreSQL, and on SQLite (whose driver only
    begins a transaction at the first write) the database's one write lock.
    """
    session.execute(
        update(SignOff)
        .where(
            col(SignOff.id).in_(
                select(Signature.sign_off_id).where(Signature.token_hash == token_hash(token))
            )
        )
        .values(status=col(SignOff.status))
        .execution_options(synchronize_session=False)
    )
