"""Personal links: one implementation for review, signing and focal-point links.

A link is a random token given once (in an e-mail) and stored only as its sha256, so a
database copy opens nothing. Whatever the table holding it, a link is usable only while
its contact is active and it is neither revoked nor expired; any failure looks the same.

The secretariat sees an agreement's links (never their tokens), revokes one, or re-issues
it: the row gets a new token's hash (the old link is dead at once) and a new expiry, and the
new link goes to the same contact through the outbox. Each function takes a `ServiceEnv`
or a session, so the CLI and, later, a page of the secretariat's workspace share them.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select

from accord.errors import AccordError, Refusal
from accord.mail.messages import LinkReissued
from accord.services import audit
from accord.services.agreements import find_agreement, title_in_force
from accord.services.env import ServiceEnv
from accord.services.mail_queue import enqueue
from accord.settings import get_settings
from models import (
    Agreement,
    AgreementParty,
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

TOKEN_BYTES = 24
"""192 bits of randomness: unguessable, and short enough for an e-mail link."""
MAX_TOKEN_LENGTH = 200


class LinkNotValid(AccordError):
    """Deliberately says nothing about why: a guesser learns nothing."""

    def __init__(self) -> None:
        super().__init__("this link is not valid")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """(token for the e-mail, hash for the database)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def looked_up_hash(token: str) -> str:
    """The hash to look a presented token up by; a token of no plausible shape fails at once."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkNotValid()
    return token_hash(token)


def require_usable(
    contact: Contact | None,
    *,
    revoked_at: datetime | None,
    expires_at: datetime | None,
    now: datetime,
) -> Contact:
    """The single access rule: the contact is active, the link not revoked and not expired."""
    if contact is None or not contact.active or revoked_at is not None:
        raise LinkNotValid()
    if expires_at is not None and now >= expires_at:
        raise LinkNotValid()
    return contact


# --- lifetimes ------------------------------------------------------------------------------


class LinkKind(StrEnum):
    review = "review"
    signing = "signing"
    focal = "focal"


PREFIXES = {LinkKind.review: "r", LinkKind.signing: "s", LinkKind.focal: "f"}
"""A link's id is its kind's letter and its row's number (`r12`), the same as its address's."""


def lifetime(kind: LinkKind) -> timedelta:
    """How long a link of this kind works after it is sent (ACCORD_<KIND>_LINK_DAYS)."""
    settings = get_settings()
    days = {
        LinkKind.review: settings.review_link_days,
        LinkKind.signing: settings.signing_link_days,
        LinkKind.focal: settings.focal_link_days,
    }[kind]
    return timedelta(days=days)


def expiry(kind: LinkKind, now: datetime) -> datetime:
    """When a link of this kind sent now stops working."""
    return now + lifetime(kind)


# --- what the secretariat sees --------------------------------------------------------------


class LinkState(StrEnum):
    active = "active"
    expired = "expired"
    revoked = "revoked"
    closed = "closed"
    """Its review stage or sign-off is over: no new link can help."""
    used = "used"
    """A signing link whose holder has signed or declined."""
    contact_inactive = "contact inactive"


@dataclass(frozen=True)
class LinkView:
    """One link as the secretariat sees it: never its token."""

    link_id: str
    kind: LinkKind
    party: str
    contact: str
    """The holder's e-mail address."""
    stage: str
    """`round 2, stage 1`, `sign-off 3`, or empty for a focal link."""
    expires_at: datetime | None
    state: LinkState


def link_state(
    *,
    contact_active: bool,
    revoked_at: datetime | None,
    expires_at: datetime | None,
    open_: bool,
    used: bool,
    now: datetime,
) -> LinkState:
    """The state the access rule gives a link, most lasting reason first."""
    if used:
        return LinkState.used
    if not open_:
        return LinkState.closed
    if revoked_at is not None:
        return LinkState.revoked
    if not contact_active:
        return LinkState.contact_inactive
    if expires_at is not None and now >= expires_at:
        return LinkState.expired
    return LinkState.active


LinkRow = ReviewAccess | Signature | FocalAccess


