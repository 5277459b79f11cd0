"""The secretariat's view of reviews, and decisions it records from paper."""

import uuid
from dataclasses import dataclass

from sqlmodel import col, select

from accord.services import audit
from accord.services.review_actions import alert_changes_requested, checked_text
from accord.services.review_closing import party_table, settle_stage
from accord.services.review_errors import ReviewRefused
from accord.services.review_rounds import ReviewEnv, find_agreement, open_round_of
from models import (
    Agreement,
    AgreementVersion,
    Decision,
    MessageStatus,
    Organization,
    OutgoingMessage,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
    StageStatus,
)


def record_on_paper(
    slug: str, party: str, decision: Decision, comment: str | None, *, env: ReviewEnv
) -> bool:
    """A decision received on paper, marked as recorded by the secretariat; True if it closed."""
    session = env.session
    agreement = find_agreement(slug, session=session)
    round_ = open_round_of(agreement, session=session)
    if round_ is None:
        raise ReviewRefused(_no_open_round(agreement, env=env))
    stage, assignment, org = _open_assignment(round_, party, env=env)
    text = checked_text(comment, what="the comment", required=decision is Decision.request_changes)
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
        },
    )
    if decision is Decision.request_changes:
        alert_changes_requested(
            round_, stage, assignment, org, person=f"{org.slug} (on paper)", row=row, env=env
        )
    return settle_stage(stage, env=env, deadline_passed=False).closed


def _no_open_round(agreement: Agreement, *, env: ReviewEnv) -> str:
    last = env.session.exec(
        select(ReviewRound)
        .where(ReviewRound.agreement_id == agreement.id)
        .order_by(col(ReviewRound.number).desc())
    ).first()
    if last is None:
        return f"agreement '{agreement.slug}' has no review round; start one first"
    closed = f"{last.closed_at:%Y-%m-%d}" if last.closed_at else "?"
    return (
        f"agreement '{agreement.slug}' has no open review round (round {last.number} "
        f"closed on {closed}); decisions are no longer accepted"
    )


def _open_assignment(
    round_: ReviewRound, party: str, *, env: ReviewEnv
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
        raise ReviewRefused(
            f"'{party}' is not asked to review in the open stage of round {round_.number}"
        )
    return row


@dataclass(frozen=True)
class RoundStatusView:
    number: int
    version: int
    status: str
    outcome: str | None
    deadlines: list[str]
    parties: list[dict[str, object]]


@dataclass(frozen=True)
class ReviewStatus:
    agreement: str
    rounds: list[RoundStatusView]
    undelivered: list[str]
    """Review e-mails that bounced, were dropped or failed: the reviewer never got the link."""


def review_status(slug: str, *, env: ReviewEnv) -> ReviewStatus:
    session = env.session
    agreement = find_agreement(slug, session=session)
    rounds = []
    for round_ in session.exec(
        select(ReviewRound)
        .where(ReviewRound.agreement_id == agreement.id)
        .order_by(col(ReviewRound.number))
    ):
        version = session.get(AgreementVersion, round_.version_id)
        stages = session.exec(
            select(ReviewStage)
            .where(ReviewStage.round_id == round_.id)
            .order_by(col(ReviewStage.position))
        ).all()
        rounds.append(
            RoundStatusView(
                number=round_.number,
                version=version.number if version else 0,
                status=round_.status.value,
                outcome=round_.outcome.value if round_.outcome else None,
                deadlines=[f"{s.kind.value} {s.deadline}" for s in stages],
                parties=party_table(round_, session=session),
            )
        )
    failed = session.exec(
        select(OutgoingMessage).where(
            OutgoingMessage.agreement_id == agreement.id,
            col(OutgoingMessage.status).in_(
                [MessageStatus.bounced, MessageStatus.dropped, MessageStatus.failed]
            ),
        )
    ).all()
    undelivered = [
        f"{m.kind} to {m.to_email}: {m.status.value} ({m.last_error or 'no reason'})"
        for m in failed
    ]
    return ReviewStatus(agreement=slug, rounds=rounds, undelivered=undelivered)
