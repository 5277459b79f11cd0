"""Review links: issued to one contact for one party in one stage, valid while it is open."""

import hmac
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session, col

from accord.mail.messages import DeadlineExtended, DelegatedAccess, ReviewReminder, ReviewRequest
from accord.services.agreements import load_version, version_content
from accord.services.documents import ensure_version_document
from accord.services.env import ServiceEnv
from accord.services.links import (
    LinkKind,
    LinkNotValid,
    expiry,
    looked_up_hash,
    new_token,
    require_usable,
)
from accord.services.mail_queue import docx_attachment, enqueue
from models import (
    Agreement,
    AgreementVersion,
    Contact,
    Organization,
    ReviewAccess,
    ReviewAssignment,
    ReviewRound,
    ReviewStage,
    RoundStatus,
    StageStatus,
)


def issue_access(
    assignment: ReviewAssignment,
    contact: Contact,
    *,
    session: Session,
    now: datetime,
    delegated_by: ReviewAccess | None = None,
) -> tuple[ReviewAccess, str]:
    """A new link for one contact of one party in one stage; the token is returned only here."""
    assert assignment.id is not None and contact.id is not None
    token, digest = new_token()
    access = ReviewAccess(
        assignment_id=assignment.id,
        contact_id=contact.id,
        token_hash=digest,
        delegated_by_id=delegated_by.id if delegated_by else None,
        expires_at=expiry(LinkKind.review, now),
    )
    session.add(access)
    session.flush()
    return access, token


@dataclass(frozen=True)
class AccessScope:
    """Everything a link entitles its holder to, resolved in one place."""

    access: ReviewAccess
    assignment: ReviewAssignment
    stage: ReviewStage
    round: ReviewRound
    contact: Contact
    organization: Organization


def resolve(
    token: str, *, session: Session, now: datetime, for_update: bool = False
) -> AccessScope:
    """The scope of a live link; forged, foreign or expired links all fail the same way."""
    digest = looked_up_hash(token)
    query = (
        select(ReviewAccess, ReviewAssignment, ReviewStage, ReviewRound, Contact, Organization)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewAccess.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(ReviewRound, col(ReviewRound.id) == ReviewStage.round_id)
        .join(Contact, col(Contact.id) == ReviewAccess.contact_id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .where(col(ReviewAccess.token_hash) == digest)
    )
    if for_update:
        query = query.with_for_update(of=ReviewRound)
    row = session.execute(query).first()
    if row is None:
        raise LinkNotValid()
    access, assignment, stage, round_, contact, org = row._tuple()
    if not hmac.compare_digest(access.token_hash, digest):
        raise LinkNotValid()
    if round_.status is not RoundStatus.open or stage.status is not StageStatus.open:
        raise LinkNotValid()
    require_usable(contact, revoked_at=access.revoked_at, expires_at=access.expires_at, now=now)
    return AccessScope(access, assignment, stage, round_, contact, org)


@dataclass(frozen=True)
class Invitation:
    """Which review e-mail carries a new link: the request, a reminder, or a delegation."""

    key: str | None = None
    """The message key; by default one per link."""
    reminder_days_left: int | None = None
    delegator_name: str | None = None
    delegated_by: ReviewAccess | None = None
    previous_deadline: date | None = None
    """Set when the e-mail says the deadline was moved from this day."""


def send_round_link(
    assignment: ReviewAssignment,
    contact: Contact,
    *,
    stage: ReviewStage,
    round_: ReviewRound,
    agreement: Agreement,
    env: ServiceEnv,
    invitation: Invitation,
) -> str:
    """One more person's link to an open round (a delegate, an added reviewer, a colleague
    after a bounce), with the round's version and its DOCX; returns the token."""
    version = load_version(round_.version_id, session=env.session)
    return send_review_request(
        assignment,
        contact,
        stage=stage,
        round_=round_,
        agreement=agreement,
        version=version,
        document=ensure_version_document(agreement, version, store=env.store),
        env=env,
        invitation=invitation,
    )


def send_review_request(
    assignment: ReviewAssignment,
    contact: Contact,
    *,
    stage: ReviewStage,
    round_: ReviewRound,
    agreement: Agreement,
    version: AgreementVersion,
    document: str,
    env: ServiceEnv,
    invitation: Invitation = Invitation(),
) -> str:
    """A link of the contact's own and the e-mail carrying it; returns the token."""
    access, token = issue_access(
        assignment,
        contact,
        session=env.session,
        now=env.now,
        delegated_by=invitation.delegated_by,
    )
    message = _invitation_mail(
        invitation, assignment, round_, stage, agreement, version, env.link(f"/r/{token}"), env
    )
    enqueue(
        message,
        session=env.session,
        key=invitation.key or f"{message.kind}:{access.id}",
        contact=contact,
        agreement_id=agreement.id,
        round_id=round_.id,
        attachments=[docx_attachment(document)],
    )
    return token


def _invitation_mail(
    invitation: Invitation,
    assignment: ReviewAssignment,
    round_: ReviewRound,
    stage: ReviewStage,
    agreement: Agreement,
    version: AgreementVersion,
    link_url: str,
    env: ServiceEnv,
) -> ReviewRequest | DelegatedAccess | DeadlineExtended:
    org = env.session.get(Organization, assignment.organization_id)
    content = version_content(version)
    spec = content.agreement
    if invitation.delegator_name is not None:
        return DelegatedAccess(
            delegator_name=invitation.delegator_name,
            organisation_name=org.name if org else {},
            agreement_title=spec.title,
            version_number=version.number,
            round_number=round_.number,
            deadline=stage.deadline,
            link_url=link_url,
            secretariat_name=content.org(spec.secretariat).name,
        )
    request = ReviewRequest(
        organisation_name=org.name if org else {},
        agreement_title=spec.title,
        version_number=version.number,
        short_hash=version.sha256[:12],
        round_number=round_.number,
        deadline=stage.deadline,
        link_url=link_url,
        secretariat_name=content.org(spec.secretariat).name,
    )
    if invitation.previous_deadline is not None:
        return DeadlineExtended(**vars(request), previous_deadline=invitation.previous_deadline)
    if invitation.reminder_days_left is None:
        return request
    return ReviewReminder(**vars(request), working_days_left=invitation.reminder_days_left)
