"""The round board: one round of one agreement as the secretariat follows it — parties ×
stages with every decision, comments by clause and activity under their printed numbers with
the secretariat's answers, delegations waiting for confirmation, e-mails that did not arrive.

A fixed number of queries whatever the round's size: a 200-party round must stay fast.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.services.agreements import load_version, version_content
from accord.source.spec import LangText, activity_numbers, numbered
from models import (
    Agreement,
    Contact,
    DelegationRequest,
    MessageStatus,
    Organization,
    OutgoingMessage,
    ReviewAccess,
    ReviewAnswer,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
    StageKind,
    StageStatus,
)

UNDELIVERED = (MessageStatus.bounced, MessageStatus.dropped, MessageStatus.failed)


@dataclass(frozen=True)
class StageView:
    id: int
    kind: StageKind
    status: StageStatus
    deadline: date


@dataclass(frozen=True)
class DecisionEntry:
    decision: str
    at: datetime
    by: str
    """The reviewer's name; empty when the secretariat recorded it from paper."""
    reason: str | None
    on_paper: bool


@dataclass
class Cell:
    """One party in one stage: its latest decision first in `history` (newest last)."""

    assignment_id: int
    required: bool
    history: list[DecisionEntry] = field(default_factory=list)

    @property
    def decision(self) -> str | None:
        return self.history[-1].decision if self.history else None


@dataclass(frozen=True)
class Bounced:
    """A review e-mail the reviewer never got."""

    message_id: int
    kind: str
    to_name: str
    to_email: str
    status: MessageStatus
    reason: str | None


@dataclass
class PartyLine:
    org_id: int
    org: str
    name: LangText
    cells: dict[int, Cell] = field(default_factory=dict)
    """Stage id → the party's cell in it."""
    comments: int = 0
    bounced: list[Bounced] = field(default_factory=list)
    reviewers: list[tuple[int, str, str]] = field(default_factory=list)
    """(contact id, name, e-mail) of those holding a live link in the open stage."""
    colleagues: list[tuple[int, str, str]] = field(default_factory=list)
    """(contact id, name, e-mail) of the party's active contacts, where an e-mail bounced:
    whom the review can go to instead."""


@dataclass(frozen=True)
class CommentView:
    id: int
    kind: str
    """`clause`, `activity` or `general`."""
    number: str
    """The number the document prints (7.3; 2.4 for an activity); empty for a general one."""
    party: LangText
    author: str
    """Empty when the secretariat entered it from paper."""
    body: str
    proposed: str | None
    at: datetime
    answer: ReviewAnswer | None


@dataclass(frozen=True)
class HeldView:
    """A delegation outside the party's known e-mail domains, waiting for the secretariat."""

    id: int
    party: LangText
    delegator: str
    name: str
    email: str
    requested_at: datetime


@dataclass(frozen=True)
class RoundBoard:
    agreement: str
    title: LangText
    number: int
    version: int
    status: str
    outcome: str | None
    opened_at: datetime
    closed_at: datetime | None
    stages: list[StageView]
    parties: list[PartyLine]
    comments: list[CommentView]
    held: list[HeldView]

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def bounced(self) -> int:
        return sum(len(p.bounced) for p in self.parties)

    def answered(self) -> int:
        return sum(1 for c in self.comments if c.answer is not None)


def round_of(agreement: Agreement, number: int, *, session: Session) -> ReviewRound:
    found = session.exec(
        select(ReviewRound).where(
            ReviewRound.agreement_id == agreement.id, ReviewRound.number == number
        )
    ).first()
    if found is None:
        raise Refusal(
            "review.no_such_round",
            "This agreement has no review round %(round)s.",
            round=number,
        )
    return found


