"""Tracked items as documents and pages show them: one agreement's, or one organisation's."""

from sqlmodel import Session, col, select

from accord.documents.progress_types import TrackedItem
from accord.services.agreements import load_version, version_content
from accord.source.spec import VersionContent, activity_numbers
from models import Agreement, CommitmentDefinition, Organization, TrackedCommitment


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
    return [_item(t, d, a, orgs, contents, session=session) for t, d, a in rows]


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
        number=numbers.get(tracked.key, ""),
    )
