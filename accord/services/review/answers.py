"""The secretariat answers each comment of a round: a response and a verdict, kept beside the
comment, printed in the comments matrix and shown to the reviewer once the round closes."""

from collections.abc import Iterable

from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.services import audit
from accord.services.agreements import find_agreement
from accord.services.env import ServiceEnv
from accord.services.review import rules
from models import (
    ReviewAnswer,
    ReviewAssignment,
    ReviewComment,
    ReviewRound,
    ReviewStage,
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
