"""The daily sweep: one digest per focal point, escalations to the secretariat, never twice."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from accord.mail.messages import DueSoon, Escalated, EscalationDigest, FocalDigest, Overdue
from accord.services import audit
from accord.services.agreements import title_in_force
from accord.services.commitments import rules
from accord.services.commitments.rules import SweepItem
from accord.services.commitments.tracked import printed_as
from accord.services.env import ServiceEnv
from accord.services.mail_queue import enqueue, queued
from accord.services.recipients import focal_points, secretariat_contacts
from accord.services.working_days import add_working_days, is_working_day, working_days_between
from models import (
    Agreement,
    AgreementStatus,
    CommitmentDefinition,
    ItemStatus,
    Organization,
    ReminderMark,
    TrackedCommitment,
)

ENDED = (AgreementStatus.expired, AgreementStatus.terminated)
LEGACY_MARK = "escalated"
"""The mark daily escalations left before they went once per threshold."""


@dataclass
class SweepReport:
    selected: int = 0
    digests: int = 0
    escalations: int = 0
    marked_overdue: int = 0
    periodic: int = 0
    """Report requests, their reminders and expiry alerts sent by the same daily run."""
    expired: list[str] = field(default_factory=list)
    """Agreements whose term ended, set `expired` by the same daily run."""
    recipients: list[str] = field(default_factory=list)


def mark_overdue(as_of: date, *, env: ServiceEnv) -> int:
    """Open items past their deadline become overdue: one audit entry per agreement lists them."""
    ended = sa_select(col(Agreement.id)).where(col(Agreement.status).in_(ENDED))
    rows = env.session.execute(
        update(TrackedCommitment)
        .where(
            col(TrackedCommitment.status).in_([ItemStatus.not_started, ItemStatus.in_progress]),
            col(TrackedCommitment.due) < as_of,
            col(TrackedCommitment.agreement_id).not_in(ended),
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
        .where(col(TrackedCommitment.status).in_(rules.OPEN), col(TrackedCommitment.due) <= horizon)
    ).all()
    return [SweepItem(*row) for row in rows]


def send_reminders(
    as_of: date,
    *,
    due_within_days: int = 5,
    escalate_after_days: int = 14,
    env: ServiceEnv,
) -> SweepReport:
    """Digests for items due within N working days or overdue; escalations past M days.

    Working days are counted in each agreement's own country (its holidays), and a day off
    there sends nothing about its items: the next working day's sweep does. Items of
    agreements that expired or were terminated are no longer reminded of.
    """
    session = env.session
    report = SweepReport(marked_overdue=mark_overdue(as_of, env=env))
    countries = _countries(session=session)
    working = {c for c in set(countries.values()) if is_working_day(as_of, c)}
    by_country = {c: add_working_days(as_of, due_within_days, c) for c in working}
    horizons = rules.reminder_horizons(countries, by_country)
    items = rules.within_horizon(
        select_due(as_of, max(by_country.values(), default=as_of), session=session), horizons
    )
    report.selected = len(items)
    marked = _marked(as_of, session=session)
    by_org: dict[int, list[SweepItem]] = defaultdict(list)
    by_agreement: dict[int, list[SweepItem]] = defaultdict(list)
    for item in items:
        by_org[item.responsible_id].append(item)
        by_agreement[item.agreement_id].append(item)
    marks: list[dict[str, Any]] = []
    for org_id, org_items in by_org.items():
        fresh = rules.fresh_for_digest(org_items, as_of, marked)
        if fresh:
            report.digests += _digest(org_id, fresh, as_of, countries, env=env, report=report)
            marks += [
                {"tracked_id": i.id, "threshold": rules.threshold(i, as_of), "on_date": as_of}
                for i in fresh
            ]
    thresholds = rules.escalation_thresholds(escalate_after_days)
    done = _escalations_done([i.id for i in items], thresholds, session=session)
    for agreement_id, agreement_items in by_agreement.items():
        late = rules.escalated(agreement_items, as_of, thresholds, done)
        if late:
            report.escalations += _escalate(agreement_id, [i for i, _ in late], as_of, env=env)
            marks += [
                {"tracked_id": i.id, "threshold": rules.escalation_mark(t), "on_date": as_of}
                for i, t in late
            ]
    if marks:
        session.execute(insert(ReminderMark), marks)
    return report


def _countries(*, session: Session) -> dict[int, str]:
    """Agreement id → country, for the working-day calendar of each agreement not ended."""
    rows = session.execute(
        sa_select(col(Agreement.id), col(Agreement.country)).where(
            col(Agreement.status).not_in(ENDED)
        )
    ).all()
    return {row[0]: row[1] for row in rows}


def _marked(as_of: date, *, session: Session) -> set[tuple[int, str]]:
    rows = session.execute(
        select(ReminderMark.tracked_id, ReminderMark.threshold).where(ReminderMark.on_date == as_of)
    ).all()
    return {(row[0], row[1]) for row in rows}


def _escalations_done(
    ids: list[int], thresholds: tuple[int, ...], *, session: Session
) -> set[tuple[int, int]]:
    """(item id, threshold) of every escalation ever sent for these items.

    A mark of the earlier daily escalations (`escalated`, no threshold) counts as the first.
    """
    names = {rules.escalation_mark(t): t for t in thresholds} | {LEGACY_MARK: thresholds[0]}
    rows = session.execute(
        select(ReminderMark.tracked_id, ReminderMark.threshold).where(
            col(ReminderMark.tracked_id).in_(ids), col(ReminderMark.threshold).in_(names)
        )
    ).all()
    return {(row[0], names[row[1]]) for row in rows}


def _digest(
    org_id: int,
    items: list[SweepItem],
    as_of: date,
    countries: dict[int, str],
    *,
    env: ServiceEnv,
    report: SweepReport,
) -> int:
    org = env.session.get(Organization, org_id)
    assert org is not None
    printed = printed_as({i.id for i in items}, session=env.session)
    ordered = sorted(items, key=lambda i: i.due)
    message = FocalDigest(
        organisation_name=org.name,
        as_of=as_of,
        due_soon=tuple(
            DueSoon(
                printed[i.id][1],
                printed[i.id][0],
                i.activity,
                i.due,
                working_days_between(as_of, i.due, countries[i.agreement_id]),
            )
            for i in ordered
            if i.due >= as_of
        ),
        overdue=tuple(
            Overdue(printed[i.id][1], printed[i.id][0], i.activity, i.due, (as_of - i.due).days)
            for i in ordered
            if i.due < as_of
        ),
    )
    sent = 0
    for contact in focal_points(org_id, session=env.session):
        key = f"focal_digest:{contact.id}:{as_of.isoformat()}"
        if queued(key, session=env.session):
            continue
        enqueue(message, session=env.session, key=key, contact=contact)
        report.recipients.append(contact.email)
        sent += 1
    return sent


def _escalate(agreement_id: int, items: list[SweepItem], as_of: date, *, env: ServiceEnv) -> int:
    agreement = env.session.get(Agreement, agreement_id)
    assert agreement is not None
    names = {
        o.id: o.name
        for o in env.session.exec(
            select(Organization).where(col(Organization.id).in_({i.responsible_id for i in items}))
        )
    }
    printed = printed_as({i.id for i in items}, session=env.session)
    message = EscalationDigest(
        agreement_title=title_in_force(agreement, session=env.session),
        as_of=as_of,
        items=tuple(
            Escalated(
                printed[i.id][0], i.activity, names[i.responsible_id], i.due, (as_of - i.due).days
            )
            for i in sorted(items, key=lambda i: i.due)
        ),
    )
    sent = 0
    for contact in secretariat_contacts(agreement, session=env.session):
        key = f"escalation_digest:{agreement_id}:{contact.id}:{as_of.isoformat()}"
        if queued(key, session=env.session):
            continue
        enqueue(message, session=env.session, key=key, contact=contact, agreement_id=agreement.id)
        sent += 1
    return sent


def _agreement_slugs(ids: set[int], *, session: Session) -> dict[int, str]:
    return {
        a.id or 0: a.slug for a in session.exec(select(Agreement).where(col(Agreement.id).in_(ids)))
    }
