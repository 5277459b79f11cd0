"""Progress on commitments: focal points report it, everyone else reads it."""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from sqlmodel import Session, col, select

from accord.documents.progress_types import TrackedItem
from accord.services import audit
from accord.services.ports import DocumentStore
from accord.services.review_access import LinkNotValid, token_hash
from accord.services.review_actions import checked_text
from accord.services.review_documents import version_content
from accord.services.review_errors import ReviewRefused
from accord.services.review_rounds import ReviewEnv
from models import (
    Agreement,
    AgreementVersion,
    CommitmentDefinition,
    Contact,
    EvidenceFile,
    FocalAccess,
    ItemStatus,
    Organization,
    ProgressUpdate,
    TrackedCommitment,
)

EVIDENCE_LIMIT = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


@dataclass(frozen=True)
class FocalScope:
    access: FocalAccess
    organization: Organization
    contact: Contact


def resolve_focal(token: str, *, session: Session) -> FocalScope:
    if not token or len(token) > 200:
        raise LinkNotValid()
    access = session.exec(
        select(FocalAccess).where(FocalAccess.token_hash == token_hash(token))
    ).first()
    if access is None or access.revoked_at is not None:
        raise LinkNotValid()
    org = session.get(Organization, access.organization_id)
    contact = session.get(Contact, access.contact_id)
    if org is None or contact is None or not contact.active:
        raise LinkNotValid()
    return FocalScope(access, org, contact)


def tracked_items(
    *, session: Session, agreement: str | None = None, organization_id: int | None = None
) -> list[TrackedItem]:
    """Items of one agreement or of one organisation, as documents and pages print them."""
    query = (
        select(TrackedCommitment, CommitmentDefinition, Agreement)
        .join(CommitmentDefinition, col(CommitmentDefinition.id) == TrackedCommitment.definition_id)
        .join(Agreement, col(Agreement.id) == TrackedCommitment.agreement_id)
    )
    if agreement is not None:
        query = query.where(Agreement.slug == agreement)
    if organization_id is not None:
        query = query.where(TrackedCommitment.responsible_id == organization_id)
    rows = session.exec(
        query.order_by(col(TrackedCommitment.due), col(TrackedCommitment.key))
    ).all()
    orgs = {o.id: o for o in session.exec(select(Organization))}
    contents: dict[int, object] = {}
    return [_item(t, d, a, orgs, contents, session=session) for t, d, a in rows]


def _item(
    tracked: TrackedCommitment,
    definition: CommitmentDefinition,
    agreement: Agreement,
    orgs: dict[int | None, Organization],
    contents: dict[int, object],
    *,
    session: Session,
) -> TrackedItem:
    if definition.version_id not in contents:
        version = session.get(AgreementVersion, definition.version_id)
        assert version is not None
        contents[definition.version_id] = version_content(version)
    content = contents[definition.version_id]
    spec = content.agreement  # type: ignore[attr-defined]
    objective = next((o for o in spec.objectives if o.id == definition.objective), None)
    by_slug = {o.slug: o for o in orgs.values()}
    responsible = orgs[tracked.responsible_id]
    return TrackedItem(
        agreement_id=agreement.slug,
        commitment_id=tracked.key,
        objective_id=definition.objective,
        objective_title=dict(objective.title) if objective else None,
        activity=dict(definition.activity),
        responsible_org_id=responsible.slug,
        responsible_name=dict(responsible.name),
        partners=tuple(dict(by_slug[p].name) for p in definition.partners if p in by_slug),
        due=tracked.due,
        status=tracked.status.value,
        indicator=definition.indicator,
        baseline=definition.baseline,
        target=definition.target,
        latest_value=tracked.latest_value,
        latest_percent=tracked.latest_percent,
        last_update_at=tracked.last_update_at,
        budget_amount=definition.budget_amount,
        budget_currency=definition.budget_currency,
        funding=definition.funding,
        agreement_title=dict(spec.title),
        due_label=definition.due_label,
    )


@dataclass(frozen=True)
class Evidence:
    filename: str
    data: bytes


def record_progress(
    scope: FocalScope,
    commitment: str,
    agreement: str,
    *,
    status: ItemStatus,
    value: str | None,
    percent: int | None,
    note: str | None,
    evidence: Evidence | None,
    request_key: str,
    store: DocumentStore,
    env: ReviewEnv,
) -> ProgressUpdate:
    """One update on an item of the focal point's own organisation; repeat submits are no-ops."""
    session = env.session
    existing = session.exec(
        select(ProgressUpdate).where(ProgressUpdate.request_key == request_key)
    ).first()
    if existing is not None:
        return existing
    item = _own_item(scope, agreement, commitment, session=session)
    if percent is not None and not 0 <= percent <= 100:
        raise ReviewRefused(f"a percentage must be between 0 and 100, not {percent}")
    if status is ItemStatus.overdue:
        raise ReviewRefused("'overdue' is set by the deadline, not by a report")
    update = ProgressUpdate(
        tracked_id=item.id or 0,
        contact_id=scope.contact.id,
        status=status,
        value=checked_text(value, what="the value", required=False),
        percent=percent,
        request_key=request_key,
        created_at=env.now,
        note=checked_text(note, what="the note", required=False),
    )
    session.add(update)
    session.flush()
    if evidence is not None:
        _store_evidence(update, evidence, store=store, session=session)
    item.status = status
    item.latest_value = update.value or item.latest_value
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
            "value": update.value,
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
        raise ReviewRefused(
            f"{scope.organization.slug} has no commitment '{commitment}' in '{agreement}'"
        )
    return item


def _store_evidence(
    update: ProgressUpdate, evidence: Evidence, *, store: DocumentStore, session: Session
) -> None:
    suffix = PurePath(evidence.filename).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        allowed = ", ".join(sorted(EVIDENCE_TYPES))
        raise ReviewRefused(f"'{evidence.filename}' is not an allowed type ({allowed})")
    if len(evidence.data) > EVIDENCE_LIMIT:
        raise ReviewRefused(
            f"'{evidence.filename}' is {len(evidence.data) / 1048576:.1f} MB; "
            f"the limit is {EVIDENCE_LIMIT // 1048576} MB"
        )
    digest = hashlib.sha256(evidence.data).hexdigest()
    name = f"evidence/{digest[:2]}/{digest}{suffix}"
    if not store.exists(name):
        store.write(name, evidence.data)
    session.add(
        EvidenceFile(
            update_id=update.id or 0,
            filename=PurePath(evidence.filename).name,
            content_type=EVIDENCE_TYPES[suffix],
            size=len(evidence.data),
            sha256=digest,
        )
    )
