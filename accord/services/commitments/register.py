"""The secretariat's register of tracked commitments: filtered and paged in indexed queries
(a secretariat may track tens of thousands of items), each item's history and evidence, and
progress per objective."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select

from accord.documents.progress_types import TrackedItem
from accord.services.commitments.rules import OPEN
from models import (
    Agreement,
    CommitmentDefinition,
    Contact,
    EvidenceFile,
    ItemStatus,
    Organization,
    ProgressUpdate,
    TrackedCommitment,
)

PER_PAGE = 50
PAGE_LIMIT = 10_000
"""Pages beyond this are refused by the page (narrow the filters instead)."""


@dataclass(frozen=True)
class RegisterFilter:
    """What the register shows; every part optional."""

    agreement: str | None = None
    organization: str | None = None
    status: ItemStatus | None = None
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class RegisterLine:
    id: int
    agreement: str
    key: str
    activity: dict[str, str]
    responsible: dict[str, str]
    due: date
    status: ItemStatus
    latest_percent: int | None
    last_update_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class RegisterPage:
    lines: list[RegisterLine]
    total: int
    page: int
    pages: int


def _conditions(
    secretariat_id: int, wanted: RegisterFilter, *, today: date, session: Session
) -> list[ColumnElement[bool]]:
    """Conditions on `tracked_commitment` alone (no join): the secretariat's agreements and
    the organisation are looked up first, so the database walks only its indexes."""
    agreements = select(Agreement.id).where(Agreement.secretariat_id == secretariat_id)
    if wanted.agreement:
        agreements = agreements.where(Agreement.slug == wanted.agreement)
    found: list[ColumnElement[bool]] = [col(TrackedCommitment.agreement_id).in_(agreements)]
    if wanted.organization:
        org = session.exec(
            select(Organization.id).where(Organization.slug == wanted.organization)
        ).first()
        found.append(col(TrackedCommitment.responsible_id) == (org or 0))
    if wanted.status is not None:
        found.append(col(TrackedCommitment.status) == wanted.status)
    if wanted.due_from is not None:
        found.append(col(TrackedCommitment.due) >= wanted.due_from)
    if wanted.due_to is not None:
        found.append(col(TrackedCommitment.due) <= wanted.due_to)
    if wanted.overdue:
        found.append(late(today))
    return found


def late(today: date) -> ColumnElement[bool]:
    """Marked overdue by the daily sweep, or open and past its due date since."""
    return or_(
        col(TrackedCommitment.status) == ItemStatus.overdue,
        and_(col(TrackedCommitment.status).in_(OPEN), col(TrackedCommitment.due) < today),
    )


def register_page(
    secretariat_id: int,
    wanted: RegisterFilter,
    *,
    page: int,
    today: date,
    session: Session,
    per_page: int = PER_PAGE,
) -> RegisterPage:
    """One page of the filtered register, by due date: a count, the page's ids from the
    items' own columns, then those rows with their activity and organisation."""
    where = _conditions(secretariat_id, wanted, today=today, session=session)
    total = session.exec(select(func.count()).select_from(TrackedCommitment).where(*where)).one()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    ids = list(
        session.exec(
            select(TrackedCommitment.id)
            .where(*where)
            .order_by(col(TrackedCommitment.due), col(TrackedCommitment.id))
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    rows = session.exec(
        select(TrackedCommitment, Agreement.slug, CommitmentDefinition.activity, Organization.name)
        .join(Agreement, col(Agreement.id) == TrackedCommitment.agreement_id)
        .join(Organization, col(Organization.id) == TrackedCommitment.responsible_id)
        .join(CommitmentDefinition, col(CommitmentDefinition.id) == TrackedCommitment.definition_id)
        .where(col(TrackedCommitment.id).in_(ids))
        .order_by(col(TrackedCommitment.due), col(TrackedCommitment.id))
    ).all()
    lines = [
        RegisterLine(
            id=t.id or 0,
            agreement=slug,
            key=t.key,
            activity=dict(activity),
            responsible=dict(name),
            due=t.due,
            status=t.status,
            latest_percent=t.latest_percent,
            last_update_at=t.last_update_at,
            overdue=t.status is ItemStatus.overdue or (t.status in OPEN and t.due < today),
        )
        for t, slug, activity, name in rows
    ]
    return RegisterPage(lines, total, page, pages)


def responsible_organizations(secretariat_id: int, *, session: Session) -> list[Organization]:
    """The organisations responsible for at least one of the secretariat's items (the filter)."""
    ids = (
        select(TrackedCommitment.responsible_id)
        .join(Agreement, col(Agreement.id) == TrackedCommitment.agreement_id)
        .where(Agreement.secretariat_id == secretariat_id)
        .distinct()
    )
    return list(
        session.exec(
            select(Organization)
            .where(col(Organization.id).in_(ids))
            .order_by(col(Organization.slug))
        )
    )


# --- one item ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    by: str | None
    status: ItemStatus
    value: str | None
    percent: int | None
    note: str | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class ItemDetail:
    item: TrackedCommitment
    definition: CommitmentDefinition
    responsible: Organization
    history: list[HistoryEntry]


def item_detail(agreement: Agreement, item_id: int, *, session: Session) -> ItemDetail | None:
    """An item of this agreement with every update, newest first; None when not its item."""
    row = session.exec(
        select(TrackedCommitment, CommitmentDefinition, Organization)
        .join(CommitmentDefinition, col(CommitmentDefinition.id) == TrackedCommitment.definition_id)
        .join(Organization, col(Organization.id) == TrackedCommitment.responsible_id)
        .where(TrackedCommitment.id == item_id, TrackedCommitment.agreement_id == agreement.id)
    ).first()
    if row is None:
        return None
    tracked, definition, responsible = row
    updates = session.exec(
        select(ProgressUpdate, Contact.name)
        .outerjoin(Contact, col(Contact.id) == ProgressUpdate.contact_id)
        .where(ProgressUpdate.tracked_id == item_id)
        .order_by(col(ProgressUpdate.created_at).desc(), col(ProgressUpdate.id).desc())
    ).all()
    files: dict[int, list[Evidence]] = {}
    update_ids = [u.id for u, _ in updates if u.id is not None]
    for f in session.exec(
        select(EvidenceFile)
        .where(col(EvidenceFile.update_id).in_(update_ids))
        .order_by(col(EvidenceFile.id))
    ):
        files.setdefault(f.update_id, []).append(
            Evidence(f.id or 0, f.filename, f.content_type, f.size, f.sha256)
        )
    history = [
        HistoryEntry(
            u.created_at, name, u.status, u.value, u.percent, u.note, files.get(u.id or 0, [])
        )
        for u, name in updates
    ]
    return ItemDetail(tracked, definition, responsible, history)


def evidence_of_item(
    agreement: Agreement, item_id: int, file_id: int, *, session: Session
) -> EvidenceFile | None:
    """An evidence file of an update of this agreement's item; None for anything else."""
    return session.exec(
        select(EvidenceFile)
        .join(ProgressUpdate, col(ProgressUpdate.id) == EvidenceFile.update_id)
        .join(TrackedCommitment, col(TrackedCommitment.id) == ProgressUpdate.tracked_id)
        .where(
            EvidenceFile.id == file_id,
            TrackedCommitment.id == item_id,
            TrackedCommitment.agreement_id == agreement.id,
        )
    ).first()


# --- progress per objective -----------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveProgress:
    objective: str | None
    title: dict[str, str] | None
    counts: dict[str, int]
    """Items per status (the ItemStatus values)."""
    total: int
    percent: int
    """Mean completion: done items count 100, cancelled ones are left out."""


def objective_progress(items: Sequence[TrackedItem], *, today: date) -> list[ObjectiveProgress]:
    """Items grouped by objective in the plan's order, with their statuses and completion."""
    groups: dict[str | None, list[TrackedItem]] = {}
    for item in items:
        groups.setdefault(item.objective_id, []).append(item)
    return [_progress(objective, group, today=today) for objective, group in groups.items()]


def _progress(objective: str | None, items: list[TrackedItem], *, today: date) -> ObjectiveProgress:
    counts = {status.value: 0 for status in ItemStatus}
    for item in items:
        late = item.status in {s.value for s in OPEN} and item.due < today
        counts[ItemStatus.overdue.value if late else item.status] += 1
    measured = [
        100 if item.status == ItemStatus.done else (item.latest_percent or 0)
        for item in items
        if item.status != ItemStatus.cancelled
    ]
    return ObjectiveProgress(
        objective=objective,
        title=items[0].objective_title,
        counts=counts,
        total=len(items),
        percent=round(sum(measured) / len(measured)) if measured else 0,
    )
