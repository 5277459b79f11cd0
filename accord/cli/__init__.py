"""The `accord` command: secretariat work from a terminal; errors become messages."""

import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from accord.cli import commitments, pdf
from accord.cli.calendar import calendar_command
from accord.cli.commitments import sign_app
from accord.cli.links import links_app
from accord.cli.review import review_app
from accord.cli.runtime import open_database, run_flow, safe_url, whoami
from accord.cli.server import server_app
from accord.cli.staff import staff_app
from accord.errors import AccordError
from accord.settings import Settings, get_settings
from accord.source.problems import SourceInvalid
from models import AgreementStatus

app = typer.Typer(
    name="accord",
    help="Agreements between agencies: from draft to signed commitments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


Paths = Annotated[
    list[Path] | None,
    typer.Argument(help="Source files or folders (default: the agreements folder)."),
]


def _paths(paths: list[Path] | None, settings: Settings) -> list[Path]:
    return list(paths) if paths else [settings.agreements_dir]


def _check(paths: list[Path], settings: Settings) -> Any:
    """The checked sources; their warnings go to stderr as `file:line:column: warning: …`."""
    from accord.source.clause_library import ClauseLibrary
    from accord.source.loader import load_sources

    library = ClauseLibrary.from_directory(settings.clauses_dir)
    sources = load_sources(paths, clause_library=library)
    for warning in sources.warnings:
        typer.echo(str(warning), err=True)
    return sources


@app.command()
def init() -> None:
    """Create the data folder, bring the database to the current schema, make a laptop's seal."""
    settings = get_settings()
    open_database(settings)
    settings.output_dir.mkdir(parents=True, exist_ok=True)
    typer.echo(f"database ready: {safe_url(settings.database_url)}")
    typer.echo(f"documents go to: {settings.output_dir.resolve()}")
    pdf.init_pdfs(settings)


@app.command()
def check(paths: Paths = None) -> None:
    """Validate agreement sources; lists every problem as file:line:column."""
    settings = get_settings()
    sources = _check(_paths(paths, settings), settings)
    warned = f", {len(sources.warnings)} warning(s)" if sources.warnings else ""
    typer.echo(
        f"ok: {len(sources.organizations)} organisations, "
        f"{len(sources.agreements)} agreements checked{warned}"
    )


@app.command()
def draft(
    paths: Paths = None,
    actor: Annotated[str, typer.Option(help="Who is drafting (kept in the audit trail).")] = "",
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Deactivate contacts dropped from organizations.yaml even if they hold a "
            "link of an open review round or sign-off (without it, the draft lists them and "
            "stops).",
        ),
    ] = False,
) -> None:
    """Ingest sources: a new version for each agreement whose content changed, and its DOCX."""
    settings = get_settings()
    _check(_paths(paths, settings), settings)
    open_database(settings)
    from flows.drafting import draft_agreements

    summary = run_flow(
        draft_agreements,
        paths=[str(p) for p in _paths(paths, settings)],
        actor=actor or whoami(),
        revoke_open_access=yes,
    )
    failed = [item for item in summary if "error" in item]
    for item in summary:
        if "version" not in item:
            continue
        state = "new version" if item["created"] else "unchanged, still version"
        typer.echo(
            f"{item['agreement']}: {state} {item['version']} "
            f"(sha256 {item['sha256'][:12]})  {item['document'] or '(no document)'}"
        )
    if failed:
        typer.echo(f"{len(failed)} of {len(summary)} agreement(s) failed:", err=True)
        for item in failed:
            typer.echo(f"  {item['agreement']}: {item['error']}", err=True)
        raise typer.Exit(1)


@app.command("agreements")
def list_agreements_command(
    status: Annotated[
        AgreementStatus | None, typer.Option(help="Only agreements in this status.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Only this country's (ISO code: KZ, KG …).")
    ] = None,
    secretariat: Annotated[
        str | None, typer.Option(help="Only those this organisation (its id) runs.")
    ] = None,
    page: Annotated[int, typer.Option(min=1, help="Which page (1 is the first).")] = 1,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Agreements per page.")] = 50,
) -> None:
    """Table of agreements, a page at a time: id, kind, country, status, latest version, hash."""
    from accord.db import transaction
    from accord.services.agreements import AgreementFilter, list_agreements

    where = AgreementFilter(status=status, country=country, secretariat=secretariat)
    with transaction(open_database(get_settings())) as session:
        found = list_agreements(
            session=session, where=where, offset=(page - 1) * limit, limit=limit
        )
    if not found.rows:
        filtered = status or country or secretariat
        if found.total:
            typer.echo(f"page {page} is past the last ({_pages(found.total, limit)})")
        elif filtered:
            typer.echo("no agreements match")
        else:
            typer.echo("no agreements yet: run `accord draft` on a source file")
        return
    table = [("ID", "KIND", "COUNTRY", "STATUS", "VERSION", "SHA256")] + [
        (
            a.slug,
            a.kind,
            a.country,
            a.status.value,
            str(a.latest_version or "-"),
            (a.latest_sha256 or "-")[:12],
        )
        for a in found.rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table
    ]
    typer.echo("\n".join(lines))
    if found.total > limit:
        more = f"; --page {page + 1} for the next" if page * limit < found.total else ""
        typer.echo(f"page {page} of {_pages(found.total, limit)}{more}")


def _pages(total: int, limit: int) -> str:
    return f"{-(-total // limit)} pages, {total} agreements"


