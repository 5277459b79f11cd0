"""A signature given on paper at a ceremony, recorded by the secretariat with a scan of the
signed page; the last signature brings the agreement into force as an online one does."""

import hashlib
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col, select

from accord.errors import Refusal
from accord.services import audit
from accord.services.agreements import find_agreement, find_version
from accord.services.env import ServiceEnv
from accord.services.signing import rules
from accord.services.signing.acts import SignatureRecorded, complete
from accord.services.signing.rules import PaperSigning
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
class Scan:
    """The uploaded scan of the signed page, as the browser named it."""

    filename: str
    data: bytes


def scan_location(sha256: str, suffix: str) -> str:
    """Where a scan is kept in the document store: by its hash, so it can be verified."""
    return f"scans/{sha256[:2]}/{sha256}{suffix}"


def record_paper_signature(
    slug: str, party: str, given: PaperSigning, scan: Scan, *, env: ServiceEnv
) -> SignatureRecorded:
    """Evidence of a signature on paper: who, when, where, the scan, and who recorded it."""
    agreement = find_agreement(slug, session=env.session)
    _lock_open_signoff(agreement, env=env)
    signoff = _open_signoff(agreement, env=env)
    signature, org = _pending_signature(signoff, party, env=env)
    version = env.session.get(AgreementVersion, signoff.version_id)
    assert version is not None
    latest = find_version(agreement, None, session=env.session)
    rules.same_text(
        latest_id=latest.id or 0,
        latest_number=latest.number,
        signoff_version_id=version.id or 0,
        signoff_number=version.number,
        latest_sha256=latest.sha256,
        signoff_sha256=signoff.version_sha256,
    )
    checked = rules.paper_signing(given, opened_on=signoff.opened_at.date(), today=env.now.date())
    name, suffix = rules.scan_file(scan.filename, scan.data)
    digest = hashlib.sha256(scan.data).hexdigest()
    stored = scan_location(digest, suffix)
    if not env.store.exists(stored):
        env.store.write(stored, scan.data)
    _write_evidence(signature, checked, version, env=env)
    signature.scan_sha256, signature.scan_name = digest, name
    signature.scan_type = rules.SCAN_TYPES[suffix]
    env.session.add(signature)
    env.session.flush()
    audit.record(
        session=env.session,
        actor=env.actor,
        action="signature.recorded_on_paper",
        subject=f"agreement:{slug}",
        data={
            "organisation": org.slug,
            "signer": checked.name,
            "title": checked.title,
            "signed_on": checked.signed_on.isoformat() if checked.signed_on else "",
            "place": checked.place,
            "scan_sha256": digest,
            "sha256": version.sha256,
        },
    )
    signatures = env.session.exec(
        select(Signature).where(Signature.sign_off_id == signoff.id)
    ).all()
    if not rules.all_signed([s.status for s in signatures]):
        return SignatureRecorded(completed=False)
    complete(signoff, agreement, version, signatures, env=env)
    return SignatureRecorded(completed=True)


def _write_evidence(
    signature: Signature, given: PaperSigning, version: AgreementVersion, *, env: ServiceEnv
) -> None:
    signature.signer_name, signature.signer_title = given.name, given.title
    signature.status, signature.signed_at = SignatureStatus.signed, env.now
    signature.paper_signed_on, signature.paper_place = given.signed_on, given.place
    signature.recorded_by = env.actor[:200]
    signature.ip_address = ""
    on = given.signed_on.isoformat() if given.signed_on else ""
    signature.user_agent = f"On paper, {given.place}, {on}; recorded by {env.actor}"[:500]
    signature.version_sha256 = version.sha256


def _lock_open_signoff(agreement: Agreement, *, env: ServiceEnv) -> None:
    """One signature at a time, online or on paper (see `access.lock_signoff`)."""
    env.session.execute(
        update(SignOff)
        .where(col(SignOff.agreement_id) == agreement.id, col(SignOff.status) == SignOffStatus.open)
        .values(status=col(SignOff.status))
        .execution_options(synchronize_session=False)
    )


def _open_signoff(agreement: Agreement, *, env: ServiceEnv) -> SignOff:
    signoff = env.session.exec(
        select(SignOff).where(
            SignOff.agreement_id == agreement.id, SignOff.status == SignOffStatus.open
        )
    ).first()
    if signoff is None:
        raise Refusal(
            "signing.no_open_signoff",
            "“%(agreement)s” is not being signed: start the sign-off first.",
            agreement=agreement.slug,
        )
    return signoff


def _pending_signature(
    signoff: SignOff, party: str, *, env: ServiceEnv
) -> tuple[Signature, Organization]:
    row = env.session.exec(
        select(Signature, Organization)
        .join(Organization, col(Organization.id) == Signature.organization_id)
        .where(Signature.sign_off_id == signoff.id, Organization.slug == party)
    ).first()
    if row is None:
        raise Refusal(
            "signing.not_a_signatory",
            "“%(party)s” is not a signatory of this sign-off.",
            field="party",
            party=party[:80],
        )
    signature, org = row
    if signature.status is not SignatureStatus.pending:
        raise Refusal(
            "signing.paper_already_answered",
            "%(party)s has already answered this sign-off (%(status)s); nothing was recorded.",
            field="party",
            party=org.slug,
            status=signature.status.value,
        )
    return signature, org
