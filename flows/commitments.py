"""Commitments in force: the daily reminder sweep and the monthly progress report."""

from datetime import UTC, date, datetime
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from accord.adapters import audit_file
from accord.adapters.events import announce
from accord.db import get_engine, transaction
from accord.services.commitments.periodic import expire_ended, periodic_duties
from accord.services.commitments.reminders import SweepReport, send_reminders
from accord.services.commitments.report import agreements_in_force, write_progress_report
from accord.settings import get_settings
from flows.common import deliver_mail, service_env


@task(name="sweep-commitments", cache_policy=NO_CACHE)
def sweep(
    as_of: date, due_within_days: int, escalate_after_days: int, dry_run: bool, actor: str
) -> SweepReport:
    """One indexed selection for all items; digests keyed by contact and day, never twice."""
    with service_env(actor, datetime.now(UTC)) as env:
        report = send_reminders(
            as_of, due_within_days=due_within_days, escalate_after_days=escalate_after_days, env=env
        )
        report.periodic = periodic_duties(as_of, env=env)
        report.expired = expire_ended(as_of, env=env)
        if dry_run:
            env.session.rollback()
        return report


@task(name="sign-audit-checkpoint", cache_policy=NO_CACHE)
def sign_audit_checkpoint() -> int | None:
    """Daily: the audit trail's head, signed with the installation's key, outside the database."""
    settings = get_settings()
    with transaction(get_engine(settings.database_url)) as session:
        signed = audit_file.checkpoint_if_intact(settings, session=session)
    return signed.seq if signed else None


@flow(name="send-reminders", flow_run_name="reminders-{as_of}")
def send_reminders_flow(
    as_of: date | None = None,
    due_within_days: int = 5,
    escalate_after_days: int = 14,
    dry_run: bool = False,
    actor: str = "system",
) -> dict[str, Any]:
    """Daily: digests, escalations, report requests, agreements expired; then delivery."""
    day = as_of or datetime.now(UTC).date()
    report = sweep(day, due_within_days, escalate_after_days, dry_run, actor)
    if report.marked_overdue and not dry_run:
        announce("commitment.overdue", "all", count=report.marked_overdue, as_of=day)
    for agreement in [] if dry_run else report.expired:
        announce("agreement.expired", agreement, as_of=day)
    if not dry_run:
        sign_audit_checkpoint()  # before delivery: its e-mail to the secretariats goes today
    sent = 0 if dry_run else deliver_mail().sent
    create_markdown_artifact(
        key="reminders",
        description=f"Reminder sweep of {day}",
        markdown=(
            f"| as of | selected | digests | escalations | newly overdue | sent |\n"
            f"|---|---|---|---|---|---|\n| {day} | {report.selected} | {report.digests} "
            f"| {report.escalations} | {report.marked_overdue} | {sent} |"
        ),
    )
    get_run_logger().info("%d digests, %d escalations", report.digests, report.escalations)
    return {
        "as_of": day.isoformat(),
        "selected": report.selected,
        "digests": report.digests,
        "escalations": report.escalations,
        "periodic": report.periodic,
        "overdue": report.marked_overdue,
        "expired": report.expired,
        "sent": sent,
        "dry_run": dry_run,
        "recipients": report.recipients,
    }


def _report_name() -> str:
    from prefect.runtime import flow_run

    return f"progress-report-{flow_run.parameters.get('agreement') or 'all'}"


@flow(name="progress-report", flow_run_name=_report_name)
def progress_report(
    agreement: str | None = None, as_of: date | None = None, actor: str = "system"
) -> list[str]:
    """Monthly: the progress report DOCX of one agreement (or every one in force), one per
    document language."""
    day = as_of or datetime.now(UTC).date()
    with service_env(actor, datetime.now(UTC)) as env:
        slugs = [agreement] if agreement else agreements_in_force(session=env.session)
        return [
            location for slug in slugs for location in write_progress_report(slug, day, env=env)
        ]
