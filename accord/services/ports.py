"""The I/O the services need, as small protocols; adapters provide the real thing."""

from typing import Protocol, runtime_checkable

from accord.documents.seal_values import SealStamp


class DocumentStore(Protocol):
    """Where generated documents are kept; names are relative, like ``kz-mou/kz-mou-v1.docx``."""

    def exists(self, name: str) -> bool: ...

    def write(self, name: str, data: bytes) -> str:
        """Store atomically (a reader never sees half a file); returns where it went."""
        ...

    def location(self, name: str) -> str: ...

    def read(self, name: str) -> bytes: ...


class PdfMaker(Protocol):
    """Makes the PDF/A kept beside a document: converted by an office suite, originals sealed.

    Neither method raises for a missing office suite or a failed conversion: the DOCX is the
    document of record and is already written; the maker says once why no PDF was made.
    """

    def convert(self, docx: bytes) -> bytes | None: ...

    def seal(self, pdf: bytes, stamp: SealStamp) -> bytes | None: ...


@runtime_checkable
class KeepsPdfs(Protocol):
    """A document store that keeps a PDF/A beside each agreement DOCX (None: it keeps none)."""

    pdfs: PdfMaker | None
