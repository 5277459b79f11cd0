"""What a secretariat's home page shows: counts and short lists over all its agreements,
each one indexed query, so the page stays fast with thousands of agreements.

Every query starts from the secretariat's agreements (`agreement.secretariat_id`, indexed)
and reads only what the page prints: open rounds with answers received and expected, sign-offs
waiting and on whom, commitments overdue and due within the reporting window, bounced
e-mails and the latest entries of the audit trail about its agreements and staff.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, distinct, func, literal
from sqlmodel import Session, col, select

from accord.services.working_days import working_days_between
from accord.source.spec import VersionContent
from models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    AuditEvent,
    ItemStatus,
    MessageStatus,
    Organization,
    OutgoingMessage,
    ReviewAssignment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
    RoundStatus,
    Signature,
    SignatureStatus,
    SignOff,
    SignOffStatus,
    StaffAccount,
    StageStatus,
    TrackedCommitment,
)

REPORTING_WINDOW = timedelta(days=30)
"""Commitments due within this many days are listed as coming due: a monthly report's period."""
SHORT_LIST = 10
"""Rows each list shows; the counts say how many there are in all."""
OPEN_ITEMS = (ItemStatus.not_started, ItemStatus.in_progress, ItemStatus.overdue)
BOUNCED = (MessageStatus.bounced, MessageStatus.dropped)


@dataclass(frozen=True)
class StatusCount:
    status: AgreementStatus
    count: int


@dataclass(frozen=True)
class AgreementLine:
    slug: str
    kind: str
    country: str
    status: AgreementStatus
    title: dict[str, str]


@dataclass(frozen=True)
class OpenRound:
    slug: str
    number: int
    answered: int
    expected: int
    deadline: date
    working_days_left: int
    """0 = due today; negative once the deadline has passed and the round awaits its tick."""


@dataclass(frozen=True)
class WaitingSignOff:
    slug: str
    waiting_on: list[dict[str, str]]
    """The names of the organisations whose signature is pending."""
    signed: int
    expected: int


@dataclass(frozen=True)
class CommitmentLine:
    slug: str
    key: str
    due: date
    responsible: dict[str, str]


@dataclass(frozen=True)
class Commitments:
    overdue: int
    due_soon: int
    window_end: date
    overdue_items: list[CommitmentLine]
    due_soon_items: list[CommitmentLine]


@dataclass(frozen=True)
class Bounce:
    slug: str
    to_name: str
    to_email: str
    subject: str
    status: str
    at: datetime


@dataclass(frozen=True)
class Activity:
    at: datetime
    actor: str
    action: str
    subject: str
    agreement: str | None = None
    """The agreement's id when the entry is about one (its page's address)."""
    title: dict[str, str] | None = None
    """That agreement's current title: people read titles, not ids."""


@dataclass(frozen=True)
class Overview:
    by_status: list[StatusCount]
    total: int
    recent: list[AgreementLine]
    rounds: list[OpenRound]
    open_rounds: int
    sign_offs: list[WaitingSignOff]
    commitments: Commitments
    bounces: list[Bounce]
    activity: list[Activity]


def secretariat_overview(secretariat_id: int, *, session: Session, now: datetime) -> Overview:
    """Everything the home page shows about one secretariat."""
    today = now.date()
    by_status, total, recent = _agreements(secretariat_id, session=session)
    rounds, open_rounds = open_rounds_of(secretariat_id, session=session, today=today)
    return Overview(
        by_status=by_status,
        total=total,
        recent=recent,
        rounds=rounds,
        open_rounds=open_rounds,
        sign_offs=waiting_sign_offs(secretariat_id, session=session),
        commitments=commitments_due(secretariat_id, session=session, today=today),
        bounces=bounced_mail(secretariat_id, session=session),
        activity=recent_activity(secretariat_id, session=session),
    )


def _agreements(
    secretariat_id: int, *, session: Session
) -> tuple[list[StatusCount], int, list[AgreementLine]]:
    """Agreements by status and the latest ones of one secretariat."""
    rows = session.exec(
        select(Agreement.status, func.count())
        .where(Agreement.secretariat_id == secretariat_id)
        .group_by(Agreement.status)
    ).all()
    counts = {status: count for status, count in rows}
    by_status = [StatusCount(s, counts[s]) for s in AgreementStatus if counts.get(s)]
    recent = session.exec(
        select(Agreement)
        .where(Agreement.secretariat_id == secretariat_id)
        .order_by(col(Agreement.id).desc())
        .limit(20)
    ).all()
    return (
        by_status,
        sum(counts.values()),
        [
            AgreementLine(a.slug, a.kind, a.country, a.status, t)
            for a, t in zip(
                recent, titles([a.id or 0 for a in recent], session=session), strict=True
            )
        ],
    )


