"""Deciding when a stage is over, what it concluded, and what happens next."""

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from accord.documents.comments_matrix_docx import MatrixRow, render_comments_matrix
from accord.services import audit
from accord.services.outbox import docx_attachment, enqueue
from accord.services.review_documents import comments_matrix_name, version_content
from accord.services.review_rounds import ReviewEnv, close_stage_once, mail_context, open_stage
from models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Contact,
    Decision,
    Organization,
    ReviewAccess,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
    RoundOutcome,
    RoundStatus,
    StageKind,
    StageStatus,
)


def latest_decisions(stage_id: int, *, session: Session) -> dict[int, ReviewDecision]:
    """Assignment id → its latest decision (the last one counts; history stays in the table)."""
    rows = session.exec(
        select(ReviewDecision)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewDecision.assignment_id)
        .where(ReviewAssignment.stage_id == stage_id)
        .order_by(col(ReviewDecision.id))
    ).all()
    return {row.assignment_id: row for row in rows}


def stage_outcome(stage: ReviewStage, *, session: Session) -> tuple[RoundOutcome | None, bool]:
    """(outcome if the stage ended now, whether every required party has answered)."""
    assignments = session.exec(
        select(ReviewAssignment).where(
            ReviewAssignment.stage_id == stage.id, col(ReviewAssignment.required).is_(True)
        )
    ).all()
    decisions = latest_decisions(stage.id or 0, session=session)
    answered = [decisions[a.id] for a in assignments if a.id in decisions]
    complete = len(answered) == len(assignments)
    if any(d.decision is Decision.request_changes for d in answered):
        return RoundOutcome.changes_requested, complete
    return (RoundOutcome.approved if complete else RoundOutcome.incomplete), complete


@dataclass(frozen=True)
class Settled:
    closed: bool
    outcome: RoundOutcome | None = None
    next_stage_opened: bool = False


def settle_stage(stage: ReviewStage, *, env: ReviewEnv, deadline_passed: bool) -> Settled:
    """Close the stage if all answered or time is up; then open the next stage or end the round."""
    outcome, complete = stage_outcome(stage, session=env.session)
    if not (complete or deadline_passed) or outcome is None:
        return Settled(closed=False)
    if not close_stage_once(stage, session=env.session, now=env.now):
        return Settled(closed=False)
    nxt = _next_stage(stage, session=env.session)
    if stage.kind is StageKind.internal and outcome is RoundOutcome.approved and nxt:
        open_stage(nxt, env=env)
        return Settled(closed=True, outcome=outcome, next_stage_opened=True)
    reason = "all required parties answered" if complete else "the deadline passed"
    close_round(stage, outcome, reason=reason, env=env)
    return Settled(closed=True, outcome=outcome)


def _next_stage(stage: ReviewStage, *, session: Session) -> ReviewStage | None:
    return session.exec(
        select(ReviewStage).where(
            ReviewStage.round_id == stage.round_id, ReviewStage.position == stage.position + 1
        )
    ).first()


def close_round(stage: ReviewStage, outcome: RoundOutcome, *, reason: str, env: ReviewEnv) -> None:
    session = env.session
    result = session.execute(
        update(ReviewRound)
        .where(col(ReviewRound.id) == stage.round_id, col(ReviewRound.status) == RoundStatus.open)
        .values(status=RoundStatus.closed, outcome=outcome, closed_reason=reason, closed_at=env.now)
    )
    if getattr(result, "rowcount", 0) != 1:
        return
    _close_later_stages(stage, session=session)
    round_ = session.get(ReviewRound, stage.round_id)
    assert round_ is not None
    session.refresh(round_)
    agreement = session.get(Agreement, round_.agreement_id)
    version = session.get(AgreementVersion, round_.version_id)
    assert agreement is not None and version is not None
    agreement.status = (
        AgreementStatus.approved if outcome is RoundOutcome.approved else AgreementStatus.draft
    )
    session.add(agreement)
    matrix = _write_matrix(agreement, version, round_, env=env)
    _tell_secretariat(agreement, version, round_, stage, outcome, matrix, env=env)
    audit.record(
        session=session,
        actor=env.actor,
        action="round.closed",
        subject=f"agreement:{agreement.slug}",
        data={"round": round_.number, "outcome": outcome.value, "reason": reason},
    )


