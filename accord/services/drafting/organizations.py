"""Keep the organisations and contacts tables in step with the organisations source."""

from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.services import audit
from accord.source.spec import ContactSpec, OrganizationSpec
from models import (
    Agreement,
    Contact,
    FocalAccess,
    Organization,
    ReviewAccess,
    ReviewAssignment,
    ReviewRound,
    ReviewStage,
    RoundStatus,
    Signature,
    SignatureStatus,
    SignOff,
    SignOffStatus,
    StageStatus,
)
from models.columns import utcnow


def sync_organizations(
    orgs: Iterable[OrganizationSpec],
    *,
    session: Session,
    actor: str,
    revoke_open_access: bool = False,
) -> dict[str, int]:
    """Insert or update every organisation; returns slug → row id for the agreements to use.

    A contact the source no longer lists is deactivated, which closes every link they hold.
    If any of them holds a link of an open review round, a sign-off or a focal point page,
    nothing is written unless `revoke_open_access` confirms it: the refusal lists who would
    lose what.
    """
    existing = {org.slug: org for org in session.exec(select(Organization))}
    specs = list(orgs)
    if not revoke_open_access:
        refuse_revoking(_dropped(specs, existing), session=session)
    ids: dict[str, int] = {}
    for spec in specs:
        row = existing.get(spec.id)
        row = _create(spec, session=session, actor=actor) if row is None else row
        _update(row, spec, session=session, actor=actor)
        assert row.id is not None
        ids[spec.id] = row.id
    return ids


def _dropped(specs: Sequence[OrganizationSpec], existing: dict[str, Organization]) -> list[int]:
    """Ids of the active contacts this source would deactivate."""
    dropped: list[int] = []
    for spec in specs:
        row = existing.get(spec.id)
        kept = {c.email.lower() for c in spec.contacts}
        if row is not None:
            dropped += [
                c.id
                for c in row.contacts
                if c.active and not c.delegate and c.email.lower() not in kept and c.id
            ]
    return dropped


def refuse_revoking(contact_ids: Sequence[int], *, session: Session) -> None:
    """Refuse to deactivate, unasked, contacts who hold a link of an open round or sign-off."""
    held = open_access(contact_ids, session=session)
    if held:
        raise Refusal(
            "drafting.would_revoke",
            "This draft would deactivate contacts that organizations.yaml no longer lists, and "
            "close links they hold now: %(held)s. Add them back to organizations.yaml, or run "
            "the draft again with --yes to revoke their access.",
            held=tuple(held),
        )


def open_access(contact_ids: Sequence[int], *, session: Session) -> list[str]:
    """What each contact can still open: review links of open stages, pending signatures,
    focal point pages."""
    if not contact_ids:
        return []
    ids = list(contact_ids)
    review = session.exec(
        select(Contact.email, Organization.slug, ReviewRound.number, Agreement.slug)
        .join(ReviewAccess, col(ReviewAccess.contact_id) == Contact.id)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewAccess.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(ReviewRound, col(ReviewRound.id) == ReviewStage.round_id)
        .join(Agreement, col(Agreement.id) == ReviewRound.agreement_id)
        .join(Organization, col(Organization.id) == Contact.organization_id)
        .where(
            col(Contact.id).in_(ids),
            ReviewRound.status == RoundStatus.open,
            ReviewStage.status == StageStatus.open,
        )
        .distinct()
    ).all()
    signing = session.exec(
        select(Contact.email, Organization.slug, Agreement.slug)
        .join(Signature, col(Signature.contact_id) == Contact.id)
        .join(SignOff, col(SignOff.id) == Signature.sign_off_id)
        .join(Agreement, col(Agreement.id) == SignOff.agreement_id)
        .join(Organization, col(Organization.id) == Contact.organization_id)
        .where(
            col(Contact.id).in_(ids),
            SignOff.status == SignOffStatus.open,
            Signature.status == SignatureStatus.pending,
        )
        .distinct()
    ).all()
    focal = session.exec(
        select(Contact.email, Organization.slug)
        .join(FocalAccess, col(FocalAccess.contact_id) == Contact.id)
        .join(Organization, col(Organization.id) == Contact.organization_id)
        .where(col(Contact.id).in_(ids), col(FocalAccess.revoked_at).is_(None))
        .distinct()
    ).all()
    return sorted(
        [f"{e} ({org}): review round {n} of {slug}" for e, org, n, slug in review]
        + [f"{e} ({org}): signature of {slug}" for e, org, slug in signing]
        + [f"{e} ({org}): focal point page" for e, org in focal]
    )


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
        if gone.active and not gone.delegate:  # delegates belong to their rounds, not the file
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
        "delegate": False,
    }
    changed = [field for field, value in wanted.items() if getattr(contact, field) != value]
    for field in changed:
        setattr(contact, field, wanted[field])
    return bool(changed)
