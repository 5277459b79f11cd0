"""A contact leaves: their open assignments go to a colleague of the same organisation.

This crosses review (links of open rounds), signing (pending signatures) and commitments
(the focal point page), so it lives in the kernel's top layer beside `overview`, not in one
capability. Everything happens in the caller's transaction: the colleague gets new links
(e-mailed through the outbox with the re-issued-link mail), the old links are revoked, the
contact is marked inactive, and the audit trail says who moved what to whom.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.mail.messages import LinkReissued
from accord.services import audit
from accord.services.agreements import title_in_force
from accord.services.env import ServiceEnv
from accord.services.links import LinkKind, expiry, new_token
from accord.services.mail_queue import enqueue
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


@dataclass(frozen=True)
class Handover:
    """What moved from the contact to the colleague."""

    contact: str
    colleague: str
    moved: tuple[str, ...]


def colleagues(contact: Contact, *, session: Session) -> list[Contact]:
    """Who may take over: the organisation's other active contacts (delegates excluded)."""
    return list(
        session.exec(
            select(Contact)
            .where(
                Contact.organization_id == contact.organization_id,
                col(Contact.id) != contact.id,
                col(Contact.active).is_(True),
                col(Contact.delegate).is_(False),
            )
            .order_by(col(Contact.email))
        )
    )


def find_contact(org: Organization, email: str, *, session: Session) -> Contact:
    found = session.exec(
        select(Contact).where(
            Contact.organization_id == org.id, col(Contact.email).ilike(email.strip())
        )
    ).first()
    if found is None:
        raise Refusal(
            "handover.no_contact",
            "%(organisation)s has no contact %(email)s.",
            organisation=org.slug,
            email=email[:254],
        )
    return found


def require_colleague(contact: Contact, colleague_email: str, *, session: Session) -> Contact:
    """The colleague chosen on the page: another active contact of the same organisation."""
    for candidate in colleagues(contact, session=session):
        if candidate.email.lower() == colleague_email.strip().lower():
            return candidate
    raise Refusal(
        "handover.not_a_colleague",
        "Choose another active contact of the same organisation to take over the open assignments.",
        field="colleague",
    )


def deactivate_contact(contact: Contact, colleague: Contact, *, env: ServiceEnv) -> Handover:
    """Move the contact's open links to the colleague, revoke them, mark the contact inactive."""
    if not contact.active:
        raise Refusal(
            "handover.already_inactive",
            "%(email)s is no longer an active contact.",
            email=contact.email,
        )
    org = env.session.get(Organization, contact.organization_id)
    assert org is not None
    moved = (
        _move_reviews(contact, colleague, org, env=env)
        + _move_signatures(contact, colleague, org, env=env)
        + _move_focal(contact, colleague, org, env=env)
    )
    contact.active = False
    env.session.add(contact)
    env.session.flush()
    audit.record(
        session=env.session,
        actor=env.actor,
        action="contact.deactivated",
        subject=f"org:{org.slug}",
        data={"contact": contact.email, "colleague": colleague.email, "moved": moved},
    )
    return Handover(contact.email, colleague.email, tuple(moved))


def _move_reviews(
    contact: Contact, colleague: Contact, org: Organization, *, env: ServiceEnv
) -> list[str]:
    rows = env.session.exec(
        select(ReviewAccess, ReviewRound, Agreement)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewAccess.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(ReviewRound, col(ReviewRound.id) == ReviewStage.round_id)
        .join(Agreement, col(Agreement.id) == ReviewRound.agreement_id)
        .where(
            ReviewAccess.contact_id == contact.id,
            col(ReviewAccess.revoked_at).is_(None),
            ReviewRound.status == RoundStatus.open,
            ReviewStage.status == StageStatus.open,
        )
        .order_by(col(ReviewAccess.id))
    ).all()
    moved: list[str] = []
    for access, round_, agreement in rows:
        access.revoked_at = env.now
        env.session.add(access)
        token, digest = new_token()
        given = ReviewAccess(
            assignment_id=access.assignment_id,
            contact_id=colleague.id or 0,
            token_hash=digest,
            expires_at=expiry(LinkKind.review, env.now),
        )
        env.session.add(given)
        env.session.flush()
        _send(
            LinkKind.review,
            f"/r/{token}",
            f"r{given.id}",
            digest,
            given.expires_at,
            colleague,
            org,
            agreement,
            env=env,
        )
        moved.append(f"review round {round_.number} of {agreement.slug}")
    return moved


def _move_signatures(
    contact: Contact, colleague: Contact, org: Organization, *, env: ServiceEnv
) -> list[str]:
    """A signature row is the organisation's: it keeps its place with a new holder and token."""
    rows = env.session.exec(
        select(Signature, Agreement)
        .join(SignOff, col(SignOff.id) == Signature.sign_off_id)
        .join(Agreement, col(Agreement.id) == SignOff.agreement_id)
        .where(
            Signature.contact_id == contact.id,
            SignOff.status == SignOffStatus.open,
            Signature.status == SignatureStatus.pending,
        )
        .order_by(col(Signature.id))
    ).all()
    moved: list[str] = []
    for signature, agreement in rows:
        token, digest = new_token()
        signature.contact_id = colleague.id or 0
        signature.token_hash = digest
        signature.revoked_at = None
        signature.expires_at = expiry(LinkKind.signing, env.now)
        env.session.add(signature)
        env.session.flush()
        _send(
            LinkKind.signing,
            f"/s/{token}",
            f"s{signature.id}",
            digest,
            signature.expires_at,
            colleague,
            org,
            agreement,
            env=env,
        )
        moved.append(f"signature of {agreement.slug}")
    return moved


def _move_focal(
    contact: Contact, colleague: Contact, org: Organization, *, env: ServiceEnv
) -> list[str]:
    held = env.session.exec(
        select(FocalAccess).where(
            FocalAccess.contact_id == contact.id, col(FocalAccess.revoked_at).is_(None)
        )
    ).all()
    if not held:
        return []
    for access in held:
        access.revoked_at = env.now
        env.session.add(access)
    token, digest = new_token()
    given = FocalAccess(
        organization_id=org.id or 0,
        contact_id=colleague.id or 0,
        token_hash=digest,
        expires_at=expiry(LinkKind.focal, env.now),
    )
    env.session.add(given)
    env.session.flush()
    _send(
        LinkKind.focal,
        f"/f/{token}",
        f"f{given.id}",
        digest,
        given.expires_at,
        colleague,
        org,
        None,
        env=env,
        calendar=f"/f/{token}/calendar.ics",
    )
    return ["focal point page"]


def _send(
    kind: LinkKind,
    path: str,
    link_id: str,
    digest: str,
    expires: datetime | None,
    colleague: Contact,
    org: Organization,
    agreement: Agreement | None,
    *,
    env: ServiceEnv,
    calendar: str | None = None,
) -> None:
    """The colleague's new link, by the re-issued-link mail: it says what the link opens."""
    assert expires is not None
    enqueue(
        LinkReissued(
            link_kind=kind.value,
            organisation_name=org.name,
            link_url=env.link(path),
            expires_on=expires.date(),
            agreement_title=title_in_force(agreement, session=env.session) if agreement else None,
            calendar_url=env.link(calendar) if calendar else None,
        ),
        session=env.session,
        key=f"handover:{link_id}:{digest[:16]}",
        contact=colleague,
        agreement_id=agreement.id if agreement else None,
    )
