"""`accord sign …`, `remind`, `report`, `export`, `import-plan`, `terminate`: from approval to
the end of the term."""

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from accord.source.spec import OrganizationSpec

sign_app = typer.Typer(help="Sign-off of an approved version.", no_args_is_help=True)
AgreementId = Annotated[str, typer.Argument(metavar="ID", help="Agreement id (slug).")]
Day = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Act as of this date.")]


@sign_app.command("start")
def sign_start(agreement: AgreementId) -> None:
    """Send each signatory a link to sign; only a version every signatory approved."""
    from accord.cli.runtime import run_flow, service_session, whoami
    from accord.services.signing.start import start_signoff
    from flows.signoff import start_signoff_flow

    with service_session(dry_run=True) as env:
        start_signoff(agreement, env=env)  # refusals surface here as one line
    result = run_flow(start_signoff_flow, agreement=agreement, actor=whoami())
    typer.echo(
        f"{agreement}: sign-off of version {result['version']} "
        f"(sha256 {result['sha256'][:12]}): {result['requests']} signing links sent"
    )


@sign_app.command("approved")
def sign_approved(agreement: AgreementId) -> None:
    """Put a plan adopted by a decision into force on the date its source's `approval` gives."""
    from accord.cli.runtime import service_session
    from accord.services.signing.adoption import enter_into_force_on_approval

    with service_session() as env:
        adopted = enter_into_force_on_approval(agreement, env=env)
    typer.echo(
        f"{agreement}: version {adopted.version} (sha256 {adopted.sha256[:12]}) in force "
        f"since {adopted.effective_date.isoformat()}, the date of its approval"
    )


@sign_app.command("status")
def sign_status(agreement: AgreementId) -> None:
    """Who has signed which version, when and from where."""
    from sqlmodel import col, select

    from accord.cli.runtime import service_session
    from accord.services.agreements import find_agreement
    from models import Organization, Signature, SignOff

    with service_session() as env:
        found = find_agreement(agreement, session=env.session)
        rows = env.session.exec(
            select(SignOff, Signature, Organization)
            .join(Signature, col(Signature.sign_off_id) == SignOff.id)
            .join(Organization, col(Organization.id) == Signature.organization_id)
            .where(SignOff.agreement_id == found.id)
            .order_by(col(SignOff.id), col(Signature.id))
        ).all()
    if not rows:
        typer.echo(f"{agreement}: no sign-off yet (start one with `accord sign start`)")
    for signoff, signature, org in rows:
        when = (
            f" {signature.signed_at:%Y-%m-%d %H:%M} UTC by {signature.signer_name}"
            if signature.signed_at
            else ""
        )
        typer.echo(
            f"sign-off {signoff.id} ({signoff.status.value}) {org.slug:<22} "
            f"{signature.status.value}{when}"
        )


def remind(
    as_of: Day = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show, send nothing.")] = False,
    within: Annotated[int, typer.Option(min=0, help="Working days ahead to remind.")] = 5,
    escalate_after: Annotated[
        int, typer.Option(min=0, help="Days overdue of the first escalation; again at 30 and 60.")
    ] = 14,
) -> None:
    """Run the daily reminder sweep by hand (digests to focal points, escalations)."""
    from accord.cli.runtime import open_database, run_flow, whoami
    from flows.commitments import send_reminders_flow

    open_database()
    result: dict[str, Any] = run_flow(
        send_reminders_flow,
        as_of=as_of.date() if as_of else None,
        due_within_days=within,
        escalate_after_days=escalate_after,
        dry_run=dry_run,
        actor=whoami(),
    )
    verb = "would send" if dry_run else "sent"
    typer.echo(
        f"as of {result['as_of']}: {result['selected']} items due or overdue; {verb} "
        f"{result['digests']} digests and {result['escalations']} escalations"
    )
    for email in result["recipients"]:
        typer.echo(f"  digest to {email}")


def report(
    agreement: Annotated[
        str | None, typer.Argument(metavar="ID", help="Agreement id (slug).")
    ] = None,
    as_of: Day = None,
    secretariat: Annotated[
        str | None, typer.Option(help="Organisation id: report across its agreements.")
    ] = None,
    period: Annotated[
        str | None, typer.Option(help="With --secretariat: 2027-H1, 2027-H2, 2027-Q3 or 2027.")
    ] = None,
) -> None:
    """Write the progress report DOCX of an agreement in force, or a secretariat's information
    on implementation for a period across all its agreements and plans in force."""
    if secretariat is not None or period is not None:
        _implementation_report(secretariat, period, agreement)
        return
    if agreement is None:
        raise typer.BadParameter("give an agreement id, or --secretariat and --period")
    from accord.cli.runtime import open_database, run_flow, service_session, whoami
    from accord.services.commitments.report import write_progress_report
    from flows.commitments import progress_report

    day = as_of.date() if as_of else datetime.now(UTC).date()
    with service_session(dry_run=True) as env:
        write_progress_report(agreement, day, env=env)
    open_database()
    for location in run_flow(progress_report, agreement=agreement, as_of=day, actor=whoami()):
        typer.echo(f"{agreement}: progress report {location}")


