"""What the parties of a round said: one row per party and stage, and the comments matrix."""

from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from accord.documents.comments_matrix_docx import MatrixRow, render_comments_matrix
from accord.services.agreements import load_version, version_content
from accord.services.env import ServiceEnv
from accord.source.spec import LangText
from models import (
    Agreement,
    Contact,
    Organization,
    ReviewAccess,
    ReviewAnswer,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
)

RECORDED = "secretariat (recorded)"
"""The author of a comment the secretariat entered from paper, as the matrix prints it."""


def comments_matrix_name(slug: str, round_number: int) -> str:
    return f"{slug}/{slug}-round-{round_number}-comments.docx"


@dataclass(frozen=True)
class PartyRow:
    stage: str
    party: str
    organisation_name: LangText
    decision: str | None
    """The latest decision; None while the party is silent."""
    comment_count: int


def _latest_by_assignment(round_: ReviewRound, *, session: Session) -> dict[int, ReviewDecision]:
    rows = session.exec(
        select(ReviewDecision)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewDecision.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .where(ReviewStage.round_id == round_.id)
        .order_by(col(ReviewDecision.id))
    ).all()
    return {row.assignment_id: row for row in rows}


def party_table(round_: ReviewRound, *, session: Session) -> list[PartyRow]:
    """One row per party and stage, in stage order: its name and latest decision."""
    decisions = _latest_by_assignment(round_, session=session)
    comments = dict(
        session.exec(
            select(ReviewComment.assignment_id, func.count())
            .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewComment.assignment_id)
            .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
            .where(ReviewStage.round_id == round_.id)
            .group_by(col(ReviewComment.assignment_id))
        ).all()
    )
    rows = session.exec(
        select(ReviewStage, ReviewAssignment, Organization)
        .join(ReviewAssignment, col(ReviewAssignment.stage_id) == ReviewStage.id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .where(ReviewStage.round_id == round_.id)
        .order_by(col(ReviewStage.position), col(ReviewAssignment.id))
    ).all()
    return [
        PartyRow(
            stage=stage.kind.value,
            party=org.slug,
            organisation_name=org.name,
            decision=d.decision.value if (d := decisions.get(assignment.id or 0)) else None,
            comment_count=comments.get(assignment.id or 0, 0),
        )
        for stage, assignment, org in rows
    ]


def matrix_rows(round_: ReviewRound, *, session: Session) -> list[MatrixRow]:
    rows = (
        session.execute(
            sa_select(ReviewComment, Organization, Contact, ReviewAssignment, ReviewAnswer)
            .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewComment.assignment_id)
            .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
            .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
            .outerjoin(ReviewAccess, col(ReviewAccess.id) == ReviewComment.access_id)
            .outerjoin(Contact, col(Contact.id) == ReviewAccess.contact_id)
            .outerjoin(ReviewAnswer, col(ReviewAnswer.comment_id) == ReviewComment.id)
            .where(col(ReviewStage.round_id) == round_.id)
        )
        .tuples()
        .all()
    )
    decisions = _latest_by_assignment(round_, session=session)
    return [
        MatrixRow(
            clause_id=comment.clause_id,
            party_org_id=org.slug,
            author_name=contact.name if contact else RECORDED,
            comment=comment.body,
            decision=d.decision.value if (d := decisions.get(assignment.id or 0)) else None,
            created_at=comment.created_at,
            activity_id=comment.activity_id,
            proposed_text=comment.proposed_text,
            response=answer.response if answer else None,
            verdict=answer.verdict.value if answer else None,
        )
        for comment, org, contact, assignment, answer in rows
    ]


def write_matrix(agreement: Agreement, round_: ReviewRound, *, env: ServiceEnv) -> str:
    """The round's comments matrix as DOCX, in the agreement's primary language."""
    version = load_version(round_.version_id, session=env.session)
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
