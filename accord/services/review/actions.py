"""What a reviewer (or the secretariat on their behalf) can do within an open round."""

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlmodel import Session, col, func, select

from accord.mail.messages import DelegationHeld
from accord.services import audit
from accord.services.agreements import load_version, version_content
from accord.services.documents import ensure_version_document
from accord.services.env import ServiceEnv
from accord.services.mail_queue import enqueue, queued
from accord.services.recipients import secretariat_contacts
from accord.services.review import rules
from accord.services.review.access import AccessScope, Invitation, send_review_request
from accord.services.review.notices import alert_changes_requested
from accord.services.review.stages import settle_stage
from accord.services.working_days import working_day_end
from accord.source.spec import AgreementSpec, activity_numbers, numbered
from models import (
    Agreement,
    Contact,
    Decision,
    DelegationRequest,
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
    in_time(scope, field="decision", env=env)
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


def in_time(scope: AccessScope, *, field: str, env: ServiceEnv) -> None:
    """Refuse what arrives after the deadline, even before the tick closes the stage."""
    rules.in_time(
        env.now,
        stage_closes_at(scope, session=env.session),
        deadline=scope.stage.deadline,
        field=field,
    )


def stage_closes_at(scope: AccessScope, *, session: Session) -> datetime:
    """The end of the deadline's working day in the agreement's country."""
    agreement = session.get(Agreement, scope.round.agreement_id)
    assert agreement is not None
    return working_day_end(scope.stage.deadline, agreement.country)


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
    in_time(scope, field="body", env=env)
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


@dataclass(frozen=True)
class Delegated:
    """Who was delegated to, and whether the link waits for the secretariat's confirmation."""

    name: str
    email: str
    awaiting_confirmation: bool


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
) -> Delegated:
    """A colleague gets a link of their own for this round only; both names are kept.

    A colleague the organisations file lists, or one whose address is in a domain the party's
    listed contacts use, gets the link at once; any other address waits for the secretariat's
    confirmation on the round board (`confirm_delegation`). With a `request_key`, a repeated
    request (double submit) sends no second link and holds no second request.
    """
    session = env.session
    earlier = _earlier(request_key, session=session)
    if earlier is not None:
        return earlier
    in_time(scope, field="email", env=env)
    address = rules.colleague_address(colleague_email)
    rules.not_oneself(address, scope.contact.email)
    listed = _listed_colleague(scope.organization.id or 0, address, session=session)
    if listed is not None:
        _send_delegated(scope, listed, key=_key(request_key), env=env)
        return Delegated(listed.name, listed.email, awaiting_confirmation=False)
    name = rules.colleague_name(colleague_name)
    if not rules.in_known_domains(address, _known_domains(scope, session=session)):
        _hold(scope, address, name, request_key=request_key, env=env)
        return Delegated(name, address, awaiting_confirmation=True)
    colleague = delegate_contact(
        scope.organization.id or 0, address, name, scope.contact.language, session=session
    )
    _send_delegated(scope, colleague, key=_key(request_key), env=env)
    return Delegated(colleague.name, colleague.email, awaiting_confirmation=False)


def _key(request_key: str | None) -> str | None:
    return f"delegation:{request_key}" if request_key else None


def _earlier(request_key: str | None, *, session: Session) -> Delegated | None:
    """What the same request did the first time, if it came before."""
    key = _key(request_key)
    if key is None:
        return None
    if queued(key, session=session):
        sent = session.exec(select(OutgoingMessage).where(OutgoingMessage.key == key)).one()
        return Delegated(sent.to_name, sent.to_email, awaiting_confirmation=False)
    held = session.exec(
        select(DelegationRequest).where(DelegationRequest.request_key == request_key)
    ).first()
    if held is None:
        return None
    return Delegated(held.name, held.email, awaiting_confirmation=held.confirmed_at is None)


