"""Stages of a round: opened (links and e-mails), settled when they end, the round closed once."""

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.services import audit
from accord.services.agreements import load_version
from accord.services.documents import ensure_version_document
from accord.services.env import ServiceEnv
from accord.services.recipients import reviewers_of
from accord.services.review import rules
from accord.services.review.access import send_review_request
from accord.services.review.matrix import write_matrix
from accord.services.review.notices import tell_round_closed
from accord.services.status import change_status
from models import (
    Agreement,
    Decision,
    Organization,
    ReviewAssignment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
    RoundOutcome,
    RoundStatus,
    StageStatus,
)


def stages_of(round_: ReviewRound, *, session: Session) -> list[ReviewStage]:
    return list(
        session.exec(
            select(ReviewStage)
            .where(ReviewStage.round_id == round_.id)
            .order_by(col(ReviewStage.position))
        )
    )


def open_stage(stage: ReviewStage, *, env: ServiceEnv) -> int:
    """Issue a personal link to every reviewer of the stage and queue their request e-mail."""
    session = env.session
    stage.status, stage.opened_at = StageStatus.open, env.now
    session.add(stage)
    round_ = session.get(ReviewRound, stage.round_id)
    assert round_ is not None
    agreement = session.get(Agreement, round_.agreement_id)
    assert agreement is not None
    version = load_version(round_.version_id, session=session)
    document = ensure_version_document(agreement, version, store=env.store)
    sent = 0
    for assignment in assignments_of(stage, session=session):
        contacts = reviewers_of(assignment.organization_id, session=session)
        if not contacts:
            org = session.get(Organization, assignment.organization_id)
            raise Refusal(
                "review.no_reviewer",
                "organisation '%(organisation)s' has no contact to send the review to; "
                "add one in organizations.yaml",
                organisation=org.slug if org else "?",
            )
        for contact in contacts:
            send_review_request(
                assignment,
                contact,
                stage=stage,
                round_=round_,
                agreement=agreement,
                version=version,
                document=document,
                env=env,
            )
            sent += 1
    session.flush()
    return sent


def assignments_of(
    stage: ReviewStage, *, session: Session, required_only: bool = False
) -> list[ReviewAssignment]:
    query = select(ReviewAssignment).where(ReviewAssignment.stage_id == stage.id)
    if required_only:
        query = query.where(col(ReviewAssignment.required).is_(True))
    return list(session.exec(query.order_by(col(ReviewAssignment.id))))


def latest_decisions(stage_id: int, *, session: Session) -> dict[int, ReviewDecision]:
    """Assignment id → its latest decision (the last one counts; history stays in the table)."""
    rows = session.exec(
        select(ReviewDecision)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewDecision.assignment_id)
        .where(ReviewAssignment.stage_id == stage_id)
        .order_by(col(ReviewDecision.id))
    ).all()
    return {row.assignment_id: row for row in rows}


def stage_result(stage: ReviewStage, *, session: Session) -> rules.StageResult:
    required = [a.id or 0 for a in assignments_of(stage, session=session, required_only=True)]
    latest: dict[int, Decision] = {
        assignment_id: row.decision
        for assignment_id, row in latest_decisions(stage.id or 0, session=session).items()
    }
    return rules.stage_outcome(required, latest)


@dataclass(frozen=True)
class Settled:
    closed: bool
    outcome: RoundOutcome | None = None
    next_stage_opened: bool = False


def settle_stage(stage: ReviewStage, *, env: ServiceEnv, deadline_passed: bool) -> Settled:
    """Close the stage if all answered or time is up; then open the next stage or end the round."""
    result = stage_result(stage, session=env.session)
    nxt = _next_stage(stage, session=env.session)
    step = rules.settlement(
        stage.kind, result, deadline_passed=deadline_passed, has_next=nxt is not None
    )
    if step is rules.Settlement.wait or not close_stage_once(stage, env=env):
        return Settled(closed=False)
    if step is rules.Settlement.open_next and nxt is not None:
        open_stage(nxt, env=env)
        return Settled(closed=True, outcome=result.outcome, next_stage_opened=True)
    close_round(stage, result.outcome, reason=rules.closing_reason(result), env=env)
    return Settled(closed=True, outcome=result.outcome)


def _next_stage(stage: ReviewStage, *, session: Session) -> ReviewStage | None:
    return session.exec(
        select(ReviewStage).where(
            ReviewStage.round_id == stage.round_id, ReviewStage.position == stage.position + 1
        )
    ).first()


def close_stage_once(stage: ReviewStage, *, env: ServiceEnv) -> bool:
    """Only one caller wins: the UPDATE matches an open stage once, whatever runs at once."""
    result = env.session.execute(
        update(ReviewStage)
        .where(col(ReviewStage.id) == stage.id, col(ReviewStage.status) == StageStatus.open)
        .values(status=StageStatus.closed, closed_at=env.now)
    )
    env.session.flush()
    won = bool(getattr(result, "rowcount", 0) == 1)
    if won:
        env.session.refresh(stage)
    return won


def close_round(stage: ReviewStage, outcome: RoundOutcome, *, reason: str, env: ServiceEnv) -> None:
    """Close once, move the agreement on, then the matrix, the secretariat's mail, the audit."""
    round_ = _mark_closed(stage, outcome, reason=reason, env=env)
    if round_ is None:
        return
    agreement = env.session.get(Agreement, round_.agreement_id)
    assert agreement is not None
    change_status(agreement, rules.status_action(outcome))
    env.session.add(agreement)
    matrix = write_matrix(agreement, round_, env=env)
    tell_round_closed(agreement, round_, outcome, matrix, env=env)
    audit.record(
        session=env.session,
        actor=env.actor,
        action="round.closed",
        subject=f"agreement:{agreement.slug}",
        data={"round": round_.number, "outcome": outcome.value, "reason": reason},
    )


def _mark_closed(
    stage: ReviewStage, outcome: RoundOutcome, *, reason: str, env: ServiceEnv
) -> ReviewRound | None:
    """The round and its later stages closed, by the one caller whose UPDATE matched."""
    session = env.session
    result = session.execute(
        update(ReviewRound)
        .where(col(ReviewRound.id) == stage.round_id, col(ReviewRound.status) == RoundStatus.open)
        .values(status=RoundStatus.closed, outcome=outcome, closed_reason=reason, closed_at=env.now)
    )
    if getattr(result, "rowcount", 0) != 1:
        return None
    session.execute(
        update(ReviewStage)
        .where(
            col(ReviewStage.round_id) == stage.round_id,
            col(ReviewStage.status) == StageStatus.pending,
        )
        .values(status=StageStatus.closed)
    )
    round_ = session.get(ReviewRound, stage.round_id)
    assert round_ is not None
    session.refresh(round_)
    return round_
