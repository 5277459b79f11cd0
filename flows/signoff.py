"""Sign-off: send signing links for an approved version; deliver what completion queued."""

from datetime import UTC, datetime
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from accord.adapters.events import announce
from accord.services.signing.start import SignOffStarted, start_signoff
from flows.common import deliver_mail, service_env


@task(name="open-signoff", cache_policy=NO_CACHE)
def open_signoff(agreement: str, actor: str, now: datetime) -> SignOffStarted:
    """Refused unless every signatory approved the latest version in its latest round."""
    with service_env(actor, now) as env:
        return start_signoff(agreement, env=env)


@flow(name="start-signoff", flow_run_name="signoff-{agreement}")
def start_signoff_flow(agreement: str, actor: str = "system") -> dict[str, Any]:
    """Each signatory gets a personal link to confirm the exact approved text."""
    started = open_signoff(agreement, actor, datetime.now(UTC))
    report = deliver_mail()
    announce("signoff.started", agreement, version=started.version, sha256=started.sha256)
    return {
        "agreement": agreement,
        "version": started.version,
        "sha256": started.sha256,
        "requests": started.requests,
        "sent": report.sent,
        "not_sent": report.failed + report.deferred,
    }


@flow(name="complete-signoff", flow_run_name="signoff-complete")
def complete_signoff(actor: str = "system") -> dict[str, Any]:
    """Deliver the signed document and focal-point links that the last signature queued."""
    report = deliver_mail()
    return {"sent": report.sent, "not_sent": report.failed + report.deferred}
