"""The I/O the services need, as small protocols; adapters provide the real thing."""

from typing import Protocol


class DocumentStore(Protocol):
    """Where generated documents are kept; names are relative, like ``kz-mou/kz-mou-v1.docx``."""

    def exists(self, name: str) -> bool: ...

    def write(self, name: str, data: bytes) -> str:
        """Store atomically (a reader never sees half a file); returns where it went."""
        ...

    def location(self, name: str) -> str: ...

    def read(self, name: str) -> bytes: ...