def open_rounds_of(
    secretariat_id: int, *, session: Session, today: date
) -> tuple[list[OpenRound], int]:
    """Open rounds, the nearest deadline first: parties that answered in the open stage out of
    those asked, and the working days left in the agreement's country."""
    answered = (
        select(distinct(col(ReviewDecision.assignment_id)).label("assignment_id"))
        .join(ReviewAssignment, col(ReviewAssignment.id) == col(ReviewDecision.assignment_id))
        .join(ReviewStage, col(ReviewStage.id) == col(ReviewAssignment.stage_id))
        .join(ReviewRound, col(ReviewRound.id) == col(ReviewStage.round_id))
        .join(Agreement, col(Agreement.id) == col(ReviewRound.agreement_id))
        .where(
            Agreement.secretariat_id == secretariat_id,
            ReviewRound.status == RoundStatus.open,
            ReviewStage.status == StageStatus.open,
        )
        .subquery()
    )
    rows = session.exec(
        select(  # type: ignore[call-overload]
            col(Agreement.slug),
            col(Agreement.country),
            col(ReviewRound.number),
            col(ReviewStage.deadline),
            func.count(col(ReviewAssignment.id)),
            func.count(answered.c.assignment_id),
        )
        .join(ReviewRound, col(ReviewRound.agreement_id) == col(Agreement.id))
        .join(ReviewStage, col(ReviewStage.round_id) == col(ReviewRound.id))
        .join(ReviewAssignment, col(ReviewAssignment.stage_id) == col(ReviewStage.id))
        .outerjoin(answered, answered.c.assignment_id == col(ReviewAssignment.id))
        .where(
            Agreement.secretariat_id == secretariat_id,
            ReviewRound.status == RoundStatus.open,
            ReviewStage.status == StageStatus.open,
        )
        .group_by(
            col(ReviewRound.id),
            col(Agreement.slug),
            col(Agreement.country),
            col(ReviewRound.number),
            col(ReviewStage.deadline),
        )
        .order_by(col(ReviewStage.deadline), col(Agreement.slug))
        .limit(SHORT_LIST)
    ).all()
    count = session.exec(
        select(func.count())
        .select_from(ReviewRound)
        .join(Agreement, col(Agreement.id) == col(ReviewRound.agreement_id))
        .where(Agreement.secretariat_id == secretariat_id, ReviewRound.status == RoundStatus.open)
    ).one()
    return [
        OpenRound(
            slug,
            number,
            answered_count,
            expected,
            deadline,
            working_days_between(today, deadline, country),
        )
        for slug, country, number, deadline, expected, answered_count in rows
    ], count


def waiting_sign_offs(secretariat_id: int, *, session: Session) -> list[WaitingSignOff]:
    """Open sign-offs and the organisations whose signature they wait for."""
    rows = session.exec(
        select(SignOff.id, Agreement.slug, Signature.status, Organization.name)
        .join(Agreement, col(Agreement.id) == col(SignOff.agreement_id))
        .join(Signature, col(Signature.sign_off_id) == col(SignOff.id))
        .join(Organization, col(Organization.id) == col(Signature.organization_id))
        .where(Agreement.secretariat_id == secretariat_id, SignOff.status == SignOffStatus.open)
        .order_by(col(SignOff.id), col(Signature.id))
        .limit(SHORT_LIST * 20)
    ).all()
    found: dict[int, WaitingSignOff] = {}
    for sign_off_id, slug, status, name in rows:
        line = found.setdefault(sign_off_id or 0, WaitingSignOff(slug, [], 0, 0))
        signed = status is SignatureStatus.signed
        found[sign_off_id or 0] = WaitingSignOff(
            slug,
            line.waiting_on + ([] if signed else [dict(name)]),
            line.signed + signed,
            line.expected + 1,
        )
    return list(found.values())[:SHORT_LIST]