def _listed_colleague(organization_id: int, address: str, *, session: Session) -> Contact | None:
    """The party's contact from the organisations file with this address (any case)."""
    return session.exec(
        select(Contact).where(
            Contact.organization_id == organization_id,
            func.lower(Contact.email) == address.lower(),
            col(Contact.active).is_(True),
            col(Contact.delegate).is_(False),
        )
    ).first()


def _known_domains(scope: AccessScope, *, session: Session) -> set[str]:
    """The e-mail domains of the party's contacts in the organisations file."""
    emails = session.exec(
        select(Contact.email).where(
            Contact.organization_id == scope.organization.id,
            col(Contact.active).is_(True),
            col(Contact.delegate).is_(False),
        )
    ).all()
    return {email.rpartition("@")[2].lower() for email in emails}


def delegate_contact(
    organization_id: int, address: str, name: str, language: str, *, session: Session
) -> Contact:
    """The party's delegate row for this address: a seat in no round by itself (only the
    links issued to it are), reused with the latest name when delegated to again."""
    row = session.exec(
        select(Contact).where(
            Contact.organization_id == organization_id,
            func.lower(Contact.email) == address.lower(),
        )
    ).first()
    if row is None:
        row = Contact(
            organization_id=organization_id,
            email=address,
            name=name,
            language=language,
            roles=[],
            delegate=True,
        )
    elif row.delegate or not row.active:  # a person the file no longer lists is a delegate now
        row.name, row.active, row.delegate, row.roles = name, True, True, []
    session.add(row)
    session.flush()
    return row


def _hold(
    scope: AccessScope, address: str, name: str, *, request_key: str | None, env: ServiceEnv
) -> None:
    """No link yet: the request waits on the round board, and the secretariat is told."""
    held = DelegationRequest(
        assignment_id=scope.assignment.id or 0,
        delegated_by_id=scope.access.id or 0,
        email=address,
        name=name,
        language=scope.contact.language,
        request_key=request_key,
        requested_at=env.now,
    )
    env.session.add(held)
    env.session.flush()
    agreement = env.session.get(Agreement, scope.round.agreement_id)
    assert agreement is not None and held.id is not None
    _tell_secretariat(scope, agreement, held, env=env)
    _audit_delegation(agreement.id, scope, address, "review.delegation_held", env=env)


def _tell_secretariat(
    scope: AccessScope, agreement: Agreement, held: DelegationRequest, *, env: ServiceEnv
) -> None:
    version = load_version(scope.round.version_id, session=env.session)
    notice = DelegationHeld(
        delegator_name=scope.contact.name,
        delegate_name=held.name,
        delegate_email=held.email,
        organisation_name=scope.organization.name,
        agreement_title=version_content(version).agreement.title,
        round_number=scope.round.number,
        confirm_command=f"accord review confirm-delegate {agreement.slug} {held.id}",
        decline_command=f"accord review decline-delegate {agreement.slug} {held.id}",
    )
    for contact in secretariat_contacts(agreement, session=env.session):
        enqueue(
            notice,
            session=env.session,
            key=f"delegation_held:{held.id}:{contact.id}",
            contact=contact,
            agreement_id=agreement.id,
            round_id=scope.round.id,
        )


def _send_delegated(
    scope: AccessScope, colleague: Contact, *, key: str | None, env: ServiceEnv
) -> None:
    session = env.session
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
    _audit_delegation(agreement.id, scope, colleague.email, "review.delegated", env=env)


def _audit_delegation(
    agreement_id: int | None, scope: AccessScope, to: str, action: str, *, env: ServiceEnv
) -> None:
    agreement = env.session.get(Agreement, agreement_id)
    audit.record(
        session=env.session,
        actor=env.actor,
        action=action,
        subject=f"agreement:{agreement.slug if agreement else '?'}",
        data={
            "round": scope.round.number,
            "party": scope.organization.slug,
            "from": scope.contact.email,
            "to": to,
        },
    )
