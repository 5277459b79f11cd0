"""What the secretariat hears from a round: changes requested at once, and the round's end."""

from sqlmodel import select

from accord.mail.messages import ChangesRequested, PartyAnswer, RoundClosed
from accord.services.agreements import load_version, version_content
from accord.services.env import ServiceEnv
from accord.services.mail_queue import docx_attachment, enqueue
from accord.services.recipients import secretariat_contacts
from accord.services.review.matrix import matrix_rows, party_table
from accord.source.spec import activity_numbers, numbered
from models import (
    Agreement,
    Organization,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
    RoundOutcome,
)


def in_document_order(numbers: dict[str, str], ids: set[str]) -> tuple[str, ...]:
    """The numbers of `ids`, in the order of `numbers` (the document's); ids it lacks dropped."""
    return tuple(number for key, number in numbers.items() if key in ids)


def alert_changes_requested(
    round_: ReviewRound,
    assignment: ReviewAssignment,
    org: Organization,
    *,
    person: str,
    row: ReviewDecision,
    env: ServiceEnv,
) -> None:
    """The secretariat hears of a request for changes at once, not when the round ends."""
    session = env.session
    agreement = session.get(Agreement, round_.agreement_id)
    assert agreement is not None
    version = load_version(round_.version_id, session=session)
    content = version_content(version)
    comments = session.exec(
        select(ReviewComment.clause_id, ReviewComment.activity_id).where(
            ReviewComment.assignment_id == assignment.id
        )
    ).all()
    clause_numbers = {item.clause.id: item.number for item in numbered(content.agreement.clauses)}
    plan_numbers = activity_numbers(content.agreement.objectives, content.agreement.commitments)
    message = ChangesRequested(
        reviewer_name=person,
        organisation_name=org.name,
        agreement_title=content.agreement.title,
        version_number=version.number,
        round_number=round_.number,
        reason=row.reason or "",
        clause_numbers=in_document_order(clause_numbers, {c for c, _ in comments if c}),
        activity_numbers=in_document_order(plan_numbers, {a for _, a in comments if a}),
    )
    for contact in secretariat_contacts(agreement, session=session):
        enqueue(
            message,
            session=session,
            key=f"changes_requested:{row.id}:{contact.id}",
            contact=contact,
            agreement_id=agreement.id,
            round_id=round_.id,
        )


def tell_round_closed(
    agreement: Agreement,
    round_: ReviewRound,
    outcome: RoundOutcome,
    matrix: str,
    *,
    env: ServiceEnv,
) -> None:
    """Every secretariat contact gets the outcome, each party's answer and the matrix."""
    version = load_version(round_.version_id, session=env.session)
    message = RoundClosed(
        agreement_title=version_content(version).agreement.title,
        version_number=version.number,
        round_number=round_.number,
        outcome=outcome.value,
        parties=tuple(
            PartyAnswer(p.organisation_name, p.decision or "no_answer", p.comment_count)
            for p in party_table(round_, session=env.session)
        ),
        comment_count=len(matrix_rows(round_, session=env.session)),
    )
    for contact in secretariat_contacts(agreement, session=env.session):
        enqueue(
            message,
            session=env.session,
            key=f"round_closed:{round_.id}:{contact.id}",
            contact=contact,
            agreement_id=agreement.id,
            round_id=round_.id,
            attachments=[docx_attachment(matrix)],
        )
