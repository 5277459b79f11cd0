"""What a reviewer (or the secretariat on their behalf) can do within an open round."""

from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session, col, select

from accord.services import audit
from accord.services.outbox import enqueue
from accord.services.review_access import AccessScope
from accord.services.review_closing import secretariat_contacts, settle_stage
from accord.services.review_documents import ensure_version_document, version_content
from accord.services.review_errors import COMMENT_LIMIT, ReviewRefused
from accord.services.review_rounds import ReviewEnv, mail_context, send_review_request
from accord.source.spec import numbered
from models import (
    Agreement,
    AgreementVersion,
    Contact,
    Decision,
    Organization,
    OutgoingMessage,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
)


def checked_text(text: str | None, *, what: str, required: bool) -> str | None:
    """Trimmed text within the limit; an empty required text is refused, saying the limit."""
    cleaned = (text or "").strip()
    if not cleaned:
        if required:
            raise ReviewRefused(f"{what} must not be empty (up to {COMMENT_LIMIT} characters)")
        return None
    if len(cleaned) > COMMENT_LIMIT:
        raise ReviewRefused(
            f"{what} is {len(cleaned)} characters long; the limit is {COMMENT_LIMIT}"
        )
    return cleaned


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
    env: ReviewEnv,
) -> DecisionRecorded:
    """Record a decision once per request key; changes requested alert the secretariat at once."""
    session = env.session
    existing = _by_key(ReviewDecision, request_key, session=session)
    if existing is not None:
        return DecisionRecorded(existing, duplicate=True, round_closed=False)
    reason = checked_text(
        reason,
        what="the reason for requesting changes"
        if decision is Decision.request_changes
        else "the comment",
        required=decision is Decision.request_changes,
    )
    row = ReviewDecision(
        assignment_id=scope.assignment.id or 0,
        access_id=scope.access.id,
        decision=decision,
        reason=reason,
        request_key=request_key,
        decided_at=env.now,
    )
    session.add(row)
    session.flush()
    _audit_decision(scope, row, env=env)
    if decision is Decision.request_changes:
        _alert_changes_requested(scope, row, env=env)
    settled = settle_stage(scope.stage, env=env, deadline_passed=False)
    return DecisionRecorded(row, duplicate=False, round_closed=settled.closed)


Keyed = TypeVar("Keyed", ReviewDecision, ReviewComment)


def _by_key(model: type[Keyed], key: str, *, session: Session) -> Keyed | None:
    return session.exec(select(model).where(model.request_key == key)).first()


def _audit_decision(scope: AccessScope, row: ReviewDecision, *, env: ReviewEnv) -> None:
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


def _alert_changes_requested(scope: AccessScope, row: ReviewDecision, *, env: ReviewEnv) -> None:
    alert_changes_requested(
        scope.round,
        scope.stage,
        scope.assignment,
        scope.organization,
        person=scope.contact.name,
        row=row,
        env=env,
    )


def alert_changes_requested(
    round_: ReviewRound,
    stage: ReviewStage,
    assignment: ReviewAssignment,
    org: Organization,
    *,
    person: str,
    row: ReviewDecision,
    env: ReviewEnv,
) -> None:
    """The secretariat hears of a request for changes at once, not when the round ends."""
    session = env.session
    agreement = session.get(Agreement, round_.agreement_id)
    version = session.get(AgreementVersion, round_.version_id)
    assert agreement is not None and version is not None
    comments = session.exec(
        select(ReviewComment).where(ReviewComment.assignment_id == assignment.id)
    ).all()
    context = mail_context(agreement, version, round_, stage, assignment, env=env)
    context.update(
        organisation_name=org.name,
        reviewer_name=person,
        reason=row.reason or "",
        clause_ids=sorted({c.clause_id for c in comments if c.clause_id}),
    )
    for contact in secretariat_contacts(agreement, session=session):
        enqueue(
            session=session,
            key=f"changes_requested:{row.id}:{contact.id}",
            kind="changes_requested",
            contact=contact,
            context=context,
            agreement_id=agreement.id,
            round_id=round_.id,
        )


def add_comment(
    scope: AccessScope, clause_id: str | None, body: str, *, request_key: str, env: ReviewEnv
) -> ReviewComment:
    """A comment on one clause of the version under review, or on the text as a whole."""
    existing = _by_key(ReviewComment, request_key, session=env.session)
    if existing is not None:
        return existing
    text = checked_text(body, what="a comment", required=True)
    clause = (clause_id or "").strip() or None
    if clause is not None:
        _check_clause(scope.round, clause, session=env.session)
    row = ReviewComment(
        assignment_id=scope.assignment.id or 0,
        access_id=scope.access.id,
        clause_id=clause,
        body=text or "",
        request_key=request_key,
        created_at=env.now,
    )
    env.session.add(row)
    env.session.flush()
    return row


def _check_clause(round_: ReviewRound, clause_id: str, *, session: Session) -> None:
    version = session.get(AgreementVersion, round_.version_id)
    assert version is not None
    ids = [item.clause.id for item in numbered(version_content(version).agreement.clauses)]
    if clause_id not in ids:
        raise ReviewRefused(f"version {version.number} has no clause '{clause_id}'")


def delegate(
    scope: AccessScope,
    *,
    colleague_email: str,
    colleague_name: str | None,
    env: ReviewEnv,
    request_key: str | None = None,
) -> Contact:
    """A colleague of the same organisation gets a link of their own; both names are kept.

    With a `request_key`, a repeated request (double submit) sends no second link.
    """
    session = env.session
    key = f"delegation:{request_key}" if request_key else None
    if key is not None:
        sent = session.exec(select(OutgoingMessage).where(OutgoingMessage.key == key)).first()
        if sent is not None and (earlier := session.get(Contact, sent.contact_id)) is not None:
            return earlier
    email = colleague_email.strip()
    if "@" not in email or len(email) > 254:
        raise ReviewRefused(f"'{colleague_email}' is not an e-mail address")
    colleague = session.exec(
        select(Contact).where(
            Contact.organization_id == scope.organization.id, col(Contact.email).ilike(email)
        )
    ).first()
    if colleague is None:
        name = checked_text(colleague_name, what="the colleague's name", required=True)
        colleague = Contact(
            organization_id=scope.organization.id or 0,
            email=email,
            name=name or email,
            language=scope.contact.language,
            roles=["reviewer"],
        )
        session.add(colleague)
        session.flush()
    if colleague.id == scope.contact.id:
        raise ReviewRefused("you cannot delegate to yourself")
    agreement = session.get(Agreement, scope.round.agreement_id)
    version = session.get(AgreementVersion, scope.round.version_id)
    assert agreement is not None and version is not None
    document = ensure_version_document(agreement, version, store=env.store)
    send_review_request(
        scope.assignment,
        colleague,
        stage=scope.stage,
        round_=scope.round,
        agreement=agreement,
        version=version,
        document=document,
        env=env,
        kind="delegated_access",
        extra={"delegator_name": scope.contact.name},
        delegated_by=scope.access,
        key=key,
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
