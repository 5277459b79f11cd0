"""Keep the organisations and contacts tables in step with the organisations source."""

from collections.abc import Iterable

from sqlmodel import Session, select

from accord.services import audit
from accord.source.spec import ContactSpec, OrganizationSpec
from models import Contact, Organization
from models.columns import utcnow


def sync_organizations(
    orgs: Iterable[OrganizationSpec], *, session: Session, actor: str
) -> dict[str, int]:
    """Insert or update every organisation; returns slug → row id for the agreements to use."""
    existing = {org.slug: org for org in session.exec(select(Organization))}
    ids: dict[str, int] = {}
    for spec in orgs:
        row = existing.get(spec.id)
        row = _create(spec, session=session, actor=actor) if row is None else row
        _update(row, spec, session=session, actor=actor)
        assert row.id is not None
        ids[spec.id] = row.id
    return ids


def _create(spec: OrganizationSpec, *, session: Session, actor: str) -> Organization:
    row = Organization(slug=spec.id, kind=spec.kind.value, country=spec.country, name=spec.name)
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="organization.created",
        subject=f"org:{spec.id}",
        data={"kind": spec.kind.value, "country": spec.country, "name": dict(spec.name)},
    )
    return row


def _update(row: Organization, spec: OrganizationSpec, *, session: Session, actor: str) -> None:
    changed = _apply_fields(row, spec) + _sync_contacts(row, spec.contacts, session=session)
    if changed:
        row.updated_at = utcnow()
        session.add(row)
        session.flush()
        audit.record(
            session=session,
            actor=actor,
            action="organization.updated",
            subject=f"org:{spec.id}",
            data={"changed": changed},
        )


def _apply_fields(row: Organization, spec: OrganizationSpec) -> list[str]:
    wanted = {"kind": spec.kind.value, "country": spec.country, "name": dict(spec.name)}
    changed = [field for field, value in wanted.items() if getattr(row, field) != value]
    for field in changed:
        setattr(row, field, wanted[field])
    return changed


def _sync_contacts(
    row: Organization, contacts: tuple[ContactSpec, ...], *, session: Session
) -> list[str]:
    """Contacts are matched by e-mail; one dropped from the source is deactivated, never deleted."""
    by_email = {c.email.lower(): c for c in row.contacts}
    changed: list[str] = []
    for spec in contacts:
        contact = by_email.pop(spec.email.lower(), None)
        if contact is None:
            contact = Contact(
                organization_id=row.id or 0, email=spec.email, name="", language="", roles=[]
            )
            row.contacts.append(contact)
        if _apply_contact(contact, spec):
            changed.append(f"contact {spec.email}")
    for gone in by_email.values():
        if gone.active:
            gone.active = False
            changed.append(f"contact {gone.email} deactivated")
    session.flush()
    return changed


def _apply_contact(contact: Contact, spec: ContactSpec) -> bool:
    wanted = {
        "name": spec.name,
        "email": spec.email,
        "language": spec.language,
        "roles": [r.value for r in spec.roles],
        "active": True,
    }
    changed = [field for field, value in wanted.items() if getattr(contact, field) != value]
    for field in changed:
        setattr(contact, field, wanted[field])
    return bool(changed)