@app.command()
def show(
    agreement_id: Annotated[str, typer.Argument(metavar="ID", help="Agreement id (slug).")],
    version: Annotated[int | None, typer.Option("--version", min=1, help="Version number.")] = None,
) -> None:
    """One agreement: its versions, clauses, commitments and document."""
    from accord.cli.show import print_version
    from accord.db import transaction
    from accord.services.agreements import get_version

    settings = get_settings()
    with transaction(open_database(settings)) as session:
        view = get_version(agreement_id, version, session=session)
    print_version(view, output_dir=settings.output_dir)


@app.command()
def redline(
    agreement_id: Annotated[str, typer.Argument(metavar="ID", help="Agreement id (slug).")],
    old: Annotated[int, typer.Argument(metavar="FROM", min=1, help="Earlier version.")],
    new: Annotated[int, typer.Argument(metavar="TO", min=1, help="Later version.")],
    language: Annotated[
        str | None, typer.Option(help="Document language (default: primary).")
    ] = None,
) -> None:
    """Write a DOCX with the changes between two versions as tracked insertions and deletions."""
    from accord.adapters.file_store import FileDocumentStore
    from accord.db import transaction
    from accord.services.drafting.redlines import write_redline

    settings = get_settings()
    with transaction(open_database(settings)) as session:
        location = write_redline(
            agreement_id,
            old,
            new,
            language=language,
            session=session,
            store=FileDocumentStore(settings.output_dir),
        )
    typer.echo(f"{agreement_id}: changes from version {old} to {new}: {location}")


@app.command()
def audit(
    checkpoint: Annotated[
        bool, typer.Option(help="Then sign a checkpoint of the trail's head (daily).")
    ] = False,
) -> None:
    """Verify the audit trail: its hash chain, its append-only triggers, its signed checkpoints."""
    from accord.adapters import audit_file
    from accord.db import transaction

    settings = get_settings()
    signed = None
    with transaction(open_database(settings)) as session:
        if checkpoint:
            signed = audit_file.checkpoint_if_intact(settings, session=session)
        entries, problems = audit_file.audit_problems(settings, session=session)
    if signed is not None:
        from accord.cli.review import deliver_now

        typer.echo(f"checkpoint signed at entry {signed.seq} ({deliver_now()} e-mails sent)")
    if problems:
        raise AccordError("audit trail not intact:\n" + "\n".join(f"  {p}" for p in problems))
    typer.echo(f"audit trail intact: {entries} entries")


@app.command()
def portal() -> None:
    """Serve the reviewer portal and the secretariat's workspace (ACCORD_PORTAL_HOST/PORT)."""
    from accord.cli.web import web_app
    from accord.portal.serve import serve

    settings = get_settings()
    open_database(settings)
    if settings.public_secret_warning:
        typer.secho(settings.public_secret_warning, err=True, fg="red", bold=True)
    typer.echo(
        f"Accord portal on http://{settings.portal_host}:{settings.portal_port} "
        f"(links in e-mails point at {settings.public_base_url}; the secretariat's "
        f"workspace at {settings.public_base_url.rstrip('/')}/workspace/); Ctrl+C stops it"
    )
    serve(settings, web_app(settings, use_deployments=False))


@app.command("serve")
def serve_command() -> None:
    """Run everything a secretariat needs on one machine: portal and scheduled flows."""
    from accord.cli.serve import serve_everything

    settings = get_settings()
    open_database(settings)
    serve_everything(settings)


@app.command()
def demo() -> None:
    """Draft the examples and take the MOU through two review rounds (e-mails to the outbox)."""
    from accord.cli.demo import run_demo

    run_demo()
    typer.echo("")
    list_agreements_command()


# After drafting's commands, in the order of the lifecycle: review, sign-off, commitments.
app.add_typer(review_app, name="review")
app.add_typer(sign_app, name="sign")
app.command()(commitments.remind)
app.command()(commitments.report)
app.command()(commitments.export)
app.command("import-plan")(commitments.import_plan)
app.command()(commitments.terminate)
app.add_typer(links_app, name="links")
app.command("calendar")(calendar_command)
app.add_typer(server_app, name="server")
app.add_typer(staff_app, name="staff")
app.command()(pdf.verify)


def _fail(lines: list[str], code: int = 1) -> None:
    for line in lines:
        typer.echo(line, err=True)
    sys.exit(code)


def _log_internal_error() -> Path:
    log = get_settings().data_dir / "accord-errors.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(traceback.format_exc() + "\n")
    return log


def main() -> None:
    """Entry point: 0 success, 1 refused input or failure (with a message), 2 usage error."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # Prefect's event sender says at exit that it still holds events it is about to send
    # ("Still processing items"): normal at the end of every flow command, not a warning.
    logging.getLogger("EventsWorker").setLevel(logging.ERROR)
    pdf.show_pdf_messages()
    try:
        app(prog_name="accord")  # usage errors exit 2 from inside; ours propagate to here
    except SourceInvalid as error:
        _fail([*map(str, error.problems), f"{len(error.problems)} problem(s); nothing was written"])
    except AccordError as error:
        _fail([f"accord: {error}"])
    except ValidationError as error:
        _fail(
            [
                f"accord: invalid setting: {e['msg'].removeprefix('Value error, ')}"
                for e in error.errors()
            ]
        )
    except OperationalError as error:
        _fail(
            [
                f"accord: cannot use the database at {safe_url(get_settings().database_url)}: "
                f"{str(error.orig).strip().splitlines()[0]}"
            ]
        )
    except Exception as error:
        log = _log_internal_error()
        _fail([f"accord: internal error ({type(error).__name__}: {error}); details in {log}"])
