"""Focal points: their standing link, and the progress they report on their own items."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.services import audit
from accord.services.commitments import rules
from accord.services.env import ServiceEnv
from accord.services.links import (
    LinkKind,
    LinkNotValid,
    expiry,
    looked_up_hash,
    new_token,
    require_usable,
)
from models import (
    Agreement,
    Contact,
    EvidenceFile,
    FocalAccess,
    ItemStatus,
    Organization,
    ProgressUpdate,
    TrackedCommitment,
)


def issue_focal_access(
    org: Organization, contact: Contact, *, session: Session, now: datetime
) -> str:
    token, digest = new_token()
    session.add(
        FocalAccess(
            organization_id=org.id or 0,
            contact_id=contact.id or 0,
            token_hash=digest,
            expires_at=expiry(LinkKind.focal, now),
        )
    )
    session.flush()
    return token


@dataclass(frozen=True)
class FocalScope:
    access: FocalAccess
    organization: Organization
    contact: Contact


def resolve_focal(token: str, *, session: Session, now: datetime) -> FocalScope:
    access = session.exec(
        select(FocalAccess).where(FocalAccess.token_hash == looked_up_hash(token))
    ).first()
    if access is None:
        raise LinkNotValid()
    contact = require_usable(
        session.get(Contact, access.contact_id),
        revoked_at=access.revoked_at,
        expires_at=access.expires_at,
        now=now,
    )
    org = session.get(Organization, access.organization_id)
    if org is None:
        raise LinkNotValid()
    return FocalScope(access, org, contact)


@dataclass(frozen=True)
class Evidence:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Progress:
    """What a focal point reports on one item."""

    status: ItemStatus
    value: str | None = None
    percent: int | None = None
    note: str | None = None
    evidence: Evidence | None = None


def record_progress(
    scope: FocalScope,
    commitment: str,
    agreement: str,
    progress: Progress,
    *,
    request_key: str,
    env: ServiceEnv,
) -> ProgressUpdate:
    """One update on an item of the focal point's own organisation; repeat submits are no-ops."""
    session = env.session
    existing = session.exec(
        select(ProgressUpdate).where(ProgressUpdate.request_key == request_key)
    ).first()
    if existing is not None:
        return existing
    status = rules.reported_status(progress.status)
    value = rules.reported_value(progress.value)
    percent = rules.reported_percent(progress.percent)
    note = rules.reported_note(progress.note)
    evidence = progress.evidence
    checked = rules.evidence_file(evidence.filename, evidence.data) if evidence else None
    item = _own_item(scope, agreement, commitment, session=session)
    update = ProgressUpdate(
        tracked_id=item.id or 0,
        contact_id=scope.contact.id,
        status=status,
        value=value,
        percent=percent,
        request_key=request_key,
        created_at=env.now,
        note=note,
    )
    session.add(update)
    session.flush()
    if evidence is not None and checked is not None:
        _store_evidence(update, checked, evidence.data, env=env)
    item.status = status
    item.latest_value = value or item.latest_value
    item.latest_percent = percent if percent is not None else item.latest_percent
    item.last_update_at = env.now
    session.add(item)
    audit.record(
        session=session,
        actor=env.actor,
        action="progress.reported",
        subject=f"agreement:{agreement}",
        data={
            "commitment": commitment,
            "status": status.value,
            "value": value,
            "percent": percent,
            "organisation": scope.organization.slug,
        },
    )
    return update


def _own_item(
    scope: FocalScope, agreement: str, commitment: str, *, session: Session
) -> TrackedCommitment:
    """Only the focal point's own organisation's items; others look the same as missing ones."""
    item = session.exec(
        select(TrackedCommitment)
        .join(Agreement, col(Agreement.id) == TrackedCommitment.agreement_id)
        .where(Agreement.slug == agreement, TrackedCommitment.key == commitment)
    ).first()
    if item is None or item.responsible_id != scope.organization.id:
        raise Refusal(
            "commitments.not_own_item",
            "Your organisation has no commitment “%(commitment)s” in “%(agreement)s”; "
            "nothing was saved.",
            commitment=commitment[:80],
            agreement=agreement[:80],
        )
    return item


def _store_evidence(
    update: ProgressUpdate, checked: tuple[str, str], data: bytes, *, env: ServiceEnv
) -> None:
    name, suffix = checked
    digest = hashlib.sha256(data).hexdigest()
    stored = f"evidence/{digest[:2]}/{digest}{suffix}"
    if not env.store.exists(stored):
        env.store.write(stored, data)
    env.session.add(
        EvidenceFile(
            update_id=update.id or 0,
            filename=name,
            content_type=rules.EVIDENCE_TYPES[suffix],
            size=len(data),
            sha256=digest,
        )
    )
