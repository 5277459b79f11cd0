"""Personal review links: issued once, stored as hashes, valid only while their round is open."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from accord.errors import AccordError
from models import (
    Contact,
    Organization,
    ReviewAccess,
    ReviewAssignment,
    ReviewRound,
    ReviewStage,
    RoundStatus,
    StageStatus,
)

TOKEN_BYTES = 24
"""192 bits of randomness: unguessable, and short enough for an e-mail link."""


class LinkNotValid(AccordError):
    """Deliberately says nothing about why: a guesser learns nothing."""

    def __init__(self) -> None:
        super().__init__("this link is not valid")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_access(
    assignment: ReviewAssignment,
    contact: Contact,
    *,
    session: Session,
    delegated_by: ReviewAccess | None = None,
) -> tuple[ReviewAccess, str]:
    """A new link for one contact of one party in one stage; the token is returned only here."""
    assert assignment.id is not None and contact.id is not None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    access = ReviewAccess(
        assignment_id=assignment.id,
        contact_id=contact.id,
        token_hash=token_hash(token),
        delegated_by_id=delegated_by.id if delegated_by else None,
    )
    session.add(access)
    session.flush()
    return access, token


@dataclass(frozen=True)
class AccessScope:
    """Everything a link entitles its holder to, resolved in one place."""

    access: ReviewAccess
    assignment: ReviewAssignment
    stage: ReviewStage
    round: ReviewRound
    contact: Contact
    organization: Organization


def resolve(token: str, *, session: Session, for_update: bool = False) -> AccessScope:
    """The scope of a live link; forged, foreign or expired links all fail the same way."""
    if not token or len(token) > 200:
        raise LinkNotValid()
    query = (
        select(ReviewAccess, ReviewAssignment, ReviewStage, ReviewRound, Contact, Organization)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewAccess.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(ReviewRound, col(ReviewRound.id) == ReviewStage.round_id)
        .join(Contact, col(Contact.id) == ReviewAccess.contact_id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .where(col(ReviewAccess.token_hash) == token_hash(token))
    )
    if for_update:
        query = query.with_for_update(of=ReviewRound)
    row = session.execute(query).first()
    if row is None:
        raise LinkNotValid()
    access, assignment, stage, round_, contact, org = row._tuple()
    if not hmac.compare_digest(access.token_hash, token_hash(token)):
        raise LinkNotValid()
    if round_.status is not RoundStatus.open or stage.status is not StageStatus.open:
        raise LinkNotValid()
    if not contact.active:
        raise LinkNotValid()
    return AccessScope(access, assignment, stage, round_, contact, org)
