"""Entry into force: every commitment of the signed text tracked, carried over by id."""

from datetime import date

from sqlmodel import select

from accord.mail.messages import FocalAccess
from accord.services import audit
from accord.services.agreements import title_in_force, version_content
from accord.services.commitments import rules
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
    SignOff,
    SignOffStatus,
    TrackedCommitment,
)


def on_agreement_signed(event: AgreementSigned, env: ServiceEnv) -> None:
    """The handler of the last signature (wired in `accord.services.bootstrap`)."""
    agreement = env.session.get(Agreement, event.agreement_id)
    version = env.session.get(AgreementVersion, event.version_id)
    assert agreement is not None and version is not None
    enter_into_force(agreement, version, env=env)


def enter_into_force(agreement: Agreement, version: AgreementVersion, *, env: ServiceEnv) -> int:
    """Track every commitment of the version, a recurring one once per occurrence; returns
    how many items are tracked now."""
    definitions = env.session.exec(
        select(CommitmentDefinition).where(CommitmentDefinition.version_id == version.id)
    ).all()
    existing = {
        t.key: t
        for t in env.session.exec(
            select(TrackedCommitment).where(TrackedCommitment.agreement_id == agreement.id)
        )
    }
    deadlines = _deadlines(version, _effective_date(version, env=env))
    tracked = 0
    for definition in definitions:
        for key, due in deadlines.get(definition.key, [(definition.key, definition.due)]):
            _carry_over(existing.pop(key, None), definition, agreement, key, due, env=env)
            tracked += 1
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
    return tracked


def _effective_date(version: AgreementVersion, *, env: ServiceEnv) -> date:
    """When the version took effect: its completed sign-off's date (an approval's date for an
    adopted plan); today when there is none."""
    signoff = env.session.exec(
        select(SignOff).where(
            SignOff.version_id == version.id, SignOff.status == SignOffStatus.completed
        )
    ).first()
    return signoff.effective_date if signoff and signoff.effective_date else env.now.date()


def _deadlines(version: AgreementVersion, effective: date) -> dict[str, list[tuple[str, date]]]:
    """Tracked key and deadline of each occurrence of the recurring commitments."""
    return {
        c.id: [
            (rules.occurrence_key(c.id, due), due)
            for due in rules.occurrences(c.repeat, effective, c.due)
        ]
        for c in version_content(version).agreement.commitments
        if c.repeat is not None
    }


def _carry_over(
    item: TrackedCommitment | None,
    definition: CommitmentDefinition,
    agreement: Agreement,
    key: str,
    due: date,
    *,
    env: ServiceEnv,
) -> None:
    """An amendment keeps the item (and its history) but takes the new wording and deadline."""
    if item is None:
        item = TrackedCommitment(
            agreement_id=agreement.id or 0,
            key=key,
            definition_id=definition.id or 0,
            responsible_id=definition.responsible_id,
            due=due,
            created_at=env.now,
        )
    else:
        item.definition_id, item.due = definition.id or 0, due
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
            token = issue_focal_access(org, contact, session=env.session, now=env.now)
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