def commitments_due(secretariat_id: int, *, session: Session, today: date) -> Commitments:
    """Open commitments past their due day, and those due within the reporting window."""
    window_end = today + REPORTING_WINDOW
    ours = col(TrackedCommitment.agreement_id).in_(
        select(Agreement.id).where(Agreement.secretariat_id == secretariat_id)
    )
    overdue = col(TrackedCommitment.due) < today
    soon = (col(TrackedCommitment.due) >= today) & (col(TrackedCommitment.due) <= window_end)
    counts = session.exec(
        select(
            func.count().filter(overdue),
            func.count().filter(soon),
        )
        .select_from(TrackedCommitment)
        .where(
            ours,
            col(TrackedCommitment.status).in_(OPEN_ITEMS),
            col(TrackedCommitment.due) <= window_end,
        )
    ).one()

    def items(condition: ColumnElement[bool]) -> list[CommitmentLine]:
        rows = session.exec(
            select(
                col(Agreement.slug),
                col(TrackedCommitment.key),
                col(TrackedCommitment.due),
                col(Organization.name),
            )
            .join(Agreement, col(Agreement.id) == col(TrackedCommitment.agreement_id))
            .join(Organization, col(Organization.id) == col(TrackedCommitment.responsible_id))
            .where(
                Agreement.secretariat_id == secretariat_id,
                col(TrackedCommitment.status).in_(OPEN_ITEMS),
                condition,
            )
            .order_by(col(TrackedCommitment.due), col(TrackedCommitment.id))
            .limit(SHORT_LIST)
        ).all()
        return [CommitmentLine(slug, key, due, dict(name)) for slug, key, due, name in rows]

    return Commitments(
        overdue=counts[0] or 0,
        due_soon=counts[1] or 0,
        window_end=window_end,
        overdue_items=items(overdue),
        due_soon_items=items(soon),
    )


def bounced_mail(secretariat_id: int, *, session: Session) -> list[Bounce]:
    """E-mails about the secretariat's agreements that bounced or were dropped, latest first."""
    rows = session.exec(
        select(OutgoingMessage, Agreement.slug)
        .join(Agreement, col(Agreement.id) == col(OutgoingMessage.agreement_id))
        .where(
            Agreement.secretariat_id == secretariat_id,
            col(OutgoingMessage.status).in_(BOUNCED),
        )
        .order_by(col(OutgoingMessage.id).desc())
        .limit(SHORT_LIST)
    ).all()
    return [
        Bounce(slug, m.to_name, m.to_email, m.subject, m.status.value, m.sent_at or m.created_at)
        for m, slug in rows
    ]


def recent_activity(secretariat_id: int, *, session: Session) -> list[Activity]:
    """The latest audit entries about the secretariat's agreements or its staff accounts."""
    subjects = select(literal("agreement:") + col(Agreement.slug)).where(
        Agreement.secretariat_id == secretariat_id
    )
    staff = select(literal("staff:") + col(StaffAccount.email)).where(
        StaffAccount.secretariat_id == secretariat_id
    )
    rows = session.exec(
        select(AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.subject)
        .where(col(AuditEvent.subject).in_(subjects.union_all(staff)))
        .order_by(col(AuditEvent.seq).desc())
        .limit(SHORT_LIST)
    ).all()
    slugs = {s.removeprefix("agreement:") for *_, s in rows if s.startswith("agreement:")}
    ids = dict(
        session.exec(
            select(Agreement.slug, Agreement.id).where(col(Agreement.slug).in_(slugs))
        ).all()
    )
    named = dict(zip(ids, titles([ids[slug] or 0 for slug in ids], session=session), strict=True))
    return [
        Activity(at, actor, action, subject, slug, named.get(slug))
        if (slug := subject.removeprefix("agreement:")) in named
        else Activity(at, actor, action, subject)
        for at, actor, action, subject in rows
    ]


def titles(agreement_ids: list[int], *, session: Session) -> list[dict[str, str]]:
    """The current title of each agreement, in order; read from the text only once per hash."""
    latest = (
        select(AgreementVersion.agreement_id, func.max(AgreementVersion.number).label("n"))
        .where(col(AgreementVersion.agreement_id).in_(agreement_ids))
        .group_by(col(AgreementVersion.agreement_id))
        .subquery()
    )
    hashes = dict(
        session.exec(
            select(AgreementVersion.agreement_id, AgreementVersion.sha256).join(
                latest,
                (col(AgreementVersion.agreement_id) == latest.c.agreement_id)
                & (col(AgreementVersion.number) == latest.c.n),
            )
        ).all()
    )
    missing = [sha for sha in hashes.values() if sha not in _TITLES]
    if missing:
        for sha, content in session.exec(
            select(AgreementVersion.sha256, AgreementVersion.content).where(
                col(AgreementVersion.sha256).in_(missing)
            )
        ):
            if sha not in _TITLES:  # versions share a text: read it once
                _remember(sha, dict(VersionContent.model_validate_json(content).agreement.title))
    return [dict(_TITLES.get(hashes.get(i, ""), {})) for i in agreement_ids]


_TITLES: dict[str, dict[str, str]] = {}
_MAX_TITLES = 20_000


def _remember(sha256: str, title: dict[str, str]) -> None:
    if len(_TITLES) >= _MAX_TITLES:
        _TITLES.clear()
    _TITLES[sha256] = title
