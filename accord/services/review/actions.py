"""What a reviewer (or the secretariat on their behalf) can do within an open round."""

from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session, col, select

from accord.services import audit
from accord.services.agreements import load_version, version_content
from accord.services.documents import ensure_version_document
from accord.services.env import ServiceEnv
from accord.services.mail_queue import queued
from accord.services.review import rules
from accord.services.review.access import AccessScope, Invitation, send_review_request
from accord.services.review.notices import alert_changes_requested
from accord.services.review.stages import settle_stage
from accord.source.spec import AgreementSpec, activity_numbers, numbered
from models import (
    Agreement,
    Contact,
    Decision,
    OutgoingMessage,
    ReviewComment,
    ReviewDecision,
)


@dataclass(frozen=True)
class DecisionRecorded:
    decision: ReviewDecision
    duplicate: bool
    round_closed: bool


def decide(
    scope: AccessScope,
    decision: Decision,
    reason: str | None,
    *,
    request_key: str,
    env: ServiceEnv,
) -> DecisionRecorded:
    """Record a decision once per request key; changes requested alert the secretariat at once."""
    session = env.session
    existing = _by_key(ReviewDecision, request_key, session=session)
    if existing is not None:
        return DecisionRecorded(existing, duplicate=True, round_closed=False)
    row = ReviewDecision(
        assignment_id=scope.assignment.id or 0,
        access_id=scope.access.id,
        decision=decision,
        reason=rules.decision_reason(decision, reason),
        request_key=request_key,
        decided_at=env.now,
    )
    session.add(row)
    session.flush()
    _audit_decision(scope, row, env=env)
    if decision is Decision.request_changes:
        alert_changes_requested(
            scope.round,
            scope.assignment,
            scope.organization,
            person=scope.contact.name,
            row=row,
            env=env,
        )
    settled = settle_stage(scope.stage, env=env, deadline_passed=False)
    return DecisionRecorded(row, duplicate=False, round_closed=settled.closed)


Keyed = TypeVar("Keyed", ReviewDecision, ReviewComment)


def _by_key(model: type[Keyed], key: str, *, session: Session) -> Keyed | None:
    return session.exec(select(model).where(model.request_key == key)).first()


def _audit_decision(scope: AccessScope, row: ReviewDecision, *, env: ServiceEnv) -> None:
    agreement = env.session.get(Agreement, scope.round.agreement_id)
    audit.record(
        session=env.session,
        actor=env.actor,
        action="decision.recorded",
        subject=f"agreement:{agreement.slug if agreement else '?'}",
        data={
            "round": scope.round.number,
            "stage": scope.stage.kind.value,
            "party": scope.organization.slug,
            "contact": scope.contact.email,
            "decision": row.decision.value,
            "recorded_by": row.recorded_by,
        },
    )


def add_comment(
    scope: AccessScope,
    clause_id: str | None,
    body: str,
    *,
    request_key: str,
    env: ServiceEnv,
    activity_id: str | None = None,
    proposed: str | None = None,
) -> ReviewComment:
    """A comment on one clause or one activity of the plan of the version under review, or on
    the text as a whole; on a clause or activity it may propose new wording for it."""
    existing = _by_key(ReviewComment, request_key, session=env.session)
    if existing is not None:
        return existing
    text = rules.comment_body(body)
    clause = (clause_id or "").strip() or None
    activity = (activity_id or "").strip() or None
    version = load_version(scope.round.version_id, session=env.session)
    agreement = version_content(version).agreement
    ids = [item.clause.id for item in numbered(agreement.clauses)]
    rules.clause_of_version(clause, ids, version=version.number)
    rules.activity_of_version(
        activity,
        activity_numbers(agreement.objectives, agreement.commitments),
        version=version.number,
    )
    wording = rules.proposed_wording(
        proposed,
        on_part=bool(clause or activity),
        current=_current_texts(agreement, clause, activity),
    )
    row = ReviewComment(
        assignment_id=scope.assignment.id or 0,
        access_id=scope.access.id,
        clause_id=None if activity else clause,
        activity_id=activity,
        proposed_text=wording,
        body=text,
        request_key=request_key,
        created_at=env.now,
    )
    env.session.add(row)
    env.session.flush()
    return row


def _current_texts(
    agreement: AgreementSpec, clause_id: str | None, activity_id: str | None
) -> list[str]:
    """The commented clause's or activity's text in every document language."""
    for item in numbered(agreement.clauses):
        if item.clause.id == clause_id:
            return list(item.clause.text.values())
    for commitment in agreement.commitments:
        if commitment.id == activity_id:
            return list(commitment.activity.values())
    return []


def delegate(
    scope: AccessScope,
    *,
    colleague_email: str,
    colleague_name: str | None,
    env: ServiceEnv,
    request_key: str | None = None,
) -> Contact:
    """A colleague of the same organisation gets a link of their own; both names are kept.

    With a `request_key`, a repeated request (double submit) sends no second link.
    """
    session = env.session
    key = f"delegation:{request_key}" if request_key else None
    if key is not None and queued(key, session=session):
        sent = session.exec(select(OutgoingMessage).where(OutgoingMessage.key == key)).one()
        if (earlier := session.get(Contact, sent.contact_id)) is not None:
            return earlier
    colleague = _colleague(scope, colleague_email, colleague_name, session=session)
    agreement = session.get(Agreement, scope.round.agreement_id)
    assert agreement is not None
    version = load_version(scope.round.version_id, session=session)
    send_review_request(
        scope.assignment,
        colleague,
        stage=scope.stage,
        round_=scope.round,
        agreement=agreement,
        version=version,
        document=ensure_version_document(agreement, version, store=env.store),
        env=env,
        invitation=Invitation(
            key=key, delegator_name=scope.contact.name, delegated_by=scope.access
        ),
    )
    audit.record(
        session=session,
        actor=env.actor,
        action="review.delegated",
        subject=f"agreement:{agreement.slug}",
        data={
            "round": scope.round.number,
            "party": scope.organization.slug,
            "from": scope.contact.email,
            "to": colleague.email,
        },
    )
    return colleague


def _colleague(scope: AccessScope, email: str, name: str | None, *, session: Session) -> Contact:
    """The organisation's contact with this address, or a new one with the name given."""
    address = rules.colleague_address(email)
    colleague = session.exec(
        select(Contact).where(
            Contact.organization_id == scope.organization.id, col(Contact.email).ilike(address)
        )
    ).first()
    if colleague is None:
        colleague = Contact(
            organization_id=scope.organization.id or 0,
            email=address,
            name=rules.colleague_name(name),
            language=scope.contact.language,
            roles=["reviewer"],
        )
        session.add(colleague)
        session.flush()
    rules.not_oneself(colleague.id, scope.contact.id)
    return colleague
