"""The secretariat answers each comment of a round: a response and a verdict, kept beside the
comment, printed in the comments matrix and shown to the reviewer once the round closes."""

import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.services import audit
from accord.services.agreements import find_agreement, load_version, version_content
from accord.services.env import ServiceEnv
from accord.services.links import LinkNotValid, looked_up_hash
from accord.services.review import rules
from accord.source.spec import LangText, activity_numbers, numbered
from models import (
    Contact,
    Organization,
    ReviewAccess,
    ReviewAnswer,
    ReviewAssignment,
    ReviewComment,
    ReviewRound,
    ReviewStage,
    RoundStatus,
)


def answer_comment(
    slug: str,
    round_number: int,
    comment_id: int,
    response: str,
    verdict: str,
    *,
    env: ServiceEnv,
) -> ReviewAnswer:
    """Write (or rewrite) the answer to one comment of round `round_number`; audit-trailed."""
    session = env.session
    text = rules.answer_text(response)
    chosen = rules.answer_verdict(verdict)
    agreement = find_agreement(slug, session=session)
    comment = session.exec(
        select(ReviewComment)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewComment.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(ReviewRound, col(ReviewRound.id) == ReviewStage.round_id)
        .where(
            ReviewComment.id == comment_id,
            ReviewRound.agreement_id == agreement.id,
            ReviewRound.number == round_number,
        )
    ).first()
    if comment is None:
        raise Refusal(
            "review.no_such_comment",
            "Round %(round)s of this agreement has no such comment; reload the board.",
            round=round_number,
        )
    answer = session.exec(
        select(ReviewAnswer).where(ReviewAnswer.comment_id == comment_id)
    ).first() or ReviewAnswer(comment_id=comment_id, response="", verdict=chosen, answered_by="")
    replaced = bool(answer.id)
    answer.response, answer.verdict = text, chosen
    answer.answered_by, answer.answered_at = env.actor, env.now
    session.add(answer)
    session.flush()
    audit.record(
        session=session,
        actor=env.actor,
        action="review.comment_answered",
        subject=f"agreement:{slug}",
        data={
            "round": round_number,
            "comment": comment_id,
            "verdict": chosen.value,
            "response": text,
            **({"replaced": True} if replaced else {}),
        },
    )
    return answer


def answers_to(comment_ids: Iterable[int], *, session: Session) -> dict[int, ReviewAnswer]:
    """Comment id → its answer, in one query."""
    ids = list(comment_ids)
    if not ids:
        return {}
    rows = session.exec(select(ReviewAnswer).where(col(ReviewAnswer.comment_id).in_(ids)))
    return {row.comment_id: row for row in rows}


@dataclass(frozen=True)
class AnsweredComment:
    kind: str
    """`clause`, `activity` or `general`."""
    number: str
    """The number the document prints; empty for a general comment."""
    body: str
    proposed: str | None
    at: datetime
    response: str
    verdict: str


@dataclass(frozen=True)
class ClosedRoundAnswers:
    """What a reviewer's link shows once its round is closed and the secretariat answered."""

    round_number: int
    version_number: int
    title: LangText
    organisation: LangText
    contact_language: str
    comments: list[AnsweredComment]


def closed_round_answers(token: str, *, session: Session) -> ClosedRoundAnswers | None:
    """The secretariat's answers to the comments of the link's party in a closed round; None
    for a link that is not one, of an open round, or with nothing answered (the link then
    stays as expired as every other)."""
    try:
        digest = looked_up_hash(token)
    except LinkNotValid:
        return None
    row = session.execute(
        sa_select(ReviewAccess, ReviewAssignment, ReviewRound, Contact, Organization)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewAccess.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(ReviewRound, col(ReviewRound.id) == ReviewStage.round_id)
        .join(Contact, col(Contact.id) == ReviewAccess.contact_id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .where(col(ReviewAccess.token_hash) == digest)
    ).first()
    if row is None:
        return None
    access, assignment, round_, contact, org = row._tuple()
    if round_.status is not RoundStatus.closed or not contact.active or access.revoked_at:
        return None
    if not hmac.compare_digest(access.token_hash, digest):
        return None
    answered = session.exec(
        select(ReviewComment, ReviewAnswer)
        .join(ReviewAnswer, col(ReviewAnswer.comment_id) == ReviewComment.id)
        .where(ReviewComment.assignment_id == assignment.id)
        .order_by(col(ReviewComment.id))
    ).all()
    if not answered:
        return None
    version = load_version(round_.version_id, session=session)
    spec = version_content(version).agreement
    clauses = {item.clause.id: item.number for item in numbered(spec.clauses)}
    plan = activity_numbers(spec.objectives, spec.commitments)
    return ClosedRoundAnswers(
        round_number=round_.number,
        version_number=version.number,
        title=spec.title,
        organisation=dict(org.name),
        contact_language=contact.language,
        comments=[_answered(c, a, clauses, plan) for c, a in answered],
    )


def _answered(
    comment: ReviewComment, answer: ReviewAnswer, clauses: dict[str, str], plan: dict[str, str]
) -> AnsweredComment:
    if comment.activity_id is not None:
        kind, number = "activity", plan.get(comment.activity_id, "")
    elif comment.clause_id is not None:
        kind, number = "clause", clauses.get(comment.clause_id, "")
    else:
        kind, number = "general", ""
    return AnsweredComment(
        kind,
        number,
        comment.body,
        comment.proposed_text,
        comment.created_at,
        answer.response,
        answer.verdict.value,
    )
