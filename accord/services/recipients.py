"""Who gets what: the one place that chooses the contacts an e-mail goes to.

Each choice takes the organisation's active contacts with the role that fits, and falls
back as the organisations file allows (an organisation without role markings is reached
through its contacts in order); the signatory alone has no fallback. Delegates are never
chosen: they are reached only through the link of the round they were delegated in.
"""

from sqlmodel import Session, col, select

from accord.errors import Refusal
from models import Agreement, AgreementParty, Contact, Organization


def active_contacts(organization_id: int, *, session: Session) -> list[Contact]:
    return list(
        session.exec(
            select(Contact)
            .where(
                Contact.organization_id == organization_id,
                col(Contact.active).is_(True),
                col(Contact.delegate).is_(False),
            )
            .order_by(col(Contact.id))
        )
    )


def _with_role(contacts: list[Contact], *roles: str) -> list[Contact]:
    for role in roles:
        chosen = [c for c in contacts if role in c.roles]
        if chosen:
            return chosen
    return contacts


def secretariat_contacts(agreement: Agreement, *, session: Session) -> list[Contact]:
    """The secretariat's contacts marked `secretariat`, else all of its active contacts."""
    return _with_role(active_contacts(agreement.secretariat_id, session=session), "secretariat")


def secretariat_keepers(*, session: Session) -> list[Contact]:
    """Every active contact marked `secretariat`, of whichever organisation: the people who
    keep the audit trail's checkpoints."""
    contacts = session.exec(
        select(Contact)
        .where(col(Contact.active).is_(True), col(Contact.delegate).is_(False))
        .order_by(col(Contact.id))
    )
    return [c for c in contacts if "secretariat" in c.roles]


def reviewers_of(organization_id: int, *, session: Session) -> list[Contact]:
    """Contacts marked reviewer; else signatories; else everyone active at the organisation."""
    return _with_role(active_contacts(organization_id, session=session), "reviewer", "signatory")


def signer_of(org: Organization, *, session: Session) -> Contact:
    """The one contact who signs for the organisation: its first active signatory, and never
    anyone else: a signing link lets its holder bind the organisation."""
    chosen = [c for c in active_contacts(org.id or 0, session=session) if "signatory" in c.roles]
    if not chosen:
        raise Refusal(
            "signing.no_signer",
            "%(organisation)s has no active contact with the signatory role, so nobody can be "
            "sent its signing link: give its signatory `roles: [signatory]` in "
            "organizations.yaml, run `accord draft`, and start the sign-off again.",
            organisation=org.slug,
        )
    return chosen[0]


def focal_points(organization_id: int, *, session: Session) -> list[Contact]:
    """Contacts marked focal_point; else the organisation's first active contact."""
    contacts = active_contacts(organization_id, session=session)
    return [c for c in contacts if "focal_point" in c.roles] or contacts[:1]


def everyone_of(agreement: Agreement, *, session: Session) -> list[Contact]:
    """Every active contact of every party and of the secretariat."""
    org_ids = {agreement.secretariat_id} | set(
        session.exec(
            select(AgreementParty.organization_id).where(
                AgreementParty.agreement_id == agreement.id
            )
        )
    )
    return list(
        session.exec(
            select(Contact)
            .where(
                col(Contact.organization_id).in_(org_ids),
                col(Contact.active).is_(True),
                col(Contact.delegate).is_(False),
            )
            .order_by(col(Contact.id))
        )
    )
