"""The review facts sign-off needs, read from the tables (not through the review package)."""

from sqlmodel import Session, col, select

from accord.services.agreements import version_content
from accord.services.signing.rules import Gap, LastReview, approval_gaps
from models import (
    Agreement,
    AgreementVersion,
    Organization,
    ReviewAssignment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
    StageKind,
)


def gaps_of(agreement: Agreement, version: AgreementVersion, *, session: Session) -> list[Gap]:
    """Why `version` may not go to sign-off: one gap per signatory that has not approved it."""
    signatories = list(version_content(version).agreement.signatories())
    return approval_gaps(
        signatories,
        {slug: _last_review(agreement, slug, session=session) for slug in signatories},
        version_id=version.id or 0,
        version_number=version.number,
    )


def _last_review(agreement: Agreement, slug: str, *, session: Session) -> LastReview | None:
    """The party's latest external review of this agreement, and its latest answer in it."""
    org = session.exec(select(Organization).where(Organization.slug == slug)).one()
    row = session.exec(
        select(ReviewRound, ReviewAssignment, AgreementVersion)
        .join(ReviewStage, col(ReviewStage.round_id) == ReviewRound.id)
        .join(ReviewAssignment, col(ReviewAssignment.stage_id) == ReviewStage.id)
        .join(AgreementVersion, col(AgreementVersion.id) == ReviewRound.version_id)
        .where(
            ReviewRound.agreement_id == agreement.id,
            ReviewAssignment.organization_id == org.id,
            ReviewStage.kind == StageKind.external,
        )
        .order_by(col(ReviewRound.number).desc())
    ).first()
    if row is None:
        return None
    round_, assignment, reviewed = row
    answer = session.exec(
        select(ReviewDecision)
        .where(ReviewDecision.assignment_id == assignment.id)
        .order_by(col(ReviewDecision.id).desc())
    ).first()
    decision = answer.decision if answer else None
    return LastReview(round_.number, reviewed.id or 0, reviewed.number, decision)
