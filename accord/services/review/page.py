"""What a reviewer's page shows: the text, what changed since their last round, their history."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.services.agreements import load_version, version_content
from accord.services.review import rules
from accord.services.review.access import AccessScope
from accord.services.working_days import working_day_end
from accord.source.spec import LangText, NumberedClause, VersionContent, numbered
from models import (
    Agreement,
    AgreementVersion,
    Contact,
    Organization,
    ReviewAccess,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
)


@dataclass(frozen=True)
class Who:
    """Who acted: a person (perhaps on behalf of the colleague who delegated to them), or the
    secretariat recording a paper answer. The page says it in the reader's language."""

    name: str
    on_behalf_of: str | None = None
    by_secretariat: bool = False


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: Who
    decision: str
    reason: str | None
    recorded_by: str | None


@dataclass(frozen=True)
class CommentEntry:
    at: datetime
    who: Who
    clause_id: str | None
    body: str
    activity_id: str | None = None
    proposed: str | None = None


@dataclass(frozen=True)
class ReviewerPage:
    scope: AccessScope
    version_number: int
    sha256: str
    content: VersionContent
    clauses: list[NumberedClause]
    previous: VersionContent | None
    """The version this organisation last reviewed, for the redline; None on its first round."""
    previous_number: int | None
    decisions: list[HistoryEntry]
    comments: list[CommentEntry]
    colleagues: list[Contact]
    closes_at: datetime
    """The end of the deadline's working day in the agreement's country."""
    late: Refusal | None
    """Why nothing more is accepted (the deadline passed, the tick has not closed the stage
    yet); None while decisions, comments and delegations are still taken."""
    others: list[tuple[LangText, CommentEntry]] = field(default_factory=list)
    """The other parties' comments of this round (organisation name, comment), when the
    agreement says `review.comments_visible: parties`; else empty."""


def reviewer_page(scope: AccessScope, *, session: Session, now: datetime) -> ReviewerPage:
    version = load_version(scope.round.version_id, session=session)
    content = version_content(version)
    previous = _last_reviewed(scope, session=session)
    agreement = session.get(Agreement, scope.round.agreement_id)
    assert agreement is not None
    closes_at = working_day_end(scope.stage.deadline, agreement.country)
    return ReviewerPage(
        scope=scope,
        version_number=version.number,
        sha256=version.sha256,
        content=content,
        clauses=list(numbered(content.agreement.clauses)),
        previous=version_content(previous) if previous else None,
        previous_number=previous.number if previous else None,
        decisions=_decisions(scope, session=session),
        comments=_comments(scope, session=session),
        others=(
            _others(scope, session=session)
            if content.agreement.review.comments_visible == "parties"
            else []
        ),
        colleagues=list(
            session.exec(
                select(Contact)
                .where(
                    Contact.organization_id == scope.organization.id,
                    col(Contact.active).is_(True),
                    col(Contact.delegate).is_(False),
                    Contact.id != scope.contact.id,
                )
                .order_by(col(Contact.name))
            )
        ),
        closes_at=closes_at,
        late=rules.late(now, closes_at, deadline=scope.stage.deadline, field="decision"),
    )


def _others(scope: AccessScope, *, session: Session) -> list[tuple[LangText, CommentEntry]]:
    rows = session.exec(
        select(ReviewComment, Organization)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewComment.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .where(ReviewStage.round_id == scope.round.id)
        .where(ReviewComment.assignment_id != scope.assignment.id)
        .order_by(col(ReviewComment.id))
    )
    return [
        (
            dict(org.name),
            CommentEntry(
                r.created_at,
                _who(r.access_id, session=session),
                r.clause_id,
                r.body,
                r.activity_id,
                r.proposed_text,
            ),
        )
        for r, org in rows
    ]


def _last_reviewed(scope: AccessScope, *, session: Session) -> AgreementVersion | None:
    """The version of this agreement's latest earlier round in which this party was asked."""
    return session.exec(
        select(AgreementVersion)
        .join(ReviewRound, col(ReviewRound.version_id) == AgreementVersion.id)
        .join(ReviewStage, col(ReviewStage.round_id) == ReviewRound.id)
        .join(ReviewAssignment, col(ReviewAssignment.stage_id) == ReviewStage.id)
        .where(
            ReviewRound.agreement_id == scope.round.agreement_id,
            ReviewRound.number < scope.round.number,
            ReviewAssignment.organization_id == scope.organization.id,
            AgreementVersion.id != scope.round.version_id,
        )
        .order_by(col(ReviewRound.number).desc())
    ).first()


def _who(access_id: int | None, *, session: Session) -> Who:
    """The contact, and who delegated to them: the record keeps both names."""
    access = session.get(ReviewAccess, access_id) if access_id else None
    contact = session.get(Contact, access.contact_id) if access else None
    if access is None or contact is None:
        return Who(name="", by_secretariat=True)
    if access.delegated_by_id:
        original = session.get(ReviewAccess, access.delegated_by_id)
        by = session.get(Contact, original.contact_id) if original else None
        if by is not None:
            return Who(name=contact.name, on_behalf_of=by.name)
    return Who(name=contact.name)


def _decisions(scope: AccessScope, *, session: Session) -> list[HistoryEntry]:
    rows = session.exec(
        select(ReviewDecision)
        .where(ReviewDecision.assignment_id == scope.assignment.id)
        .order_by(col(ReviewDecision.id))
    )
    return [
        HistoryEntry(
            r.decided_at,
            _who(r.access_id, session=session),
            r.decision.value,
            r.reason,
            r.recorded_by,
        )
        for r in rows
    ]


def _comments(scope: AccessScope, *, session: Session) -> list[CommentEntry]:
    rows = session.exec(
        select(ReviewComment)
        .where(ReviewComment.assignment_id == scope.assignment.id)
        .order_by(col(ReviewComment.id))
    )
    return [
        CommentEntry(
            r.created_at,
            _who(r.access_id, session=session),
            r.clause_id,
            r.body,
            r.activity_id,
            r.proposed_text,
        )
        for r in rows
    ]
