"""Commitments in force: created on entry into force, carried over by id through amendments."""

import secrets

from sqlmodel import Session, col, select

from accord.services import audit
from accord.services.outbox import enqueue
from accord.services.review_access import token_hash
from accord.services.review_rounds import ReviewEnv
from models import (
    Agreement,
    AgreementVersion,
    CommitmentDefinition,
    Contact,
    FocalAccess,
    ItemStatus,
    Organization,
    TrackedCommitment,
)

CLOSED = (ItemStatus.done, ItemStatus.cancelled)


def enter_into_force(agreement: Agreement, version: AgreementVersion, *, env: ReviewEnv) -> int:
    """Track every commitment of the version; returns how many are tracked now."""
    definitions = env.session.exec(
        select(CommitmentDefinition).where(CommitmentDefinition.version_id == version.id)
    ).all()
    existing = {
        t.key: t
        for t in env.session.exec(
            select(TrackedCommitment).where(TrackedCommitment.agreement_id == agreement.id)
        )
    }
    for definition in definitions:
        _carry_over(existing.pop(definition.key, None), definition, agreement, env=env)
    for gone in existing.values():
        if gone.status is not ItemStatus.cancelled:
            gone.status = ItemStatus.cancelled
            env.session.add(gone)
            audit.record(
                session=env.session,
                actor=env.actor,
                action="commitment.cancelled",
                subject=f"agreement:{agreement.slug}",
                data={"commitment": gone.key, "reason": "not in the amended text"},
            )
    env.session.flush()
    _welcome_focal_points(agreement, {d.responsible_id for d in definitions}, env=env)
    return len(definitions)


def _carry_over(
    item: TrackedCommitment | None,
    definition: CommitmentDefinition,
    agreement: Agreement,
    *,
    env: ReviewEnv,
) -> None:
    """An amendment keeps the item (and its history) but takes the new wording and deadline."""
    if item is None:
        item = TrackedCommitment(
            agreement_id=agreement.id or 0,
            key=definition.key,
            definition_id=definition.id or 0,
            responsible_id=definition.responsible_id,
            due=definition.due,
            created_at=env.now,
        )
    else:
        item.definition_id, item.due = definition.id or 0, definition.due
        item.responsible_id = definition.responsible_id
        if item.status is ItemStatus.cancelled:
            item.status = ItemStatus.not_started
    env.session.add(item)


def focal_points(organization_id: int, *, session: Session) -> list[Contact]:
    contacts = list(
        session.exec(
            select(Contact)
            .where(Contact.organization_id == organization_id, col(Contact.active).is_(True))
            .order_by(col(Contact.id))
        )
    )
    return [c for c in contacts if "focal_point" in c.roles] or contacts[:1]


def _welcome_focal_points(agreement: Agreement, org_ids: set[int], *, env: ReviewEnv) -> None:
    """Each focal point gets a standing link (and calendar feed) for their organisation."""
    for org_id in sorted(org_ids):
        org = env.session.get(Organization, org_id)
        assert org is not None
        count = len(
            env.session.exec(
                select(TrackedCommitment.id).where(
                    TrackedCommitment.agreement_id == agreement.id,
                    TrackedCommitment.responsible_id == org_id,
                )
            ).all()
        )
        for contact in focal_points(org_id, session=env.session):
            token = issue_focal_access(org, contact, session=env.session)
            base = env.base_url.rstrip("/")
            enqueue(
                session=env.session,
                key=f"focal_access:{agreement.id}:{contact.id}",
                kind="focal_access",
                contact=contact,
                context={
                    "organisation_name": org.name,
                    "agreement_id": agreement.slug,
                    "agreement_title": _title(agreement, env=env),
                    "item_count": count,
                    "link_url": f"{base}/f/{token}",
                    "calendar_url": f"{base}/f/{token}/calendar.ics",
                },
                agreement_id=agreement.id,
            )


def issue_focal_access(org: Organization, contact: Contact, *, session: Session) -> str:
    token = secrets.token_urlsafe(24)
    session.add(
        FocalAccess(
            organization_id=org.id or 0, contact_id=contact.id or 0, token_hash=token_hash(token)
        )
    )
    session.flush()
    return token


def _title(agreement: Agreement, *, env: ReviewEnv) -> dict[str, str]:
    from accord.services.review_documents import version_content
    from accord.services.review_rounds import find_version

    return dict(version_content(find_version(agreement, None, session=env.session)).agreement.title)
