"""Tracked items as documents and pages show them: one agreement's, or one organisation's."""

from dataclasses import replace

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from accord.documents.progress_types import TrackedItem
from accord.services.agreements import load_version, version_content
from accord.source.spec import LangText, VersionContent, activity_numbers
from models import (
    Agreement,
    CommitmentDefinition,
    Organization,
    ProgressUpdate,
    TrackedCommitment,
)


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
    contents: dict[int, tuple[VersionContent, dict[str, str]]] = {}
    notes = _latest_notes([t.id for t, _, _ in rows if t.id is not None], session=session)
    items = [_item(t, d, a, orgs, contents, session=session) for t, d, a in rows]
    return [
        replace(item, latest_note=notes.get(tracked.id))
        for item, (tracked, _, _) in zip(items, rows, strict=True)
    ]


def printed_as(tracked_ids: set[int], *, session: Session) -> dict[int, tuple[str, LangText]]:
    """Tracked item id → (its activity's number, its agreement's title), as its version prints
    them: what a digest names an item by, never its key or the agreement's slug."""
    rows = session.execute(
        sa_select(
            col(TrackedCommitment.id),
            col(TrackedCommitment.key),
            col(CommitmentDefinition.version_id),
        )
        .join(CommitmentDefinition, col(CommitmentDefinition.id) == TrackedCommitment.definition_id)
        .where(col(TrackedCommitment.id).in_(tracked_ids))
    ).all()
    plans: dict[int, tuple[LangText, dict[str, str]]] = {}
    for version_id in {row[2] for row in rows}:
        spec = version_content(load_version(version_id, session=session)).agreement
        plans[version_id] = (dict(spec.title), activity_numbers(spec.objectives, spec.commitments))
    return {
        row[0]: (plans[row[2]][1].get(row[1].partition("@")[0], ""), plans[row[2]][0])
        for row in rows
    }


def _latest_notes(tracked_ids: list[int], *, session: Session) -> dict[int | None, str]:
    """The note of each item's latest update that has one: what its focal point last said."""
    if not tracked_ids:
        return {}
    updates = session.exec(
        select(ProgressUpdate)
        .where(
            col(ProgressUpdate.tracked_id).in_(tracked_ids), col(ProgressUpdate.note).is_not(None)
        )
        .order_by(col(ProgressUpdate.created_at), col(ProgressUpdate.id))
    )
    return {
        update.tracked_id: update.note for update in updates if update.note and update.note.strip()
    }


def _item(
    tracked: TrackedCommitment,
    definition: CommitmentDefinition,
    agreement: Agreement,
    orgs: dict[int | None, Organization],
    contents: dict[int, tuple[VersionContent, dict[str, str]]],
    *,
    session: Session,
) -> TrackedItem:
    if definition.version_id not in contents:
        content = version_content(load_version(definition.version_id, session=session))
        plan = content.agreement
        contents[definition.version_id] = (
            content,
            activity_numbers(plan.objectives, plan.commitments),
        )
    content, numbers = contents[definition.version_id]
    spec = content.agreement
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
        number=numbers.get(tracked.key.partition("@")[0], ""),  # an occurrence: c-04@2027-03-31
    )
