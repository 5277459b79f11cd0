"""Entry into force: every commitment of the signed text tracked, carried over by id."""

from sqlmodel import select

from accord.mail.messages import FocalAccess
from accord.services import audit
from accord.services.agreements import title_in_force
from accord.services.commitments.focal import issue_focal_access
from accord.services.env import ServiceEnv
from accord.services.events import AgreementSigned
from accord.services.mail_queue import enqueue
from accord.services.recipients import focal_points
from models import (
    Agreement,
    AgreementVersion,
    CommitmentDefinition,
    ItemStatus,
    Organization,
    TrackedCommitment,
)


def on_agreement_signed(event: AgreementSigned, env: ServiceEnv) -> None:
    """The handler of the last signature (wired in `accord.services.bootstrap`)."""
    agreement = env.session.get(Agreement, event.agreement_id)
    version = env.session.get(AgreementVersion, event.version_id)
    assert agreement is not None and version is not None
    enter_into_force(agreement, version, env=env)


def enter_into_force(agreement: Agreement, version: AgreementVersion, *, env: ServiceEnv) -> int:
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
    env: ServiceEnv,
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


def _welcome_focal_points(agreement: Agreement, org_ids: set[int], *, env: ServiceEnv) -> None:
    """Each focal point gets a standing link (and calendar feed) for their organisation."""
    title = title_in_force(agreement, session=env.session)
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
            enqueue(
                FocalAccess(
                    organisation_name=org.name,
                    agreement_id=agreement.slug,
                    agreement_title=title,
                    item_count=count,
                    link_url=env.link(f"/f/{token}"),
                    calendar_url=env.link(f"/f/{token}/calendar.ics"),
                ),
                session=env.session,
                key=f"focal_access:{agreement.id}:{contact.id}",
                contact=contact,
                agreement_id=agreement.id,
            )