@dataclass(frozen=True)
class _Held:
    """A link's row with what its state and its re-issue e-mail need."""

    kind: LinkKind
    row: LinkRow
    contact: Contact
    organization: Organization
    agreement: Agreement | None
    stage: str
    open_: bool
    used: bool = False

    def view(self, now: datetime) -> LinkView:
        state = link_state(
            contact_active=self.contact.active,
            revoked_at=self.row.revoked_at,
            expires_at=self.row.expires_at,
            open_=self.open_,
            used=self.used,
            now=now,
        )
        link_id = f"{PREFIXES[self.kind]}{self.row.id}"
        return LinkView(
            link_id,
            self.kind,
            self.organization.slug,
            self.contact.email,
            self.stage,
            self.row.expires_at,
            state,
        )


def list_links(slug: str, *, session: Session, now: datetime) -> list[LinkView]:
    """Every personal link of the agreement: review, then signing, then its parties' focal."""
    agreement = find_agreement(slug, session=session)
    held = (
        _review_links(agreement, session=session)
        + _signing_links(agreement, session=session)
        + _focal_links(agreement, session=session)
    )
    return [link.view(now) for link in held]


def revoke_link(link_id: str, *, env: ServiceEnv) -> LinkView:
    """The link stops working at once; re-issuing it later sends a new one."""
    held = _find(link_id, session=env.session)
    if held.row.revoked_at is not None:
        raise Refusal(
            "links.already_revoked",
            "Link %(link)s was already revoked on %(when)s.",
            link=link_id,
            when=held.row.revoked_at,
        )
    held.row.revoked_at = env.now
    env.session.add(held.row)
    _record(held, "link.revoked", env=env)
    return held.view(env.now)


def reissue_link(link_id: str, *, env: ServiceEnv) -> LinkView:
    """A new token for the same contact (the old link is dead at once), sent by e-mail."""
    held = _find(link_id, session=env.session)
    _refuse_reissue(held, link_id)
    token, digest = new_token()
    row = held.row
    row.token_hash, row.revoked_at = digest, None
    row.expires_at = expiry(held.kind, env.now)
    env.session.add(row)
    env.session.flush()
    _send_reissued(held, token, digest, env=env)
    _record(held, "link.reissued", env=env)
    return held.view(env.now)


def _refuse_reissue(held: _Held, link_id: str) -> None:
    if held.used:
        raise Refusal(
            "links.already_used",
            "Link %(link)s has already been used to sign or decline; it cannot be re-issued.",
            link=link_id,
        )
    if not held.open_:
        raise Refusal(
            "links.closed",
            "Link %(link)s belongs to a review stage or sign-off that is over; it cannot be "
            "re-issued.",
            link=link_id,
        )
    if not held.contact.active:
        raise Refusal(
            "links.contact_inactive",
            "Link %(link)s belongs to %(email)s, who is no longer an active contact of "
            "%(organisation)s; it cannot be re-issued.",
            link=link_id,
            email=held.contact.email,
            organisation=held.organization.slug,
        )


def _send_reissued(held: _Held, token: str, digest: str, *, env: ServiceEnv) -> None:
    path = {LinkKind.review: "/r/", LinkKind.signing: "/s/", LinkKind.focal: "/f/"}[held.kind]
    agreement = held.agreement
    title = title_in_force(agreement, session=env.session) if agreement else None
    assert held.row.expires_at is not None
    enqueue(
        LinkReissued(
            link_kind=held.kind.value,
            organisation_name=held.organization.name,
            link_url=env.link(f"{path}{token}"),
            expires_on=held.row.expires_at.date(),
            agreement_title=title,
            agreement_id=agreement.slug if agreement else None,
            calendar_url=(
                env.link(f"/f/{token}/calendar.ics") if held.kind is LinkKind.focal else None
            ),
        ),
        session=env.session,
        key=f"link_reissued:{PREFIXES[held.kind]}{held.row.id}:{digest[:16]}",
        contact=held.contact,
        agreement_id=agreement.id if agreement else None,
    )