def export(
    agreement: AgreementId,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Excel workbook (the only format).")] = True,
    output: Annotated[Path | None, typer.Option(help="File to write.")] = None,
) -> None:
    """Export the commitment register of an agreement (Excel), into the output folder."""
    from accord.cli.runtime import service_session
    from accord.documents.register_xlsx import export_register
    from accord.services.agreements import find_agreement, find_version, version_content
    from accord.services.commitments.tracked import tracked_items
    from accord.settings import get_settings

    with service_session() as env:
        found = find_agreement(agreement, session=env.session)
        items = tracked_items(session=env.session, agreement=agreement)
        language = version_content(
            find_version(found, None, session=env.session)
        ).agreement.primary_language
    target = output or get_settings().output_dir / agreement / f"{agreement}-register.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(export_register(items, language=language))
    typer.echo(f"{agreement}: {len(items)} commitments written to {target}")


def _implementation_report(
    secretariat: str | None, period: str | None, agreement: str | None
) -> None:
    from accord.cli.runtime import service_session
    from accord.services.commitments.implementation import write_implementation_report
    from accord.services.commitments.rules import reporting_period

    if agreement is not None or secretariat is None or period is None:
        raise typer.BadParameter("a secretariat's report takes --secretariat and --period, no ID")
    bounds = reporting_period(period)
    if bounds is None:
        expected = "expected 2027-H1, 2027-H2, 2027-Q3 or 2027"
        raise typer.BadParameter(f"'{period}' is not a reporting period ({expected})")
    with service_session() as env:
        locations = write_implementation_report(secretariat, period.upper(), bounds, env=env)
    if not locations:
        typer.echo(
            f"accord: no agreement in force has '{secretariat}' as its secretariat", err=True
        )
        raise typer.Exit(1)
    for location in locations:
        typer.echo(f"{secretariat}: information on implementation {period.upper()} {location}")


def import_plan(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The .xlsx plan.")],
    agreement_id: Annotated[str, typer.Option("--id", help="Id (slug) of the new agreement.")],
    secretariat: Annotated[str, typer.Option(help="Organisation id of the secretariat.")],
    country: Annotated[str, typer.Option(help="ISO country code, e.g. KG.")],
    languages: Annotated[str, typer.Option(help="Document languages, e.g. ru,en.")] = "ru,en",
    title: Annotated[str | None, typer.Option(help="Title (every language gets it).")] = None,
    output: Annotated[Path | None, typer.Option(help="Source file to write.")] = None,
    until: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Last day of the plan, for recurring deadlines."),
    ] = None,
    names: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="YAML of names the plan uses for organisations (МВД: kz-mia).",
        ),
    ] = None,
) -> None:
    """Turn a coordinator's spreadsheet of activities into an agreement source file."""
    from accord.settings import get_settings
    from accord.source.loader import load_organizations
    from accord.source.plan_import import FILE_LIMIT, file_too_large
    from accord.source.plan_import import import_plan as convert

    size = file.stat().st_size
    if size > FILE_LIMIT:  # before reading it into memory
        raise file_too_large(file.name, size)
    settings = get_settings()
    orgs = load_organizations([settings.agreements_dir / "organizations.yaml"])
    langs = [lang.strip() for lang in languages.split(",") if lang.strip()]
    imported = convert(
        file.read_bytes(),
        agreement_id=agreement_id,
        kind="joint_action_plan",
        languages=langs,
        country=country,
        secretariat=secretariat,
        known_orgs=_known_names(orgs, country, names),
        title={lang: title or agreement_id for lang in langs},
        file_name=file.name,
        until=until.date() if until else None,
    )
    target = output or settings.agreements_dir / f"{agreement_id}.yaml"
    if target.exists():
        raise typer.BadParameter(f"{target} exists; choose another --output")
    target.write_text(imported.text, encoding="utf-8")
    for note in imported.notes:
        typer.echo(note, err=True)
    typer.echo(f"written {target}; check it with `accord check {target}`")


def _known_names(
    orgs: Mapping[str, "OrganizationSpec"], country: str, names: Path | None
) -> dict[str, set[str]]:
    """Each organisation's names and short names, and the names a plan uses for it from
    `names` (which win)."""
    from accord.source.plan_import.organisations import known_names

    if names is None:
        return known_names(orgs, country=country, names={})
    import yaml

    mapping = yaml.safe_load(names.read_text(encoding="utf-8")) or {}
    if not isinstance(mapping, dict):
        raise typer.BadParameter(f"{names}: expected lines like 'МВД: kz-mia'")
    unknown = sorted({str(v) for v in mapping.values()} - set(orgs))
    if unknown:
        listed = ", ".join(unknown)
        raise typer.BadParameter(f"{names}: not organisation ids of organizations.yaml: {listed}")
    given = {str(name): str(org_id) for name, org_id in mapping.items()}
    return known_names(orgs, country=country, names=given)


def terminate(
    agreement_id: AgreementId,
    reason: Annotated[str, typer.Option(help="Why it ends (kept in the audit trail).")],
) -> None:
    """End an agreement in force before its term; its open commitments are cancelled."""
    from accord.cli.runtime import service_session
    from accord.services.commitments.ending import terminate as end

    with service_session() as env:
        done = end(agreement_id, reason=reason, env=env)
    typer.echo(f"{done.agreement}: terminated; {done.cancelled} open commitments cancelled")
