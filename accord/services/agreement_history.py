"""What the workspace's agreement page shows of one agreement: its versions with who drafted
them, its outline with the numbers the document prints, its audit timeline, its review
rounds and sign-offs. A handful of indexed queries; only the latest version's text is read."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from accord.services.agreements import version_content
from accord.source.spec import VersionContent, numbered, numbered_plan
from models import (
    Agreement,
    AgreementVersion,
    AuditEvent,
    ReviewRound,
    RoundOutcome,
    RoundStatus,
    SignOff,
    SignOffStatus,
)

TIMELINE = 200
"""Audit entries the page lists, newest first (the CLI's audit export has them all)."""


@dataclass(frozen=True)
class VersionRow:
    number: int
    created_at: datetime
    sha256: str
    author: str | None
    """The actor of the audit entry that recorded it ("staff:…", "cli:…")."""


@dataclass(frozen=True)
class OutlineRow:
    number: str
    depth: int
    kind: str
    """"clause", "objective" or "activity"."""
    title: dict[str, str]
    """A clause's title, or its text when untitled; an objective's title; an activity."""


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    action: str
    data: dict[str, object]


@dataclass(frozen=True)
class RoundRow:
    number: int
    version: int
    status: RoundStatus
    outcome: RoundOutcome | None
    opened_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class SignOffRow:
    version: int
    status: SignOffStatus
    opened_at: datetime
    closed_at: datetime | None
    effective_date: date | None


@dataclass(frozen=True)
class AgreementHistory:
    versions: list[VersionRow]
    outline: list[OutlineRow]
    timeline: list[TimelineEntry]
    rounds: list[RoundRow]
    signoffs: list[SignOffRow]
    title: dict[str, str]
    languages: tuple[str, ...]


def agreement_history(agreement: Agreement, *, session: Session) -> AgreementHistory:
    subject = f"agreement:{agreement.slug}"
    versions = list(
        session.exec(
            select(AgreementVersion)
            .options(defer(AgreementVersion.content))  # type: ignore[arg-type]
            .where(AgreementVersion.agreement_id == agreement.id)
            .order_by(col(AgreementVersion.number))
        )
    )
    events = list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.subject == subject)
            .order_by(col(AuditEvent.seq).desc())
            .limit(TIMELINE)
        )
    )
    numbers = {v.id: v.number for v in versions}
    authors = _authors(subject, session=session)
    latest = version_content(versions[-1]) if versions else None
    return AgreementHistory(
        versions=[
            VersionRow(v.number, v.created_at, v.sha256, authors.get(v.number)) for v in versions
        ],
        outline=_outline(latest) if latest else [],
        timeline=[TimelineEntry(e.at, e.actor, e.action, dict(e.data)) for e in events],
        rounds=[
            RoundRow(
                r.number,
                numbers.get(r.version_id, 0),
                r.status,
                r.outcome,
                r.opened_at,
                r.closed_at,
            )
            for r in session.exec(
                select(ReviewRound)
                .where(ReviewRound.agreement_id == agreement.id)
                .order_by(col(ReviewRound.number))
            )
        ],
        signoffs=[
            SignOffRow(
                numbers.get(s.version_id, 0), s.status, s.opened_at, s.closed_at, s.effective_date
            )
            for s in session.exec(
                select(SignOff)
                .where(SignOff.agreement_id == agreement.id)
                .order_by(col(SignOff.id))
            )
        ],
        title=dict(latest.agreement.title) if latest else {},
        languages=tuple(latest.agreement.languages) if latest else tuple(agreement.languages),
    )


def _authors(subject: str, *, session: Session) -> dict[int, str]:
    """Version number → who recorded it, from the trail's `version.created` entries."""
    found: dict[int, str] = {}
    for actor, data in session.exec(
        select(AuditEvent.actor, AuditEvent.data).where(
            AuditEvent.subject == subject, AuditEvent.action == "version.created"
        )
    ):
        number = data.get("number") if isinstance(data, dict) else None
        if isinstance(number, int):
            found[number] = actor
    return found


def _outline(content: VersionContent) -> list[OutlineRow]:
    agreement = content.agreement
    rows = [
        OutlineRow(
            item.number,
            item.depth,
            "clause",
            dict(item.clause.title) if item.clause.title else dict(item.clause.text),
        )
        for item in numbered(agreement.clauses)
    ]
    for group in numbered_plan(agreement.objectives, agreement.commitments):
        if group.objective is not None and group.number is not None:
            rows.append(OutlineRow(group.number, 0, "objective", dict(group.objective.title)))
        rows.extend(
            OutlineRow(
                item.number, 1 if group.number else 0, "activity", dict(item.commitment.activity)
            )
            for item in group.activities
        )
    return rows
