"""The secretariat's view of reviews, and decisions it records from paper."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from accord.errors import Refusal
from accord.mail.messages import DelegationDeclined
from accord.services import audit
from accord.services.agreements import find_agreement, load_version, version_content
from accord.services.env import ServiceEnv
from accord.services.mail_queue import enqueue
from accord.services.review import rules
from accord.services.review.access import Invitation, send_round_link
from accord.services.review.actions import delegate_contact
from accord.services.review.matrix import PartyRow, party_table
from accord.services.review.notices import alert_changes_requested
from accord.services.review.rounds import open_round_of
from accord.services.review.stages import settle_stage, stages_of
from accord.services.working_days import working_day_end
from models import (
    Agreement,
    Contact,
    Decision,
    DelegationRequest,
    MessageStatus,
    Organization,
    OutgoingMessage,
    ReviewAccess,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
    RoundStatus,
    StageStatus,
)


def record_on_paper(
    slug: str,
    party: str,
    decision: Decision,
    comment: str | None,
    *,
    env: ServiceEnv,
    late_reason: str | None = None,
) -> bool:
    """A decision received on paper, marked as recorded by the secretariat; True if it closed.

    After the stage's deadline it is recorded only with `late_reason`, which the audit trail
    keeps: the portal refuses late answers, and the paper path must not be a quiet way round.
    """
    session = env.session
    agreement = find_agreement(slug, session=session)
    round_ = open_round_of(agreement, session=session)
    if round_ is None:
        raise _no_open_round(agreement, env=env)
    stage, assignment, org = _open_assignment(round_, party, env=env)
    late = rules.paper_in_time(
        env.now,
        working_day_end(stage.deadline, agreement.country),
        deadline=stage.deadline,
        late_reason=late_reason,
    )
    text = rules.decision_reason(decision, comment)
    row = ReviewDecision(
        assignment_id=assignment.id or 0,
        decision=decision,
        reason=text,
        recorded_by=env.actor,
        request_key=uuid.uuid4().hex,
        decided_at=env.now,
    )
    session.add(row)
    if text:
        session.add(
            ReviewComment(
                assignment_id=assignment.id or 0,
                body=text,
                request_key=uuid.uuid4().hex,
                created_at=env.now,
            )
        )
    session.flush()
    audit.record(
        session=session,
        actor=env.actor,
        action="decision.recorded",
        subject=f"agreement:{slug}",
        data={
            "round": round_.number,
            "stage": stage.kind.value,
            "party": party,
            "decision": decision.value,
            "recorded_by": env.actor,
            "on_paper": True,
            **({"late": late} if late else {}),
        },
    )
    if decision is Decision.request_changes:
        alert_changes_requested(
            round_, assignment, org, person=f"{org.slug} (on paper)", row=row, env=env
        )
    return settle_stage(stage, env=env, deadline_passed=False).closed


def _no_open_round(agreement: Agreement, *, env: ServiceEnv) -> Refusal:
    last = env.session.exec(
        select(ReviewRound)
        .where(ReviewRound.agreement_id == agreement.id)
        .order_by(col(ReviewRound.number).desc())
    ).first()
    if last is None:
        return Refusal(
            "review.no_round",
            "agreement '%(agreement)s' has no review round; start one first",
            agreement=agreement.slug,
        )
    return Refusal(
        "review.round_closed",
        "agreement '%(agreement)s' has no open review round (round %(round)s closed on "
        "%(closed)s); decisions are no longer accepted",
        agreement=agreement.slug,
        round=last.number,
        closed=last.closed_at.date() if last.closed_at else "?",
    )


def _open_assignment(
    round_: ReviewRound, party: str, *, env: ServiceEnv
) -> tuple[ReviewStage, ReviewAssignment, Organization]:
    row = env.session.exec(
        select(ReviewStage, ReviewAssignment, Organization)
        .join(ReviewAssignment, col(ReviewAssignment.stage_id) == ReviewStage.id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .where(
            ReviewStage.round_id == round_.id,
            ReviewStage.status == StageStatus.open,
            Organization.slug == party,
        )
    ).first()
    if row is None:
        raise Refusal(
            "review.party_not_asked",
            "'%(party)s' is not asked to review in the open stage of round %(round)s",
            party=party,
            round=round_.number,
        )
    return row


@dataclass(frozen=True)
class RoundStatusView:
    number: int
    version: int
    status: str
    outcome: str | None
    deadlines: list[str]
    parties: list[PartyRow]


@dataclass(frozen=True)
class Undelivered:
    """A review e-mail that bounced, was dropped or failed: the reviewer never got the link."""

    kind: str
    to_email: str
    status: MessageStatus
    reason: str | None

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email}: {self.status.value} ({self.reason or 'no reason'})"


@dataclass(frozen=True)
class HeldDelegation:
    """A delegation to an address outside the party's known domains, waiting for the
    secretariat: no link exists until `accord review confirm-delegate` confirms it."""

    id: int
    round: int
    party: str
    delegator: str
    name: str
    email: str
    requested_at: datetime

    def __str__(self) -> str:
        return (
            f"#{self.id} round {self.round}, {self.party}: {self.delegator} delegates to "
            f"{self.name} <{self.email}>, outside the party's known e-mail domains "
            f"(asked {self.requested_at:%Y-%m-%d %H:%M} UTC)"
        )


@dataclass(frozen=True)
class DelegationState:
    """A delegation that needed the secretariat: `held` (waiting), `confirmed` (a link was
    issued) or `declined` (never a link)."""

    id: int
    round: int
    party: str
    name: str
    email: str
    state: str
    decided_by: str | None

    def __str__(self) -> str:
        by = f" by {self.decided_by}" if self.decided_by else ""
        return (
            f"#{self.id} round {self.round}, {self.party}: {self.name} <{self.email}> "
            f"{self.state}{by}"
        )


@dataclass(frozen=True)
class ReviewStatus:
    agreement: str
    rounds: list[RoundStatusView]
    undelivered: list[Undelivered]
    held: list[HeldDelegation]
    """Delegations of open stages waiting for the secretariat's confirmation."""
    delegations: list[DelegationState]
    """Every delegation that needed the secretariat, in every round, oldest first."""