def _close_later_stages(stage: ReviewStage, *, session: Session) -> None:
    session.execute(
        update(ReviewStage)
        .where(
            col(ReviewStage.round_id) == stage.round_id,
            col(ReviewStage.status) == StageStatus.pending,
        )
        .values(status=StageStatus.closed)
    )


def matrix_rows(round_: ReviewRound, *, session: Session) -> list[MatrixRow]:
    rows = session.exec(
        select(ReviewComment, Organization, Contact, ReviewAssignment)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewComment.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .outerjoin(ReviewAccess, col(ReviewAccess.id) == ReviewComment.access_id)
        .outerjoin(Contact, col(Contact.id) == ReviewAccess.contact_id)
        .where(ReviewStage.round_id == round_.id)
    ).all()
    decisions = {}
    for stage in session.exec(select(ReviewStage).where(ReviewStage.round_id == round_.id)):
        decisions.update(latest_decisions(stage.id or 0, session=session))
    return [
        MatrixRow(
            clause_id=comment.clause_id,
            party_org_id=org.slug,
            author_name=contact.name if contact else "secretariat (recorded)",
            comment=comment.body,
            decision=d.decision.value if (d := decisions.get(assignment.id or 0)) else None,
            created_at=comment.created_at,
        )
        for comment, org, contact, assignment in rows
    ]


def _write_matrix(
    agreement: Agreement, version: AgreementVersion, round_: ReviewRound, *, env: ReviewEnv
) -> str:
    content = version_content(version)
    name = comments_matrix_name(agreement.slug, round_.number)
    env.store.write(
        name,
        render_comments_matrix(
            content,
            matrix_rows(round_, session=env.session),
            round_number=round_.number,
            version_number=version.number,
            sha256=version.sha256,
            created_at=env.now,
            language=content.agreement.primary_language,
        ),
    )
    return name


def secretariat_contacts(agreement: Agreement, *, session: Session) -> list[Contact]:
    contacts = list(
        session.exec(
            select(Contact)
            .where(
                Contact.organization_id == agreement.secretariat_id, col(Contact.active).is_(True)
            )
            .order_by(col(Contact.id))
        )
    )
    chosen = [c for c in contacts if "secretariat" in c.roles]
    return chosen or contacts


def _tell_secretariat(
    agreement: Agreement,
    version: AgreementVersion,
    round_: ReviewRound,
    stage: ReviewStage,
    outcome: RoundOutcome,
    matrix: str,
    *,
    env: ReviewEnv,
) -> None:
    context = mail_context(agreement, version, round_, stage, None, env=env)
    context.update(
        outcome=outcome.value,
        parties=[
            {**p, "decision": p["decision"] or "no_answer"}
            for p in party_table(round_, session=env.session)
        ],
        comment_count=len(matrix_rows(round_, session=env.session)),
    )
    for contact in secretariat_contacts(agreement, session=env.session):
        enqueue(
            session=env.session,
            key=f"round_closed:{round_.id}:{contact.id}",
            kind="round_closed",
            contact=contact,
            context=context,
            agreement_id=agreement.id,
            round_id=round_.id,
            attachments=[docx_attachment(matrix.rsplit("/", 1)[-1], matrix)],
        )


def party_table(round_: ReviewRound, *, session: Session) -> list[dict[str, object]]:
    """One row per party and stage: its name and latest decision (None when silent)."""
    table: list[dict[str, object]] = []
    for stage in session.exec(
        select(ReviewStage)
        .where(ReviewStage.round_id == round_.id)
        .order_by(col(ReviewStage.position))
    ):
        decisions = latest_decisions(stage.id or 0, session=session)
        comments = _comment_counts(stage.id or 0, session=session)
        for assignment, org in session.exec(
            select(ReviewAssignment, Organization)
            .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
            .where(ReviewAssignment.stage_id == stage.id)
            .order_by(col(ReviewAssignment.id))
        ):
            decision = decisions.get(assignment.id or 0)
            table.append(
                {
                    "stage": stage.kind.value,
                    "party": org.slug,
                    "organisation_name": org.name,
                    "decision": decision.decision.value if decision else None,
                    "comment_count": comments.get(assignment.id or 0, 0),
                }
            )
    return table


def _comment_counts(stage_id: int, *, session: Session) -> dict[int, int]:
    rows = session.exec(
        select(ReviewComment.assignment_id, func.count())
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewComment.assignment_id)
        .where(ReviewAssignment.stage_id == stage_id)
        .group_by(col(ReviewComment.assignment_id))
    ).all()
    return {assignment_id: count for assignment_id, count in rows}
