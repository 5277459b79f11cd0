"""PDF/A beside documents: made by the machine's converter, originals sealed with our key."""

import logging
import time
from functools import cache

from accord.adapters import pdf_converter
from accord.adapters.seal_keys import ensure_seal, load_seal
from accord.documents.seal_values import SealError, SealStamp
from accord.errors import AccordError
from accord.settings import Settings

log = logging.getLogger("accord.pdf")
RETRY_SECONDS = 300.0  # after the converter could not be had, documents go on without PDFs


class OfficePdfMaker:
    """The real `PdfMaker`: never raises, so a missing PDF never costs a DOCX or a signature."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.retry_at = 0.0

    def convert(self, docx: bytes) -> bytes | None:
        if time.monotonic() < self.retry_at:
            return None  # a command with ten documents waits for a failing start once
        try:
            return pdf_converter.convert(self.settings, docx)
        except pdf_converter.ConverterUnavailable as why:
            self.retry_at = time.monotonic() + RETRY_SECONDS
            say_once(f"PDFs skipped: {why}; documents are written as DOCX only")
        except AccordError as error:
            log.warning("PDF not made: %s", error)
        return None

    def seal(self, pdf: bytes, stamp: SealStamp) -> bytes | None:
        try:
            generated = ensure_seal(self.settings)
            if generated is not None:
                say_once(f"generated a self-signed PDF seal: {generated}")
            from accord.documents.pdf_seal import seal_pdf  # the signing library, when sealing

            return seal_pdf(pdf, key=load_seal(self.settings), stamp=stamp)
        except (AccordError, SealError) as error:
            log.warning("sealed PDF of %s not kept: %s", stamp.subject, error)
        return None


def pdf_maker(settings: Settings) -> OfficePdfMaker | None:
    """What document stores built from these settings use; None when PDFs are switched off."""
    return OfficePdfMaker(settings) if settings.pdf_documents else None


@cache
def say_once(message: str) -> None:
    """Once per process: a command that writes ten documents says it once, not ten times."""
    log.warning(message)