def round_board(agreement: Agreement, number: int, *, session: Session) -> RoundBoard:
    round_ = round_of(agreement, number, session=session)
    version = load_version(round_.version_id, session=session)
    spec = version_content(version).agreement
    stages = [
        StageView(s.id or 0, s.kind, s.status, s.deadline)
        for s in session.exec(
            select(ReviewStage)
            .where(ReviewStage.round_id == round_.id)
            .order_by(col(ReviewStage.position))
        )
    ]
    parties, by_assignment = _parties(round_, session=session)
    _decisions(round_, by_assignment, session=session)
    _bounced(round_, parties, session=session)
    _colleagues([p for p in parties.values() if p.bounced], session=session)
    _reviewers(round_, by_assignment, session=session)
    clause_numbers = {item.clause.id: item.number for item in numbered(spec.clauses)}
    plan_numbers = activity_numbers(spec.objectives, spec.commitments)
    comments = _comments(round_, by_assignment, clause_numbers, plan_numbers, session=session)
    return RoundBoard(
        agreement=agreement.slug,
        title=spec.title,
        number=round_.number,
        version=version.number,
        status=round_.status.value,
        outcome=round_.outcome.value if round_.outcome else None,
        opened_at=round_.opened_at,
        closed_at=round_.closed_at,
        stages=stages,
        parties=list(parties.values()),
        comments=comments,
        held=_held(round_, session=session),
    )


def _parties(
    round_: ReviewRound, *, session: Session
) -> tuple[dict[int, PartyLine], dict[int, PartyLine]]:
    """Organisation id → its line, in the order parties were asked; and assignment id → line."""
    rows = session.exec(
        select(ReviewAssignment, Organization)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .where(ReviewStage.round_id == round_.id)
        .order_by(col(ReviewStage.position), col(ReviewAssignment.id))
    ).all()
    lines: dict[int, PartyLine] = {}
    by_assignment: dict[int, PartyLine] = {}
    for assignment, org in rows:
        line = lines.setdefault(org.id or 0, PartyLine(org.id or 0, org.slug, dict(org.name)))
        line.cells[assignment.stage_id] = Cell(assignment.id or 0, assignment.required)
        by_assignment[assignment.id or 0] = line
    return lines, by_assignment


def _decisions(
    round_: ReviewRound, by_assignment: dict[int, PartyLine], *, session: Session
) -> None:
    rows = session.exec(
        select(ReviewDecision, ReviewAssignment.stage_id, Contact.name)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewDecision.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .outerjoin(ReviewAccess, col(ReviewAccess.id) == ReviewDecision.access_id)
        .outerjoin(Contact, col(Contact.id) == ReviewAccess.contact_id)
        .where(ReviewStage.round_id == round_.id)
        .order_by(col(ReviewDecision.id))
    ).all()
    for row, stage_id, name in rows:
        line = by_assignment.get(row.assignment_id)
        if line is None:
            continue
        line.cells[stage_id].history.append(
            DecisionEntry(
                row.decision.value, row.decided_at, name or "", row.reason, row.access_id is None
            )
        )


def _bounced(round_: ReviewRound, parties: dict[int, PartyLine], *, session: Session) -> None:
    rows = session.exec(
        select(OutgoingMessage, Contact.organization_id)
        .join(Contact, col(Contact.id) == OutgoingMessage.contact_id)
        .where(
            OutgoingMessage.round_id == round_.id,
            col(OutgoingMessage.status).in_(UNDELIVERED),
        )
        .order_by(col(OutgoingMessage.id))
    ).all()
    for message, org_id in rows:
        line = parties.get(org_id)
        if line is not None:
            line.bounced.append(
                Bounced(
                    message.id or 0,
                    message.kind,
                    message.to_name,
                    message.to_email,
                    message.status,
                    message.last_error,
                )
            )


def _reviewers(
    round_: ReviewRound, by_assignment: dict[int, PartyLine], *, session: Session
) -> None:
    rows = session.exec(
        select(ReviewAccess.assignment_id, Contact)
        .join(Contact, col(Contact.id) == ReviewAccess.contact_id)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewAccess.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .where(
            ReviewStage.round_id == round_.id,
            ReviewStage.status == StageStatus.open,
            col(ReviewAccess.revoked_at).is_(None),
            col(Contact.active).is_(True),
        )
        .order_by(col(ReviewAccess.id))
    ).all()
    for assignment_id, contact in rows:
        line = by_assignment.get(assignment_id)
        entry = (contact.id or 0, contact.name, contact.email)
        if line is not None and entry not in line.reviewers:
            line.reviewers.append(entry)


