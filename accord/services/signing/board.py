"""What the secretariat's sign-off page shows: whether sign-off may start (and if not, which
party has not approved which version), and each signatory's signature with its evidence."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.services.agreements import find_version, signed_version
from accord.services.signing.approvals import gaps_of
from accord.services.signing.rules import Gap, not_signed_yet
from accord.services.status import StatusAction, next_status
from models import (
    Agreement,
    AgreementVersion,
    Organization,
    Signature,
    SignatureStatus,
    SignOff,
    SignOffStatus,
)


@dataclass(frozen=True)
class SignatureLine:
    """One signatory of a sign-off and, once given, the evidence of its signature."""

    id: int
    party: str
    name: dict[str, str]
    status: SignatureStatus
    signer_name: str | None
    signer_title: str | None
    signed_at: datetime | None
    ip_address: str | None
    user_agent: str | None
    paper_signed_on: date | None
    paper_place: str | None
    scan_name: str | None
    recorded_by: str | None
    decline_reason: str | None

    @property
    def on_paper(self) -> bool:
        return self.paper_signed_on is not None


@dataclass(frozen=True)
class SignoffBoard:
    latest_version: int
    signoff: SignOff | None
    """The latest sign-off, open or closed."""
    signoff_version: int | None
    signatures: list[SignatureLine]
    gaps: list[Gap]
    """Why sign-off of the latest version may not start (empty when it may, or is open)."""
    party_names: dict[str, dict[str, str]]
    """The name of each party a gap names, in every language it has."""
    blocked: Refusal | None
    """Another reason it may not start: already open, already signed, or the status."""

    @property
    def can_start(self) -> bool:
        return not self.gaps and self.blocked is None

    @property
    def pending(self) -> list[SignatureLine]:
        return [s for s in self.signatures if s.status is SignatureStatus.pending]


def signoff_board(agreement: Agreement, *, session: Session) -> SignoffBoard:
    """The page's facts in a few indexed queries; rendering nothing, changing nothing."""
    latest = find_version(agreement, None, session=session)
    signoff = session.exec(
        select(SignOff).where(SignOff.agreement_id == agreement.id).order_by(col(SignOff.id).desc())
    ).first()
    blocked = _blocked(agreement, latest, signoff, session=session)
    gaps = [] if blocked is not None else gaps_of(agreement, latest, session=session)
    version = session.get(AgreementVersion, signoff.version_id) if signoff else None
    return SignoffBoard(
        latest_version=latest.number,
        signoff=signoff,
        signoff_version=version.number if version else None,
        signatures=signature_lines(signoff, session=session) if signoff else [],
        gaps=gaps,
        party_names=_names([gap.party for gap in gaps], session=session),
        blocked=blocked,
    )


def _names(slugs: list[str], *, session: Session) -> dict[str, dict[str, str]]:
    if not slugs:
        return {}
    found = session.exec(select(Organization).where(col(Organization.slug).in_(slugs)))
    return {org.slug: dict(org.name) for org in found}


def _blocked(
    agreement: Agreement,
    latest: AgreementVersion,
    signoff: SignOff | None,
    *,
    session: Session,
) -> Refusal | None:
    if signoff is not None and signoff.status is SignOffStatus.open:
        return Refusal(
            "signing.already_open",
            "agreement '%(agreement)s' is already being signed",
            agreement=agreement.slug,
        )
    signed = signed_version(agreement, session=session)
    try:
        if signed is not None and signed.number == latest.number:
            not_signed_yet(latest.number, signed_number=signed.number, agreement=agreement.slug)
        next_status(agreement.status, StatusAction.start_signoff, agreement=agreement.slug)
    except Refusal as refusal:
        return refusal
    return None


def signature_lines(signoff: SignOff, *, session: Session) -> list[SignatureLine]:
    rows = session.exec(
        select(Signature, Organization)
        .join(Organization, col(Organization.id) == Signature.organization_id)
        .where(Signature.sign_off_id == signoff.id)
        .order_by(col(Signature.id))
    ).all()
    return [
        SignatureLine(
            id=s.id or 0,
            party=org.slug,
            name=dict(org.name),
            status=s.status,
            signer_name=s.signer_name,
            signer_title=s.signer_title,
            signed_at=s.signed_at,
            ip_address=s.ip_address,
            user_agent=s.user_agent,
            paper_signed_on=s.paper_signed_on,
            paper_place=s.paper_place,
            scan_name=s.scan_name if s.scan_sha256 else None,
            recorded_by=s.recorded_by,
            decline_reason=s.decline_reason,
        )
        for s, org in rows
    ]


def signature_scan(
    agreement: Agreement, signature_id: int, *, session: Session
) -> Signature | None:
    """A signature of this agreement with a scan, or None (the page answers 404)."""
    found = session.exec(
        select(Signature)
        .join(SignOff, col(SignOff.id) == Signature.sign_off_id)
        .where(Signature.id == signature_id, SignOff.agreement_id == agreement.id)
    ).first()
    return found if found is not None and found.scan_sha256 else None