def _record(held: _Held, action: str, *, env: ServiceEnv) -> None:
    org = f"organisation:{held.organization.slug}"
    subject = f"agreement:{held.agreement.slug}" if held.agreement else org
    audit.record(
        session=env.session,
        actor=env.actor,
        action=action,
        subject=subject,
        data={
            "link": f"{PREFIXES[held.kind]}{held.row.id}",
            "kind": held.kind.value,
            "organisation": held.organization.slug,
            "contact": held.contact.email,
        },
    )


def _find(link_id: str, *, session: Session) -> _Held:
    """The link named `r12`, `s3` or `f7`; anything else is refused with where to look."""
    kinds = {prefix: kind for kind, prefix in PREFIXES.items()}
    kind = kinds.get(link_id[:1].lower())
    number = link_id[1:]
    found: list[_Held] = []
    if kind is not None and number.isascii() and number.isdigit() and len(number) < 12:
        found = {
            LinkKind.review: _review_links,
            LinkKind.signing: _signing_links,
            LinkKind.focal: _focal_links,
        }[kind](None, session=session, row_id=int(number))
    if not found:
        raise Refusal(
            "links.not_found",
            "There is no link %(link)s; `accord links list AGREEMENT` shows the links of an "
            "agreement.",
            link=link_id[:20],
        )
    return found[0]


def _review_links(
    agreement: Agreement | None, *, session: Session, row_id: int | None = None
) -> list[_Held]:
    query = (
        select_rows(ReviewAccess, ReviewStage, ReviewRound, Contact, Organization, Agreement)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewAccess.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(ReviewRound, col(ReviewRound.id) == ReviewStage.round_id)
        .join(Agreement, col(Agreement.id) == ReviewRound.agreement_id)
        .join(Contact, col(Contact.id) == ReviewAccess.contact_id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .order_by(col(ReviewAccess.id))
    )
    if agreement is not None:
        query = query.where(col(ReviewRound.agreement_id) == agreement.id)
    if row_id is not None:
        query = query.where(col(ReviewAccess.id) == row_id)
    return [
        _Held(
            LinkKind.review,
            access,
            contact,
            org,
            found,
            f"round {round_.number}, stage {stage.position}",
            round_.status is RoundStatus.open and stage.status is StageStatus.open,
        )
        for access, stage, round_, contact, org, found in session.execute(query).tuples()
    ]


def _signing_links(
    agreement: Agreement | None, *, session: Session, row_id: int | None = None
) -> list[_Held]:
    query = (
        select_rows(Signature, SignOff, Contact, Organization, Agreement)
        .join(SignOff, col(SignOff.id) == Signature.sign_off_id)
        .join(Agreement, col(Agreement.id) == SignOff.agreement_id)
        .join(Contact, col(Contact.id) == Signature.contact_id)
        .join(Organization, col(Organization.id) == Signature.organization_id)
        .order_by(col(Signature.id))
    )
    if agreement is not None:
        query = query.where(col(SignOff.agreement_id) == agreement.id)
    if row_id is not None:
        query = query.where(col(Signature.id) == row_id)
    return [
        _Held(
            LinkKind.signing,
            signature,
            contact,
            org,
            found,
            f"sign-off {signoff.id}",
            signoff.status is SignOffStatus.open,
            used=signature.status is not SignatureStatus.pending,
        )
        for signature, signoff, contact, org, found in session.execute(query).tuples()
    ]


def _focal_links(
    agreement: Agreement | None, *, session: Session, row_id: int | None = None
) -> list[_Held]:
    """A focal link opens its organisation's items of every agreement: listed with each of
    the organisation's agreements, e-mailed without one."""
    query = (
        select(FocalAccess, Contact, Organization)
        .join(Contact, col(Contact.id) == FocalAccess.contact_id)
        .join(Organization, col(Organization.id) == FocalAccess.organization_id)
        .order_by(col(FocalAccess.id))
    )
    if agreement is not None:
        parties = select(AgreementParty.organization_id).where(
            AgreementParty.agreement_id == agreement.id
        )
        query = query.where(
            col(FocalAccess.organization_id).in_(parties)
            | (col(FocalAccess.organization_id) == agreement.secretariat_id)
        )
    if row_id is not None:
        query = query.where(FocalAccess.id == row_id)
    return [
        _Held(LinkKind.focal, access, contact, org, agreement, "", True)
        for access, contact, org in session.exec(query)
    ]
