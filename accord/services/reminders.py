"""The daily sweep: one digest per focal point, escalations to the secretariat, never twice."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from accord.services import audit
from accord.services.commitments import focal_points
from accord.services.outbox import enqueue
from accord.services.review_closing import secretariat_contacts
from accord.services.review_documents import version_content
from accord.services.review_rounds import ReviewEnv, find_version
from accord.services.working_days import add_working_days, working_days_between
from models import (
    Agreement,
    CommitmentDefinition,
    ItemStatus,
    Organization,
    OutgoingMessage,
    ReminderMark,
    TrackedCommitment,
)

OPEN = (ItemStatus.not_started, ItemStatus.in_progress, ItemStatus.overdue)


@dataclass(frozen=True)
class SweepItem:
    id: int
    key: str
    agreement_id: int
    responsible_id: int
    due: date
    activity: dict[str, str]


@dataclass
class SweepReport:
    selected: int = 0
    digests: int = 0
    escalations: int = 0
    marked_overdue: int = 0
    periodic: int = 0
    """Report requests, their reminders and expiry alerts sent by the same daily run."""
    recipients: list[str] = field(default_factory=list)


def mark_overdue(as_of: date, *, env: ReviewEnv) -> int:
    """Open items past their deadline become overdue: one audit entry per agreement lists them."""
    rows = env.session.execute(
        update(TrackedCommitment)
        .where(
            col(TrackedCommitment.status).in_([ItemStatus.not_started, ItemStatus.in_progress]),
            col(TrackedCommitment.due) < as_of,
        )
        .values(status=ItemStatus.overdue)
        .returning(col(TrackedCommitment.agreement_id), col(TrackedCommitment.key))
    ).all()
    by_agreement: dict[int, list[str]] = defaultdict(list)
    for agreement_id, key in rows:
        by_agreement[agreement_id].append(key)
    slugs = _agreement_slugs(set(by_agreement), session=env.session)
    for agreement_id, keys in sorted(by_agreement.items()):
        audit.record(
            session=env.session,
            actor=env.actor,
            action="commitments.overdue",
            subject=f"agreement:{slugs[agreement_id]}",
            data={"as_of": as_of.isoformat(), "commitments": sorted(keys)},
        )
    return len(rows)


def select_due(as_of: date, horizon: date, *, session: Session) -> list[SweepItem]:
    """Open items due by the horizon (overdue ones included): one indexed query."""
    rows = session.execute(
        sa_select(
            col(TrackedCommitment.id),
            col(TrackedCommitment.key),
            col(TrackedCommitment.agreement_id),
            col(TrackedCommitment.responsible_id),
            col(TrackedCommitment.due),
            col(CommitmentDefinition.activity),
        )
        .join(CommitmentDefinition, col(CommitmentDefinition.id) == TrackedCommitment.definition_id)
        .where(col(TrackedCommitment.status).in_(OPEN), col(TrackedCommitment.due) <= horizon)
    ).all()
    return [SweepItem(*row) for row in rows]


def send_reminders(
    as_of: date,
    *,
    due_within_days: int = 5,
    escalate_after_days: int = 14,
    env: ReviewEnv,
) -> SweepReport:
    """Digests for items due within N working days or overdue; escalations past M days.

    Working days are counted in each agreement's own country (its holidays).
    """
    session = env.session
    report = SweepReport(marked_overdue=mark_overdue(as_of, env=env))
    countries = _countries(session=session)
    horizons = {c: add_working_days(as_of, due_within_days, c) for c in set(countries.values())}
    items = [
        i
        for i in select_due(as_of, max(horizons.values(), default=as_of), session=session)
        if i.due <= horizons[countries[i.agreement_id]]
    ]
    report.selected = len(items)
    already = _marked(as_of, session=session)
    by_org: dict[int, list[SweepItem]] = defaultdict(list)
    late: dict[int, list[SweepItem]] = defaultdict(list)
    for item in items:
        by_org[item.responsible_id].append(item)
        if (as_of - item.due).days > escalate_after_days:
            late[item.agreement_id].append(item)
    marks: list[dict[str, Any]] = []
    for org_id, org_items in by_org.items():
        fresh = [i for i in org_items if (i.id, _threshold(i, as_of)) not in already]
        if fresh:
            report.digests += _digest(org_id, fresh, as_of, countries, env=env, report=report)
            marks += [
                {"tracked_id": i.id, "threshold": _threshold(i, as_of), "on_date": as_of}
                for i in fresh
            ]
    for agreement_id, late_items in late.items():
        fresh = [i for i in late_items if (i.id, "escalated") not in already]
        if fresh:
            report.escalations += _escalate(agreement_id, fresh, as_of, env=env)
            marks += [
                {"tracked_id": i.id, "threshold": "escalated", "on_date": as_of} for i in fresh
            ]
    if marks:
        session.execute(insert(ReminderMark), marks)
    return report


def _threshold(item: SweepItem, as_of: date) -> str:
    return "overdue" if item.due < as_of else "due_soon"


def _countries(*, session: Session) -> dict[int, str]:
    """Agreement id → country, for the working-day calendar of each agreement."""
    rows = session.execute(sa_select(col(Agreement.id), col(Agreement.country))).all()
    return {row[0]: row[1] for row in rows}


def _marked(as_of: date, *, session: Session) -> set[tuple[int, str]]:
    rows = session.execute(
        select(ReminderMark.tracked_id, ReminderMark.threshold).where(ReminderMark.on_date == as_of)
    ).all()
    return {(row[0], row[1]) for row in rows}


def _digest(
    org_id: int,
    items: list[SweepItem],
    as_of: date,
    countries: dict[int, str],
    *,
    env: ReviewEnv,
    report: SweepReport,
) -> int:
    org = env.session.get(Organization, org_id)
    assert org is not None
    slugs = _agreement_slugs({i.agreement_id for i in items}, session=env.session)
    due_soon = [
        {
            "agreement_id": slugs[i.agreement_id],
            "commitment_id": i.key,
            "activity": i.activity,
            "due": i.due,
            "working_days_left": working_days_between(as_of, i.due, countries[i.agreement_id]),
        }
        for i in sorted(items, key=lambda i: i.due)
        if i.due >= as_of
    ]
    overdue = [
        {
            "agreement_id": slugs[i.agreement_id],
            "commitment_id": i.key,
            "activity": i.activity,
            "due": i.due,
            "days_overdue": (as_of - i.due).days,
        }
        for i in sorted(items, key=lambda i: i.due)
        if i.due < as_of
    ]
    sent = 0
    for contact in focal_points(org_id, session=env.session):
        key = f"focal_digest:{contact.id}:{as_of.isoformat()}"
        if _exists(key, session=env.session):
            continue
        enqueue(
            session=env.session,
            key=key,
            kind="focal_digest",
            contact=contact,
            context={
                "organisation_name": org.name,
                "as_of": as_of,
                "due_soon": due_soon,
                "overdue": overdue,
            },
        )
        report.recipients.append(contact.email)
        sent += 1
    return sent


def _escalate(agreement_id: int, items: list[SweepItem], as_of: date, *, env: ReviewEnv) -> int:
    agreement = env.session.get(Agreement, agreement_id)
    assert agreement is not None
    names = {
        o.id: o.name
        for o in env.session.exec(
            select(Organization).where(col(Organization.id).in_({i.responsible_id for i in items}))
        )
    }
    rows = [
        {
            "commitment_id": i.key,
            "activity": i.activity,
            "organisation_name": names[i.responsible_id],
            "due": i.due,
            "days_overdue": (as_of - i.due).days,
        }
        for i in sorted(items, key=lambda i: i.due)
    ]
    sent = 0
    for contact in secretariat_contacts(agreement, session=env.session):
        key = f"escalation_digest:{agreement_id}:{contact.id}:{as_of.isoformat()}"
        if _exists(key, session=env.session):
            continue
        enqueue(
            session=env.session,
            key=key,
            kind="escalation_digest",
            contact=contact,
            context={
                "agreement_id": agreement.slug,
                "agreement_title": _title(agreement, session=env.session),
                "as_of": as_of,
                "items": rows,
            },
            agreement_id=agreement.id,
        )
        sent += 1
    return sent


def _title(agreement: Agreement, *, session: Session) -> dict[str, str]:
    """The title of the text in force (its latest version)."""
    return dict(version_content(find_version(agreement, None, session=session)).agreement.title)


def _agreement_slugs(ids: set[int], *, session: Session) -> dict[int, str]:
    return {
        a.id or 0: a.slug for a in session.exec(select(Agreement).where(col(Agreement.id).in_(ids)))
    }


def _exists(key: str, *, session: Session) -> bool:
    return (
        session.exec(select(OutgoingMessage.id).where(OutgoingMessage.key == key)).first()
        is not None
    )
