"""`accord verify`, and what `init` and `serve` say and do about PDFs and the seal."""

import logging
from pathlib import Path
from typing import Annotated

import typer

from accord.errors import AccordError
from accord.settings import Settings

PdfFile = Annotated[Path, typer.Argument(metavar="FILE.pdf", help="A PDF written by Accord.")]


def verify(pdf: PdfFile) -> None:
    """Is the seal on a signed original intact, who sealed it, when, and which version it is.

    Exit code 0 when intact; 1 when altered, not sealed, or not readable.
    """
    from accord.adapters.seal_keys import trusted_certificate
    from accord.documents.pdf_seal import check_seal
    from accord.documents.seal_values import SealState
    from accord.settings import get_settings

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # its tracebacks are our one line
    try:
        data = pdf.read_bytes()
    except OSError as error:
        raise AccordError(f"cannot read {pdf}: {error.strerror}") from error
    result = check_seal(data, trusted_cert_pem=trusted_certificate(get_settings()))
    if result.state is not SealState.intact:
        typer.echo(f"{pdf}: {result.state.value}: {result.reason}")
        raise typer.Exit(1)
    when = f"{result.sealed_at:%Y-%m-%d %H:%M} UTC" if result.sealed_at else "an unknown time"
    what = (
        f"{result.stamp.agreement} version {result.stamp.number}, sha256 {result.stamp.sha256}"
        if result.stamp
        else "no agreement version recorded"
    )
    whose = "" if result.trusted else " (not this installation's seal)"
    typer.echo(f"{pdf}: intact: sealed by {result.sealed_by}{whose} on {when}; {what}")


def init_pdfs(settings: Settings) -> None:
    """The seal made once for a laptop, and whether PDFs will be written here, and why not."""
    from accord.adapters.pdf_converter import ConverterUnavailable, find_office
    from accord.adapters.seal_keys import ensure_seal

    generated = ensure_seal(settings)
    if generated is not None:
        typer.echo(
            f"PDF seal: generated a self-signed key and certificate in {generated.parent} "
            "(set ACCORD_SEAL_KEY_FILE and ACCORD_SEAL_CERT_FILE for the installation's own)"
        )
    if not settings.pdf_documents:
        typer.echo("PDFs: switched off (ACCORD_PDF_DOCUMENTS=false)")
        return
    try:
        office = find_office(settings)
    except ConverterUnavailable as why:
        typer.echo(f"PDFs skipped: {why}")
        return
    typer.echo(f"PDFs: PDF/A beside every DOCX, converted by {office.program}")


def start_converter(settings: Settings) -> bool:
    """`accord serve` starts the converter up front; True when it is running."""
    from accord.adapters.pdf_converter import ConverterUnavailable, ensure_running

    if not settings.pdf_documents:
        return False
    try:
        converter = ensure_running(settings)
    except ConverterUnavailable as why:
        typer.echo(f"PDFs skipped: {why}")
        return False
    typer.echo(f"document converter: 127.0.0.1:{converter.port} (log: {converter.log_file})")
    return True


class _PlainStderr(logging.Handler):
    """`accord: message` on the terminal; looks up stderr when it writes, as tests swap it."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"accord: {record.getMessage()}", err=True)


def show_pdf_messages() -> None:
    """What the PDF side has to say (skipped, converter started) reaches the terminal plainly."""
    logger = logging.getLogger("accord.pdf")
    if not any(isinstance(h, _PlainStderr) for h in logger.handlers):
        logger.addHandler(_PlainStderr(logging.INFO))
        logger.setLevel(logging.INFO)
        logger.propagate = False
