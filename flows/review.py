"""Review rounds: start one (links, e-mails), and the periodic tick (reminders, closing)."""

from datetime import UTC, date, datetime
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from accord.adapters.events import announce
from accord.services.review.board import review_status
from accord.services.review.rounds import RoundRequest, RoundStarted, start_round
from accord.services.review.tick import TickReport, review_tick
from flows.common import deliver_mail, service_env


@task(name="open-round", cache_policy=NO_CACHE)
def open_round(request: RoundRequest, actor: str, now: datetime) -> RoundStarted:
    """Round, stages, links and queued e-mails commit together or not at all."""
    with service_env(actor, now) as env:
        return start_round(request, env=env)


@task(name="tick-rounds", cache_policy=NO_CACHE)
def tick_rounds(actor: str, now: datetime) -> TickReport:
    with service_env(actor, now) as env:
        return review_tick(env=env)


@task(name="publish-status", cache_policy=NO_CACHE)
def publish_status(agreement: str, actor: str, now: datetime) -> str:
    """A Prefect artifact with parties × rounds, so operators see the round in the UI."""
    with service_env(actor, now) as env:
        status = review_status(agreement, env=env)
    lines = ["| round | version | party | stage | decision |", "|---|---|---|---|---|"]
    for r in status.rounds:
        lines += [
            f"| {r.number} ({r.status}) | {r.version} | {p.party} | {p.stage} | "
            f"{p.decision or '—'} |"
            for p in r.parties
        ]
    markdown = "\n".join(lines)
    create_markdown_artifact(
        markdown=markdown, key=f"review-{agreement}", description=f"Review status of {agreement}"
    )
    return markdown


def _start_name() -> str:
    from prefect.runtime import flow_run

    return f"review-{flow_run.parameters.get('agreement', 'agreement')}-start"


@flow(name="start-review-round", flow_run_name=_start_name)
def start_review_round(
    agreement: str,
    version: int | None = None,
    deadline: date | None = None,
    working_days: int | None = None,
    internal: list[str] | None = None,
    internal_working_days: int = 3,
    actor: str = "system",
) -> dict[str, Any]:
    """Open a review round on a version and send every reviewer their link."""
    request = RoundRequest(
        agreement=agreement,
        version=version,
        deadline=deadline,
        working_days=working_days,
        internal=tuple(internal or ()),
        internal_working_days=internal_working_days,
    )
    now = datetime.now(UTC)
    started = open_round(request, actor, now)
    announce(
        "round.opened",
        started.agreement,
        round=started.round_number,
        version=started.version,
        deadline=started.deadline.isoformat(),
    )
    report = deliver_mail()
    publish_status(agreement, actor, now)
    return {
        "agreement": started.agreement,
        "round": started.round_number,
        "version": started.version,
        "deadline": started.deadline.isoformat(),
        "stage": started.first_stage.value,
        "requests": started.requests,
        "sent": report.sent,
        "not_sent": report.failed + report.deferred,
    }


@flow(name="review-rounds-tick", flow_run_name="review-tick")
def review_rounds_tick(as_of: datetime | None = None, actor: str = "system") -> dict[str, Any]:
    """Send due reminders, close rounds whose time has come, deliver the mail; idempotent."""
    now = as_of or datetime.now(UTC)
    report = tick_rounds(actor, now)
    for closed in report.closed:
        announce("round.closed", closed.agreement, summary=str(closed))
    delivery = deliver_mail()
    for agreement in sorted(report.agreements):
        publish_status(agreement, actor, now)
    return {
        "reminders": report.reminders,
        "closed": [str(closed) for closed in report.closed],
        "sent": delivery.sent,
        "not_sent": delivery.failed + delivery.deferred,
    }