def review_status(slug: str, *, env: ServiceEnv) -> ReviewStatus:
    session = env.session
    agreement = find_agreement(slug, session=session)
    rounds = [
        RoundStatusView(
            number=round_.number,
            version=load_version(round_.version_id, session=session).number,
            status=round_.status.value,
            outcome=round_.outcome.value if round_.outcome else None,
            deadlines=[f"{s.kind.value} {s.deadline}" for s in stages_of(round_, session=session)],
            parties=party_table(round_, session=session),
        )
        for round_ in session.exec(
            select(ReviewRound)
            .where(ReviewRound.agreement_id == agreement.id)
            .order_by(col(ReviewRound.number))
        )
    ]
    failed = session.exec(
        select(OutgoingMessage).where(
            OutgoingMessage.agreement_id == agreement.id,
            col(OutgoingMessage.status).in_(
                [MessageStatus.bounced, MessageStatus.dropped, MessageStatus.failed]
            ),
        )
    ).all()
    undelivered = [Undelivered(m.kind, m.to_email, m.status, m.last_error) for m in failed]
    return ReviewStatus(
        agreement=slug,
        rounds=rounds,
        undelivered=undelivered,
        held=held_delegations(agreement, env=env),
        delegations=delegation_states(agreement, env=env),
    )


