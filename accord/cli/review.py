"""`accord review …`: the secretariat's review commands."""

from datetime import UTC, date, datetime, time
from typing import Annotated, Any

import typer

from models import Decision

review_app = typer.Typer(
    help="Review rounds: start, follow, record paper decisions.", no_args_is_help=True
)

AgreementId = Annotated[str, typer.Argument(metavar="ID", help="Agreement id (slug).")]


def _as_of(day: date | None) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC) if day else datetime.now(UTC)


@review_app.command("start")
def start(
    agreement: AgreementId,
    version: Annotated[int | None, typer.Option(min=1, help="Version (default: latest).")] = None,
    deadline: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Last day to answer.")
    ] = None,
    working_days: Annotated[
        int | None,
        typer.Option(min=1, help="Deadline in working days from today (holidays respected)."),
    ] = None,
    internal: Annotated[
        list[str] | None,
        typer.Option(
            help="Organisation whose internal approval opens the external review (repeatable)."
        ),
    ] = None,
) -> None:
    """Open a review round: every reviewing party's contacts get the DOCX and a personal link."""
    from accord.cli.runtime import run_flow, service_session, whoami
    from accord.services.review.rounds import RoundRequest, start_round
    from flows.review import start_review_round

    if (deadline is None) == (working_days is None):
        raise typer.BadParameter("give exactly one of --deadline or --working-days")
    request = RoundRequest(
        agreement=agreement,
        version=version,
        deadline=deadline.date() if deadline else None,
        working_days=working_days,
        internal=tuple(internal or ()),
    )
    with service_session(dry_run=True) as env:
        start_round(request, env=env)  # refusals surface here as one line, before the flow
    result = run_flow(
        start_review_round,
        agreement=agreement,
        version=version,
        deadline=request.deadline,
        working_days=working_days,
        internal=list(request.internal),
        actor=whoami(),
    )
    typer.echo(
        f"{result['agreement']}: round {result['round']} open on version "
        f"{result['version']} until {result['deadline']} ({result['stage']} stage); "
        f"{result['requests']} review requests, {result['sent']} sent"
        + (
            f", {result['not_sent']} NOT sent (see `accord review status`)"
            if result["not_sent"]
            else ""
        )
    )


@review_app.command("status")
def status(agreement: AgreementId) -> None:
    """Parties × rounds with their decisions, and review e-mails that did not arrive."""
    from accord.cli.runtime import service_session
    from accord.services.review.board import review_status

    with service_session() as env:
        view = review_status(agreement, env=env)
    if not view.rounds:
        typer.echo(f"{agreement}: no review round yet (start one with `accord review start`)")
    for r in view.rounds:
        outcome = f", {r.outcome}" if r.outcome else ""
        typer.echo(
            f"round {r.number} on version {r.version}: {r.status}{outcome}; "
            f"deadline {'; '.join(r.deadlines)}"
        )
        for p in r.parties:
            typer.echo(f"  {p.party:<24} {p.stage:<9} {p.decision or 'no answer yet'}")
    for line in view.undelivered:
        typer.echo(f"NOT DELIVERED: {line}")
    for delegation in view.delegations:
        typer.echo(f"delegation {delegation}")
    for held in view.held:
        typer.echo(f"WAITING FOR YOUR CONFIRMATION: {held}")
    if view.held:
        typer.echo(f"confirm with: accord review confirm-delegate {agreement} <number>")
        typer.echo(f"or decline with: accord review decline-delegate {agreement} <number>")


@review_app.command("confirm-delegate")
def confirm_delegate(
    agreement: AgreementId,
    delegation: Annotated[
        int, typer.Argument(metavar="NUMBER", min=1, help="The #number `review status` shows.")
    ],
) -> None:
    """Confirm a delegation to an address outside the party's known domains: send its link."""
    from accord.cli.runtime import service_session
    from accord.services.review.board import confirm_delegation

    with service_session() as env:
        held = confirm_delegation(agreement, delegation, env=env)
    typer.echo(
        f"{agreement}: delegation #{held.id} confirmed; {held.name} <{held.email}> gets a link "
        f"for round {held.round} ({deliver_now()} e-mails sent)"
    )


@review_app.command("decline-delegate")
def decline_delegate(
    agreement: AgreementId,
    delegation: Annotated[
        int, typer.Argument(metavar="NUMBER", min=1, help="The #number `review status` shows.")
    ],
) -> None:
    """Decline a held delegation: no link is sent, and the delegator is told by e-mail."""
    from accord.cli.runtime import service_session
    from accord.services.review.board import decline_delegation

    with service_session() as env:
        held = decline_delegation(agreement, delegation, env=env)
    typer.echo(
        f"{agreement}: delegation #{held.id} to {held.name} <{held.email}> declined; "
        f"{held.delegator} is told ({deliver_now()} e-mails sent)"
    )


def deliver_now() -> int:
    """Send what the secretariat's answer queued, so the person hears at once; how many went."""
    from accord.adapters.delivery import deliver_as_configured
    from accord.cli.runtime import open_database
    from accord.settings import get_settings

    settings = get_settings()
    return deliver_as_configured(settings, engine=open_database(settings)).sent


@review_app.command("record")
def record(
    agreement: AgreementId,
    party: Annotated[str, typer.Option(help="Organisation id of the party.")],
    decision: Annotated[Decision, typer.Option(case_sensitive=False)],
    comment: Annotated[
        str | None, typer.Option(help="Comment or reason (required for request_changes).")
    ] = None,
    late: Annotated[
        str | None,
        typer.Option(
            metavar="REASON",
            help="After the deadline: why the decision is accepted late (kept in the audit trail).",
        ),
    ] = None,
) -> None:
    """Record a decision received on paper (the audit trail marks it as recorded by you)."""
    from accord.cli.runtime import service_session
    from accord.services.review.board import record_on_paper

    with service_session() as env:
        closed = record_on_paper(agreement, party, decision, comment, env=env, late_reason=late)
    typer.echo(
        f"{agreement}: {party} {decision.value} recorded"
        + ("; every party has answered, the round is closed" if closed else "")
    )


@review_app.command("tick")
def tick(
    as_of: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Act as if today were this date.")
    ] = None,
) -> None:
    """Send due reminders and close rounds whose deadline passed (what the scheduler runs)."""
    from accord.cli.runtime import open_database, run_flow, whoami
    from flows.review import review_rounds_tick

    open_database()
    result: dict[str, Any] = run_flow(
        review_rounds_tick, as_of=_as_of(as_of.date() if as_of else None), actor=whoami()
    )
    typer.echo(f"{result['reminders']} reminders queued, {result['sent']} e-mails sent")
    for line in result["closed"]:
        typer.echo(f"closed: {line}")