def _colleagues(lines: list[PartyLine], *, session: Session) -> None:
    """Only for the parties with a bounced e-mail: one query, however large the round."""
    if not lines:
        return
    by_org = {line.org_id: line for line in lines}
    rows = session.exec(
        select(Contact)
        .where(
            col(Contact.organization_id).in_(list(by_org)),
            col(Contact.active).is_(True),
            col(Contact.delegate).is_(False),
        )
        .order_by(col(Contact.name))
    )
    for contact in rows:
        by_org[contact.organization_id].colleagues.append(
            (contact.id or 0, contact.name, contact.email)
        )


def _comments(
    round_: ReviewRound,
    by_assignment: dict[int, PartyLine],
    clause_numbers: dict[str, str],
    plan_numbers: dict[str, str],
    *,
    session: Session,
) -> list[CommentView]:
    """In the document's order: general remarks, clauses, then the plan's activities."""
    rows = session.exec(
        select(ReviewComment, Contact.name, ReviewAnswer)
        .join(ReviewAssignment, col(ReviewAssignment.id) == ReviewComment.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .outerjoin(ReviewAccess, col(ReviewAccess.id) == ReviewComment.access_id)
        .outerjoin(Contact, col(Contact.id) == ReviewAccess.contact_id)
        .outerjoin(ReviewAnswer, col(ReviewAnswer.comment_id) == ReviewComment.id)
        .where(ReviewStage.round_id == round_.id)
        .order_by(col(ReviewComment.id))
    ).all()
    clause_order = {key: i for i, key in enumerate(clause_numbers)}
    plan_order = {key: i for i, key in enumerate(plan_numbers)}
    views: list[tuple[tuple[int, int], CommentView]] = []
    for comment, author, answer in rows:
        line = by_assignment[comment.assignment_id]
        line.comments += 1
        if comment.activity_id is not None:
            kind, number = "activity", plan_numbers.get(comment.activity_id, "?")
            order = (2, plan_order.get(comment.activity_id, len(plan_order)))
        elif comment.clause_id is not None:
            kind, number = "clause", clause_numbers.get(comment.clause_id, "?")
            order = (1, clause_order.get(comment.clause_id, len(clause_order)))
        else:
            kind, number, order = "general", "", (0, 0)
        views.append(
            (
                order,
                CommentView(
                    comment.id or 0,
                    kind,
                    number,
                    line.name,
                    author or "",
                    comment.body,
                    comment.proposed_text,
                    comment.created_at,
                    answer,
                ),
            )
        )
    views.sort(key=lambda pair: pair[0])
    return [view for _, view in views]


def _held(round_: ReviewRound, *, session: Session) -> list[HeldView]:
    """Delegations of this round's open stages waiting for the secretariat, oldest first."""
    delegator = aliased(Contact)
    rows = session.exec(
        select(DelegationRequest, Organization, delegator)
        .join(ReviewAssignment, col(ReviewAssignment.id) == DelegationRequest.assignment_id)
        .join(ReviewStage, col(ReviewStage.id) == ReviewAssignment.stage_id)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .join(ReviewAccess, col(ReviewAccess.id) == DelegationRequest.delegated_by_id)
        .join(delegator, col(delegator.id) == ReviewAccess.contact_id)
        .where(
            ReviewStage.round_id == round_.id,
            ReviewStage.status == StageStatus.open,
            col(DelegationRequest.confirmed_at).is_(None),
            col(DelegationRequest.declined_at).is_(None),
        )
        .order_by(col(DelegationRequest.id))
    ).all()
    return [
        HeldView(
            row.id or 0,
            dict(org.name),
            f"{person.name} <{person.email}>",
            row.name,
            row.email,
            row.requested_at,
        )
        for row, org, person in rows
    ]