def delegation_states(agreement: Agreement, *, env: ServiceEnv) -> list[DelegationState]:
    """Each delegation held for the secretariat, with what became of it."""
    rows = env.session.exec(
        select(DelegationRequest, ReviewRound, Organization)
        .join(ReviewAssignment, col(ReviewAssignment.id) == DelegationRequest.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(ReviewRound, col(ReviewRound.id) == ReviewStage.round_id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .where(ReviewRound.agreement_id == agreement.id)
        .order_by(col(DelegationRequest.id))
    ).all()
    return [
        DelegationState(
            row.id or 0,
            round_.number,
            org.slug,
            row.name,
            row.email,
            *_state(row),
        )
        for row, round_, org in rows
    ]


def _state(row: DelegationRequest) -> tuple[str, str | None]:
    if row.confirmed_at is not None:
        return "confirmed", row.confirmed_by
    if row.declined_at is not None:
        return "declined", row.declined_by
    return "held", None


def held_delegations(agreement: Agreement, *, env: ServiceEnv) -> list[HeldDelegation]:
    """Unconfirmed delegations of the agreement's open stages, oldest first."""
    rows = env.session.exec(
        select(DelegationRequest, ReviewRound, Organization, Contact)
        .join(ReviewAssignment, col(ReviewAssignment.id) == DelegationRequest.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(ReviewRound, col(ReviewRound.id) == ReviewStage.round_id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .join(ReviewAccess, col(ReviewAccess.id) == DelegationRequest.delegated_by_id)
        .join(Contact, col(Contact.id) == ReviewAccess.contact_id)
        .where(
            ReviewRound.agreement_id == agreement.id,
            ReviewRound.status == RoundStatus.open,
            ReviewStage.status == StageStatus.open,
            col(DelegationRequest.confirmed_at).is_(None),
            col(DelegationRequest.declined_at).is_(None),
        )
        .order_by(col(DelegationRequest.id))
    ).all()
    return [
        HeldDelegation(
            row.id or 0,
            round_.number,
            org.slug,
            f"{delegator.name} <{delegator.email}>",
            row.name,
            row.email,
            row.requested_at,
        )
        for row, round_, org, delegator in rows
    ]


def confirm_delegation(slug: str, delegation_id: int, *, env: ServiceEnv) -> HeldDelegation:
    """The secretariat confirms a held delegation: the colleague gets their link now."""
    session = env.session
    agreement = find_agreement(slug, session=session)
    held, row = _held(agreement, delegation_id, env=env)
    assignment = session.get(ReviewAssignment, row.assignment_id)
    stage = session.get(ReviewStage, assignment.stage_id) if assignment else None
    round_ = session.get(ReviewRound, stage.round_id) if stage else None
    delegator = session.get(ReviewAccess, row.delegated_by_id)
    delegator_contact = session.get(Contact, delegator.contact_id) if delegator else None
    assert assignment and stage and round_ and delegator and delegator_contact
    colleague = delegate_contact(
        assignment.organization_id, row.email, row.name, row.language, session=session
    )
    send_round_link(
        assignment,
        colleague,
        stage=stage,
        round_=round_,
        agreement=agreement,
        env=env,
        invitation=Invitation(
            key=f"delegation:held:{row.id}",
            delegator_name=delegator_contact.name,
            delegated_by=delegator,
        ),
    )
    row.confirmed_at, row.confirmed_by = env.now, env.actor
    row.access_id = session.exec(
        select(ReviewAccess.id)
        .where(
            ReviewAccess.assignment_id == assignment.id,
            ReviewAccess.contact_id == colleague.id,
        )
        .order_by(col(ReviewAccess.id).desc())
    ).first()
    session.add(row)
    audit.record(
        session=session,
        actor=env.actor,
        action="review.delegation_confirmed",
        subject=f"agreement:{slug}",
        data={"round": round_.number, "party": held.party, "to": row.email, "id": row.id},
    )
    return held


def _held(
    agreement: Agreement, delegation_id: int, *, env: ServiceEnv
) -> tuple[HeldDelegation, DelegationRequest]:
    """The delegation still waiting in an open stage, or the refusal that names the command
    listing those that wait."""
    held = {h.id: h for h in held_delegations(agreement, env=env)}.get(delegation_id)
    row = env.session.get(DelegationRequest, delegation_id)
    if held is None or row is None:
        raise Refusal(
            "review.no_held_delegation",
            "Agreement “%(agreement)s” has no delegation #%(id)s waiting for confirmation in an "
            "open stage; `accord review status` lists those that wait.",
            agreement=agreement.slug,
            id=delegation_id,
        )
    return held, row


def decline_delegation(slug: str, delegation_id: int, *, env: ServiceEnv) -> HeldDelegation:
    """The secretariat declines a held delegation: no link is ever issued for it, and the
    delegator is told in their language, so they answer themselves or delegate again."""
    session = env.session
    agreement = find_agreement(slug, session=session)
    held, row = _held(agreement, delegation_id, env=env)
    assignment = session.get(ReviewAssignment, row.assignment_id)
    stage = session.get(ReviewStage, assignment.stage_id) if assignment else None
    round_ = session.get(ReviewRound, stage.round_id) if stage else None
    delegator = session.get(ReviewAccess, row.delegated_by_id)
    delegator_contact = session.get(Contact, delegator.contact_id) if delegator else None
    organization = session.get(Organization, assignment.organization_id) if assignment else None
    assert round_ and delegator_contact and organization
    row.declined_at, row.declined_by = env.now, env.actor
    session.add(row)
    version = load_version(round_.version_id, session=session)
    enqueue(
        DelegationDeclined(
            delegate_name=row.name,
            delegate_email=row.email,
            organisation_name=organization.name,
            agreement_title=version_content(version).agreement.title,
            round_number=round_.number,
        ),
        session=session,
        key=f"delegation_declined:{row.id}",
        contact=delegator_contact,
        agreement_id=agreement.id,
        round_id=round_.id,
    )
    audit.record(
        session=session,
        actor=env.actor,
        action="review.delegation_declined",
        subject=f"agreement:{slug}",
        data={"round": round_.number, "party": held.party, "to": row.email, "id": row.id},
    )
    return held
