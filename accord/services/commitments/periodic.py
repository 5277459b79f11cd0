"""Calendar duties of agreements in force: report requests, expiry alerts, the end of the term."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.mail.messages import ExpiryAlert, ReportRequest
from accord.services import audit, working_days
from accord.services.agreements import version_content
from accord.services.commitments import rules
from accord.services.env import ServiceEnv
from accord.services.mail_queue import enqueue, queued
from accord.services.recipients import focal_points, secretariat_contacts
from accord.services.status import StatusAction, change_status
from accord.source.spec import AgreementSpec
from models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Organization,
    ProgressUpdate,
    SignOff,
    SignOffStatus,
    TrackedCommitment,
)


@dataclass(frozen=True)
class InForce:
    agreement: Agreement
    spec: AgreementSpec
    effective: date


def in_force(*, session: Session) -> list[InForce]:
    """Agreements in force, each with the text and date of its latest completed sign-off."""
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
        a.id: InForce(
            a,
            version_content(v).agreement,
            s.effective_date or (s.closed_at or s.opened_at).date(),
        )
        for a, s, v in rows
    }
    return list(latest.values())


def periodic_duties(as_of: date, *, env: ServiceEnv) -> int:
    """Report requests and reminders to focal points, expiry alerts to the secretariat."""
    sent = 0
    for item in in_force(session=env.session):
        sent += _report_requests(item, as_of, env=env) + _expiry_alert(item, as_of, env=env)
    return sent


def expire_ended(as_of: date, *, env: ServiceEnv) -> list[str]:
    """Agreements in force past their last day become `expired`; returns their ids."""
    return [
        item.agreement.slug
        for item in in_force(session=env.session)
        if _expire(item, as_of, env=env)
    ]


def _report_requests(item: InForce, as_of: date, *, env: ServiceEnv) -> int:
    reporting = item.spec.reporting
    if reporting is None:
        return 0
    periods = rules.ended_periods(reporting, item.effective, as_of)
    if not periods:
        return 0
    period = periods[-1]
    end = period.end
    next_working_day = _calendar(item)
    sent = 0
    for org_id in _responsible(item.agreement, session=env.session):
        if _reported_since(item.agreement, org_id, end, session=env.session):
            continue
        org = env.session.get(Organization, org_id)
        for contact in focal_points(org_id, session=env.session):
            first = f"report_request:{item.agreement.id}:{end}:{contact.id}"
            key = rules.report_request_key(
                first,
                already_asked=queued(first, session=env.session),
                period_end=end,
                as_of=as_of,
                next_working_day=next_working_day,
            )
            if not key or queued(key, session=env.session):
                continue
            enqueue(
                ReportRequest(
                    organisation_name=org.name if org else {},
                    agreement_title=item.spec.title,
                    period_end=end,
                    report_by=rules.report_due(reporting, period, next_working_day),
                    link_url=env.base_url,
                    reminder=key != first,
                ),
                session=env.session,
                key=key,
                contact=contact,
                agreement_id=item.agreement.id,
            )
            sent += 1
    return sent


def _expiry_alert(item: InForce, as_of: date, *, env: ServiceEnv) -> int:
    ends = rules.expiry_date(item.spec, item.effective)
    warning = rules.expiry_warning(ends, as_of, _calendar(item)) if ends else None
    if ends is None or warning is None:
        return 0
    sent = 0
    for contact in secretariat_contacts(item.agreement, session=env.session):
        key = f"expiry_alert:{item.agreement.id}:{warning}:{contact.id}"
        if queued(key, session=env.session):
            continue
        enqueue(
            ExpiryAlert(
                agreement_title=item.spec.title,
                expires_on=ends,
                days_left=(ends - as_of).days,
            ),
            session=env.session,
            key=key,
            contact=contact,
            agreement_id=item.agreement.id,
        )
        sent += 1
    return sent


def _calendar(item: InForce) -> rules.NextWorkingDay:
    """The working days of the agreement's country, for the dates the rules move off days off."""
    country = item.spec.country
    return lambda day: working_days.next_working_day(day, country)


def _expire(item: InForce, as_of: date, *, env: ServiceEnv) -> bool:
    """Past its last day the agreement is `expired`: reminders and report requests stop."""
    ends = rules.expiry_date(item.spec, item.effective)
    if ends is None or not rules.has_expired(ends, as_of):
        return False
    change_status(item.agreement, StatusAction.expire)
    env.session.add(item.agreement)
    audit.record(
        session=env.session,
        actor=env.actor,
        action="agreement.expired",
        subject=f"agreement:{item.agreement.slug}",
        data={"expires_on": ends.isoformat(), "as_of": as_of.isoformat()},
    )
    return True


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


def request_reports_now(slug: str, *, env: ServiceEnv) -> int:
    """The secretariat asks every focal point of an agreement in force for a report today,
    outside the schedule: the same e-mail the daily sweep sends, once per contact and day."""
    found = next((i for i in in_force(session=env.session) if i.agreement.slug == slug), None)
    if found is None:
        raise Refusal(
            "commitments.not_in_force_now",
            "“%(agreement)s” is not in force: there is nothing to report on.",
            agreement=slug,
        )
    today = env.now.date()
    period_end, report_by = _asked_period(found, today)
    sent = 0
    for org_id in _responsible(found.agreement, session=env.session):
        org = env.session.get(Organization, org_id)
        for contact in focal_points(org_id, session=env.session):
            key = f"report_request_now:{found.agreement.id}:{today}:{contact.id}"
            if queued(key, session=env.session):
                continue
            enqueue(
                ReportRequest(
                    organisation_name=org.name if org else {},
                    agreement_title=found.spec.title,
                    period_end=period_end,
                    report_by=report_by,
                    link_url=env.base_url,
                    reminder=False,
                ),
                session=env.session,
                key=key,
                contact=contact,
                agreement_id=found.agreement.id,
            )
            sent += 1
    audit.record(
        session=env.session,
        actor=env.actor,
        action="report.requested",
        subject=f"agreement:{slug}",
        data={"requests": sent, "period_end": period_end.isoformat()},
    )
    return sent


def _asked_period(item: InForce, today: date) -> tuple[date, date]:
    """The last ended reporting period and its due date; without one, progress up to today,
    due in ten working days."""
    reporting = item.spec.reporting
    periods = rules.ended_periods(reporting, item.effective, today) if reporting else []
    if reporting is not None and periods:
        due = rules.report_due(reporting, periods[-1], _calendar(item))
        return periods[-1].end, max(due, today)
    return today, working_days.add_working_days(today, 10, item.spec.country)
