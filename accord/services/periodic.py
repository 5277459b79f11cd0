"""Calendar duties of agreements in force: periodic progress reports and the end of the term."""

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlmodel import Session, col, select

from accord.services.commitments import focal_points
from accord.services.outbox import enqueue
from accord.services.review_closing import secretariat_contacts
from accord.services.review_documents import version_content
from accord.services.review_rounds import ReviewEnv
from accord.source.spec import AgreementSpec
from models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Organization,
    OutgoingMessage,
    ProgressUpdate,
    SignOff,
    SignOffStatus,
    TrackedCommitment,
)

EXPIRY_WARNINGS = (90, 30, 7)
"""Days before the end of the term at which the secretariat is alerted, once each."""
REMIND_EVERY_DAYS = 7


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_ends(effective: date, every_months: int, as_of: date) -> list[date]:
    """Last days of the reporting periods that ended by `as_of`."""
    ends, k = [], 1
    while (
        end := date.fromordinal(add_months(effective, k * every_months).toordinal() - 1)
    ) < as_of:
        ends.append(end)
        k += 1
    return ends


def report_due(period_end: date, day: int) -> date:
    """Reports are due by `day` of the month after the period."""
    first = add_months(period_end.replace(day=1), 1)
    return first.replace(day=min(day, calendar.monthrange(first.year, first.month)[1]))


def expiry_date(spec: AgreementSpec, effective: date) -> date | None:
    if spec.term is None:
        return None
    return spec.term.until or (
        add_months(effective, 12 * spec.term.years) if spec.term.years else None
    )


@dataclass(frozen=True)
class InForce:
    agreement: Agreement
    spec: AgreementSpec
    effective: date


def in_force(*, session: Session) -> list[InForce]:
    rows = session.exec(
        select(Agreement, SignOff, AgreementVersion)
        .join(SignOff, col(SignOff.agreement_id) == Agreement.id)
        .join(AgreementVersion, col(AgreementVersion.id) == SignOff.version_id)
        .where(
            Agreement.status == AgreementStatus.in_force, SignOff.status == SignOffStatus.completed
        )
        .order_by(col(SignOff.id))
    ).all()
    latest = {
        a.id: InForce(a, version_content(v).agreement, s.effective_date or as_date(s))
        for a, s, v in rows
    }
    return list(latest.values())


def as_date(signoff: SignOff) -> date:
    return (signoff.closed_at or signoff.opened_at).date()


def periodic_duties(as_of: date, *, env: ReviewEnv) -> int:
    """Report requests and reminders to focal points, expiry alerts to the secretariat."""
    sent = 0
    for item in in_force(session=env.session):
        sent += _report_requests(item, as_of, env=env) + _expiry_alert(item, as_of, env=env)
    return sent


def _report_requests(item: InForce, as_of: date, *, env: ReviewEnv) -> int:
    if item.spec.reporting is None:
        return 0
    ends = period_ends(item.effective, item.spec.reporting.every_months, as_of)
    if not ends:
        return 0
    end = ends[-1]
    sent = 0
    for org_id in _responsible(item.agreement, session=env.session):
        if _reported_since(item.agreement, org_id, end, session=env.session):
            continue
        org = env.session.get(Organization, org_id)
        for contact in focal_points(org_id, session=env.session):
            first = f"report_request:{item.agreement.id}:{end}:{contact.id}"
            key = (
                first
                if not _exists(first, session=env.session)
                else (f"{first}:{as_of}" if (as_of - end).days % REMIND_EVERY_DAYS == 0 else "")
            )
            if key and not _exists(key, session=env.session):
                enqueue(
                    session=env.session,
                    key=key,
                    kind="report_request",
                    contact=contact,
                    context={
                        "organisation_name": org.name if org else {},
                        "agreement_title": item.spec.title,
                        "agreement_id": item.agreement.slug,
                        "period_end": end,
                        "report_by": report_due(end, item.spec.reporting.day),
                        "link_url": env.base_url,
                        "reminder": key != first,
                    },
                    agreement_id=item.agreement.id,
                )
                sent += 1
    return sent


def _expiry_alert(item: InForce, as_of: date, *, env: ReviewEnv) -> int:
    ends = expiry_date(item.spec, item.effective)
    if ends is None:
        return 0
    days_left = (ends - as_of).days
    crossed = [w for w in EXPIRY_WARNINGS if 0 <= days_left <= w]
    if not crossed:
        return 0
    sent = 0
    for contact in secretariat_contacts(item.agreement, session=env.session):
        key = f"expiry_alert:{item.agreement.id}:{min(crossed)}:{contact.id}"
        if not _exists(key, session=env.session):
            enqueue(
                session=env.session,
                key=key,
                kind="expiry_alert",
                contact=contact,
                context={
                    "agreement_title": item.spec.title,
                    "agreement_id": item.agreement.slug,
                    "expires_on": ends,
                    "days_left": days_left,
                },
                agreement_id=item.agreement.id,
            )
            sent += 1
    return sent


def _responsible(agreement: Agreement, *, session: Session) -> list[int]:
    return sorted(
        set(
            session.exec(
                select(TrackedCommitment.responsible_id).where(
                    TrackedCommitment.agreement_id == agreement.id
                )
            )
        )
    )


def _reported_since(agreement: Agreement, org_id: int, end: date, *, session: Session) -> bool:
    update = session.exec(
        select(ProgressUpdate.id)
        .join(TrackedCommitment, col(TrackedCommitment.id) == ProgressUpdate.tracked_id)
        .where(
            TrackedCommitment.agreement_id == agreement.id,
            TrackedCommitment.responsible_id == org_id,
            col(ProgressUpdate.created_at) > datetime.combine(end, time.max, tzinfo=UTC),
        )
    ).first()
    return update is not None


def _exists(key: str, *, session: Session) -> bool:
    return (
        session.exec(select(OutgoingMessage.id).where(OutgoingMessage.key == key)).first()
        is not None
    )
